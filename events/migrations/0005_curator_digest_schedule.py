"""The curators' daily digest runs at 08:00 server time, every day, on every install."""

import datetime

from django.db import migrations
from django.utils import timezone

NAME = "curator-digest"
AT = datetime.time(8, 0)
DAILY = "D"  # Schedule.DAILY, spelled out for the historical model


def next_morning(now):
    """The next 08:00 in the server's zone (TIME_ZONE); the digest names that day."""
    local = timezone.localtime(now)
    run = local.replace(hour=AT.hour, minute=AT.minute, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def forwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={"func": "events.tasks.send_curator_digests", "schedule_type": DAILY,
                  "repeats": -1, "next_run": next_morning(timezone.now())},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_program_reminders"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
