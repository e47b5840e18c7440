"""Evidence files of plan items: stored only once the transaction commits, so a rollback leaves
no file behind; a replaced, cleared or deleted item's old file goes after the commit."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from events.plan import services
from events.plan.models import PlanItem

PDF = b"%PDF-1.4 evidence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item(spassky_program, spassky_curator):
    return services.create_item(spassky_program, by=spassky_curator, title="Отчёт",
                                period_kind="deadline", starts_on=datetime.date(2022, 9, 15))


def _stored(media):
    return sorted(path.relative_to(media).as_posix() for path in Path(media).rglob("*")
                  if path.is_file())


def _upload(content=PDF, name="приказ.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_rolled_back_status_leaves_no_file_in_storage(item, spassky_curator, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())
        raise RuntimeError("the request failed after the service")

    assert _stored(media) == []
    item.refresh_from_db()
    assert not item.evidence_file and item.status == "planned"


def test_a_committed_status_stores_the_file_under_the_rows_name(
        item, spassky_curator, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())

    item.refresh_from_db()
    assert _stored(media) == [item.evidence_file.name]
    assert item.evidence_file.name.startswith("plan-evidence/")
    assert "приказ" not in item.evidence_file.name  # the name is ours, not the sender's
    with item.evidence_file.open("rb") as stored:
        assert stored.read() == PDF


def test_replacing_the_file_removes_the_old_one_after_commit(
        item, spassky_curator, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator,
                            evidence_file=_upload(b"%PDF-1.4 second"))

    item.refresh_from_db()
    assert _stored(media) == [item.evidence_file.name]
    with item.evidence_file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 second"


def test_a_rolled_back_replacement_keeps_the_old_file(
        item, spassky_curator, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())
    item.refresh_from_db()
    kept = item.evidence_file.name

    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_status(item, "done", by=spassky_curator,
                            evidence_file=_upload(b"%PDF-1.4 second"))
        raise RuntimeError("rolled back")

    assert _stored(media) == [kept]
    item.refresh_from_db()
    assert item.evidence_file.name == kept


@pytest.mark.parametrize("how", ["cleared", "deleted"])
def test_clearing_or_deleting_removes_the_file_after_commit(
        item, spassky_curator, media, django_capture_on_commit_callbacks, how):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())

    with django_capture_on_commit_callbacks(execute=True):
        if how == "cleared":
            services.set_status(item, "done", by=spassky_curator, evidence_file="")
        else:
            services.delete_item(PlanItem.objects.get(pk=item.pk), by=spassky_curator)

    assert _stored(media) == []


def test_a_storage_failure_after_commit_leaves_no_row_pointing_at_nothing(
        item, spassky_curator, media, django_capture_on_commit_callbacks, monkeypatch):
    storage = PlanItem._meta.get_field("evidence_file").storage

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(storage, "save", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(item, "done", by=spassky_curator, evidence_file=_upload())

    item.refresh_from_db()
    assert not item.evidence_file and item.status == "done"
    assert _stored(media) == []
