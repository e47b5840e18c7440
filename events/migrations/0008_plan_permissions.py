"""Curators write the plan and import plan tables; mentors read the plan."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = {"planitem": "add change view delete", "planresponsible": "add change view delete",
           "planimport": "add change view"}
MENTOR = {"planitem": "view", "planresponsible": "view"}


def _grant(apps, group_name, table):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    codenames = [f"{verb}_{model}" for model, verbs in table.items() for verb in verbs.split()]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="events",
                                                     codename__in=codenames))


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    _grant(apps, "Куратор", CURATOR)
    _grant(apps, "Наставник", MENTOR)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_plan_items")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
