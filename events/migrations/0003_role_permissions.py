"""Curators plan events and manage registrations; mentors see them and mark attendance."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = {
    "program": "add change view", "track": "add change view delete", "event": "add change view",
    "eventform": "add change view", "registration": "view", "attendance": "view",
    "eventchange": "view", "calendarfeed": "view",
}
MENTOR = {"program": "view", "track": "view", "event": "view", "registration": "view",
          "attendance": "view"}


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
    dependencies = [
        ("events", "0002_event_forms"),
        ("participants", "0002_roles_topics_consent"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
