"""Event.audience: one value → a list of values; each event keeps the value it had."""

from django.db import migrations

import events.models


def to_lists(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    # One UPDATE per value (there are five), not one per event.
    for code in set(Event.objects.values_list("audience_single", flat=True)):
        Event.objects.filter(audience_single=code).update(audience=[code or "all"])


def to_single(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.only("pk", "audience").iterator():
        Event.objects.filter(pk=event.pk).update(
            audience_single=(event.audience or ["all"])[0])


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0013_curator_digest_hourly"),
    ]

    operations = [
        migrations.RenameField(model_name="event", old_name="audience",
                               new_name="audience_single"),
        migrations.AddField(
            model_name="event",
            name="audience",
            field=events.models.AudienceField(default=events.models.default_audience,
                                              verbose_name="для кого"),
        ),
        migrations.RunPython(to_lists, to_single),
        migrations.RemoveField(model_name="event", name="audience_single"),
        migrations.AlterField(
            model_name="planitem",
            name="audience",
            field=events.models.AudienceField(blank=True, default=list,
                                              help_text="для кого, как у мероприятий",
                                              verbose_name="участники"),
        ),
    ]
