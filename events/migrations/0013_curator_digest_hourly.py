"""The curators' digest goes at 08:00 in each municipality's zone: the schedule runs hourly, on
the hour, and each run writes the digests of the zones where it is eight (events.digest)."""

import datetime

from django.db import migrations
from django.utils import timezone

NAME = "curator-digest"
HOURLY = "H"  # Schedule.HOURLY, spelled out for the historical model
DAILY = "D"


def next_hour(now):
    return now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)


def forwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={"func": "events.tasks.send_curator_digests", "schedule_type": HOURLY,
                  "repeats": -1, "next_run": next_hour(timezone.now())},
    )


def backwards(apps, schema_editor):
    schedule = apps.get_model("django_q", "Schedule")
    schedule.objects.filter(name=NAME).update(schedule_type=DAILY)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0012_attendance_sheet_closure"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
