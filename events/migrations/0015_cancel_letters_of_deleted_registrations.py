"""Letters still pending about registrations that were deleted in the admin are cancelled.

Registrations are no longer deleted, only cancelled (events.admin), and a person's first
registration for an event therefore looks for nothing of theirs to supersede
(events.notices.notify_registration). Rows deleted before that left their confirmation and
reminders pending: without this, someone who registered again would get both.
"""

from django.db import migrations

KINDS = ["registration_confirmed", "registration_waitlisted", "registration_promoted",
         "registration_cancelled", "event_reminder"]
PREFIX = "event:"


def cancel_orphans(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Registration = apps.get_model("events", "Registration")
    pending = list(Notification.objects.filter(status="pending", kind__in=KINDS,
                                               subject_key__startswith=PREFIX)
                   .values_list("id", "subject_key", "recipient_id"))
    events = {int(key.removeprefix(PREFIX)) for _id, key, _person in pending}
    registered = set(Registration.objects.filter(event_id__in=events)
                     .values_list("event_id", "person_id"))
    orphans = [pk for pk, key, person in pending
               if (int(key.removeprefix(PREFIX)), person) not in registered]
    Notification.objects.filter(id__in=orphans, status="pending").update(status="cancelled")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0014_event_audience_list"),
        ("notifications", "0009_pending_about_index"),
    ]

    operations = [migrations.RunPython(cancel_orphans, migrations.RunPython.noop)]
