"""Delivery schedules exist on every install; curators see the outbox and resend what failed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from notifications.schedules import ensure_schedules

CURATOR = ["view_notification", "change_notification", "view_preference", "change_preference"]


def forwards(apps, schema_editor):
    ensure_schedules(apps.get_model("django_q", "Schedule"))
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Куратор")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="notifications",
                                                     codename__in=CURATOR))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery"),
        ("participants", "0002_roles_topics_consent"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
