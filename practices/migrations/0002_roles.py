"""Curators review and edit practices in the admin; a regional expert role reviews the regional
level (practices/access.py says who decides at which level)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGIONAL_EXPERT = "Региональный эксперт"


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("practices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator, _ = Group.objects.get_or_create(name="Куратор")
    codenames = [f"{verb}_{model}" for model in ("practice", "material", "review")
                 for verb in ("add", "change", "view", "delete")]
    curator.permissions.add(*Permission.objects.filter(content_type__app_label="practices",
                                                       codename__in=codenames))
    expert, _ = Group.objects.get_or_create(name=REGIONAL_EXPERT)
    expert.permissions.add(*Permission.objects.filter(
        content_type__app_label="practices",
        codename__in=["view_practice", "view_material", "view_review"]))


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("participants", "0002_roles_topics_consent"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
