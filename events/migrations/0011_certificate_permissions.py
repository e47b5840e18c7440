"""Curators see, download and revoke the certificates of their municipality in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator, _ = Group.objects.get_or_create(name="Куратор")
    curator.permissions.add(*Permission.objects.filter(content_type__app_label="events",
                                                       codename="view_certificate"))


class Migration(migrations.Migration):
    dependencies = [("events", "0010_certificates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
