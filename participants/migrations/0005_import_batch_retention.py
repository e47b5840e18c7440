"""Raw rosters are personal data: applied batches keep only counts; a daily purge expires the rest."""

from django.db import migrations, models

from participants.schedules import ensure_schedules


def _counts(summary):
    return {"creates": len(summary.get("creates") or []),
            "updates": len(summary.get("updates") or []),
            "unchanged": summary.get("unchanged", 0),
            "errors": len(summary.get("errors") or [])}


def forwards(apps, schema_editor):
    ensure_schedules(apps.get_model("django_q", "Schedule"))
    ImportBatch = apps.get_model("participants", "ImportBatch")
    for batch in ImportBatch.objects.all():
        summary = batch.summary or {}
        counts = summary.get("counts") or _counts(summary)
        if batch.applied_at is not None:
            batch.content = None
            batch.summary = {"counts": counts,
                             "organisations_to_create": summary.get("organisations_to_create", [])}
        else:
            batch.summary = {**summary, "counts": counts}
        batch.save(update_fields=["content", "summary"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_cache_table"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importbatch",
            name="content",
            field=models.BinaryField(blank=True, null=True, verbose_name="содержимое"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
