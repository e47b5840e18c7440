"""Curators see visits and portfolio records, remove records and set the points table."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = {"observationvisit": "view", "achievement": "view delete",
           "pointsrule": "view change"}


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("portfolio")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator, _ = Group.objects.get_or_create(name="Куратор")
    codenames = [f"{verb}_{model}" for model, verbs in CURATOR.items() for verb in verbs.split()]
    curator.permissions.add(*Permission.objects.filter(content_type__app_label="portfolio",
                                                       codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0002_observation_map_template"),
        ("participants", "0002_roles_topics_consent"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
