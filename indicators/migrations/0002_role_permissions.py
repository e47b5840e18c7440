"""Curators keep the facts of the indicators (adoptions, practices presented) in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = ("add", "change", "view", "delete")


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("indicators")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Куратор")
    codenames = [f"{verb}_{model}" for model in ("modeladoption", "practicepresentation", "staffcount")
                 for verb in CURATOR]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="indicators",
                                                     codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("participants", "0002_roles_topics_consent"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
