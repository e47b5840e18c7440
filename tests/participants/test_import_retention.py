"""A raw roster is personal data: gone once applied, and unapplied uploads expire."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule

from participants import importing, tasks
from participants.models import ImportBatch
from participants.schedules import SCHEDULES, ensure_schedules

ROSTER = ("Фамилия;Имя;E-mail;Телефон;Школа\r\n"
          "Кимова;Анна;kimova@school.example;8 914 000 00 01;Лицей № 3\r\n").encode()
PERSONAL = ("Кимова", "kimova@school.example", "79140000001", "8 914 000 00 01")


def stored_text(batch):
    """Everything the batch's row holds, as one string to search."""
    row = ImportBatch.objects.filter(pk=batch.pk).values().get()
    content = row.pop("content")
    return json.dumps(row, ensure_ascii=False, default=str) + bytes(content or b"").decode()


def uploaded(municipality, *, days_ago=0):
    batch = importing.create_batch(municipality, file_name="педагоги.csv", content=ROSTER)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return ImportBatch.objects.get(pk=batch.pk)


def test_applied_batch_keeps_counts_and_no_name_email_or_phone(municipality, curator):
    batch = uploaded(municipality)
    assert all(value in stored_text(batch) for value in PERSONAL[::3])  # file and preview

    importing.apply_batch(batch, by=curator)

    batch.refresh_from_db()
    assert batch.content is None
    assert batch.summary["counts"] == {"creates": 1, "updates": 0, "unchanged": 0, "errors": 0}
    assert batch.summary["organisations_to_create"] == ["Лицей № 3"]
    text = stored_text(batch)
    assert not [value for value in PERSONAL if value in text]


def test_applied_batch_still_shows_its_counts_in_admin_and_api(municipality, curator):
    batch = uploaded(municipality)
    importing.apply_batch(batch, by=curator)
    client = Client()
    client.force_login(curator)

    page = client.get(f"/admin/participants/importbatch/{batch.pk}/change/")
    listing = client.get("/admin/participants/importbatch/")
    api = client.get(f"/api/v1/imports/{batch.pk}")

    assert page.status_code == 200 and "Кимова" not in page.text
    assert "<td>1</td>" in page.text  # «Создано»
    assert "1 / 0 / 0" in listing.text
    assert api.json()["summary"]["counts"]["creates"] == 1


@pytest.mark.parametrize("days, setting, kept", [(6, 7, True), (8, 7, False), (4, 3, False)])
def test_unapplied_uploads_are_purged_after_the_set_days(municipality, settings, days,
                                                         setting, kept):
    settings.IMPORT_BATCH_RETENTION_DAYS = setting
    batch = uploaded(municipality, days_ago=days)

    tasks.purge_import_batches()

    assert ImportBatch.objects.filter(pk=batch.pk).exists() is kept


def test_purge_scrubs_applied_batches_that_still_hold_a_file_and_runs_twice(municipality,
                                                                          curator):
    old = uploaded(municipality, days_ago=30)
    importing.apply_batch(old, by=curator)
    # As batches applied before this rule were left: file and names kept.
    ImportBatch.objects.filter(pk=old.pk).update(
        content=ROSTER, summary={"creates": [{"row": 2, "name": "Кимова Анна",
                                              "email": "kimova@school.example"}],
                                 "updates": [], "unchanged": 0, "errors": [],
                                 "organisations_to_create": []})
    fresh = uploaded(municipality, days_ago=1)

    first = tasks.purge_import_batches()
    second = tasks.purge_import_batches()

    old.refresh_from_db()
    assert old.content is None and old.summary["counts"]["creates"] == 1
    assert not [value for value in PERSONAL if value in stored_text(old)]
    assert ImportBatch.objects.filter(pk=fresh.pk).exists()
    assert first == {"deleted": 0, "scrubbed": 1} and second == {"deleted": 0, "scrubbed": 0}


def test_the_purge_is_scheduled_daily_once_however_often_set_up(db):
    name = "participants: purge import batches"
    assert name in SCHEDULES
    ensure_schedules()
    call_command("setup_schedules", stdout=open("/dev/null", "w"))  # noqa: SIM115

    schedule = Schedule.objects.get(name=name)  # made by the migration, updated twice
    assert schedule.func == "participants.tasks.purge_import_batches"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert callable(tasks.purge_import_batches)
