"""The plan REST API: items CRUD with all three kinds of responsible, execution status with
evidence, scoping (another municipality's item is a 404), Russian errors, plan import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.plan.models import PlanImport, PlanItem
from tests.events.plan import spassky
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgramFactory,
    make_user,
)

API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(spassky_curator):
    return signed_in(spassky_curator)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _item(api, program, **extra):
    body = {"program_id": program.pk, "title": "Разработка и утверждение плана мероприятий",
            "period_kind": "deadline", "ends_on": "2022-09-15", **extra}
    return api.post(f"{API}/plan-items", body, content_type="application/json")


def test_item_with_person_organisation_and_text_responsible_round_trips(
        api, spassky_program, spassky_people):
    school = OrganisationFactory(municipality=spassky_program.municipality,
                                 short_name="МБОУ «СОШ №8»")
    event = EventFactory(municipality=spassky_program.municipality, program=spassky_program)

    response = _item(api, spassky_program, number=3, audience=["mentors", "young"],
                     responsible=[{"person_id": spassky_people["Король"].pk},
                                  {"organisation_id": school.pk}, {"text": "МК"}],
                     event_ids=[event.pk])

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["responsible"] == [
        {"kind": "person", "person_id": spassky_people["Король"].pk, "organisation_id": None,
         "name": "Король О.В."},
        {"kind": "organisation", "person_id": None, "organisation_id": school.pk,
         "name": "МБОУ «СОШ №8»"},
        {"kind": "text", "person_id": None, "organisation_id": None, "name": "МК"}]
    assert (body["starts_on"], body["ends_on"], body["period_label"]) == (
        "2022-09-15", "2022-09-15", "до 15.09.2022")
    assert body["audience"] == ["mentors", "young"]
    assert body["event_ids"] == [event.pk]
    assert api.get(f"{API}/plan-items/{body['id']}").json() == body


def test_whole_period_item_reads_the_programs_dates(api, spassky_program):
    response = _item(api, spassky_program, period_kind="whole", ends_on=None)

    assert response.status_code == 201
    assert (response.json()["starts_on"], response.json()["ends_on"]) == ("2022-08-01",
                                                                         "2023-06-30")


def test_patch_changes_the_period_and_delete_removes_the_item(api, spassky_program):
    item_id = _item(api, spassky_program).json()["id"]

    patched = api.patch(f"{API}/plan-items/{item_id}",
                        {"period_kind": "month", "starts_on": "2022-10-15"},
                        content_type="application/json")

    assert patched.status_code == 200
    assert (patched.json()["starts_on"], patched.json()["ends_on"]) == ("2022-10-01",
                                                                       "2022-10-31")
    assert api.delete(f"{API}/plan-items/{item_id}").status_code == 204
    assert not PlanItem.objects.exists()


def test_other_municipalitys_item_is_404_in_the_common_shape(api, db):
    foreign_program = ProgramFactory(municipality=MunicipalityFactory(name="Другой район"))
    foreign = PlanItem.objects.create(program=foreign_program, title="Чужой пункт",
                                      period_kind="whole")

    for method in ("get", "patch", "delete"):
        response = getattr(api, method)(f"{API}/plan-items/{foreign.pk}", {},
                                        content_type="application/json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert _item(api, foreign_program).status_code == 422  # program_id out of reach
    assert api.get(f"{API}/plan-items").json()["count"] == 0


def test_mentor_cannot_write_the_plan(spassky_program, spassky_municipality):
    from participants import roles

    mentor = make_user("spassky-mentor", role=roles.MENTOR, municipality=spassky_municipality)

    response = _item(signed_in(mentor), spassky_program)

    assert response.status_code == 403
    assert response.json()["message"] == "Нет прав на изменение данных этого муниципалитета."


@pytest.mark.parametrize(("extra", "message"), [
    ({"period_kind": "range", "starts_on": "2022-10-10", "ends_on": "2022-10-01"},
     "Конец периода должен быть не раньше начала."),
    ({"responsible": [{"text": "МК", "person_id": 1}]},
     "Ответственный — это person_id, organisation_id или text, что-то одно."),
    ({"title": "\x00\x0b  "}, "Данные запроса не прошли проверку."),  # empty once cleaned
])
def test_invalid_item_is_refused_in_russian(api, spassky_program, extra, message):
    response = _item(api, spassky_program, **extra)

    assert response.status_code == 422
    assert response.json()["message"] == message


def test_hostile_title_is_kept_as_plain_text(api, spassky_program):
    title = "=HYPERLINK(\"http://x\")\r\nРТЛ \u202e текст 😀\x00 " + "я" * 10

    response = _item(api, spassky_program, title=title)

    assert response.status_code == 201
    # Line breaks fold into a space; NUL and the bidi override go (config.text_input); the
    # formula stays text until an export escapes it.
    assert response.json()["title"] == "=HYPERLINK(\"http://x\") РТЛ текст 😀 " + "я" * 10


def test_status_with_evidence_file_and_its_download(api, spassky_program,
                                                    django_capture_on_commit_callbacks):
    item_id = _item(api, spassky_program).json()["id"]
    upload = SimpleUploadedFile("приказ.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")

    with django_capture_on_commit_callbacks(execute=True):  # the file is written on commit
        response = api.post(f"{API}/plan-items/{item_id}/status",
                            {"status": "done", "note": "План утверждён приказом 165/1-А",
                             "evidence_url": "https://spassk.example/prikaz",
                             "evidence_file": upload})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_note"], body["evidence_url"]) == (
        "done", "План утверждён приказом 165/1-А", "https://spassk.example/prikaz")
    download = api.get(body["evidence_file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("evil.exe", b"MZ", "Файл подтверждения: допускаются PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT, "
                        "ODS."),
    ("fake.pdf", b"<html>", "Содержимое файла подтверждения не соответствует расширению .pdf."),
])
def test_evidence_file_of_wrong_type_is_refused(api, spassky_program, name, content, message):
    item_id = _item(api, spassky_program).json()["id"]

    response = api.post(f"{API}/plan-items/{item_id}/status",
                        {"status": "done", "evidence_file": SimpleUploadedFile(name, content)})

    assert response.status_code == 422
    assert response.json()["message"] == message
    assert PlanItem.objects.get().status == "planned"


def test_evidence_file_over_the_limit_is_refused(api, spassky_program, monkeypatch):
    from events.plan import services

    monkeypatch.setattr(services, "MAX_EVIDENCE_BYTES", 10)
    item_id = _item(api, spassky_program).json()["id"]

    response = api.post(f"{API}/plan-items/{item_id}/status", {
        "status": "done", "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20)})

    assert response.status_code == 422
    assert response.json()["message"].startswith("Файл подтверждения больше ")


def test_plan_import_preview_then_apply(api, spassky_program, spassky_people):
    upload = SimpleUploadedFile("plan.docx", spassky.docx_bytes())

    preview = api.post(f"{API}/plan-imports", {"program_id": spassky_program.pk, "file": upload})

    assert preview.status_code == 201, preview.content
    summary = preview.json()["summary"]
    assert summary["counts"] == {"creates": 16, "updates": 0, "unchanged": 0, "errors": 0}
    assert summary["rows"][2]["period"]["label"] == "до 15.09.2022"
    assert not PlanItem.objects.exists()
    applied = api.post(f"{API}/plan-imports/{preview.json()['id']}/apply")
    assert applied.status_code == 200
    assert applied.json()["applied_at"] is not None
    assert PlanItem.objects.count() == 16
    again = api.post(f"{API}/plan-imports/{preview.json()['id']}/apply")
    assert again.status_code == 409
    assert PlanImport.objects.get().content is None  # the file is dropped once applied


def test_plan_import_with_errors_cannot_be_applied(api, spassky_program):
    rows = [("1", "Мониторинг", "когда-нибудь", "МК")]
    upload = SimpleUploadedFile("plan.csv", spassky.csv_bytes(rows))

    preview = api.post(f"{API}/plan-imports", {"program_id": spassky_program.pk, "file": upload})
    applied = api.post(f"{API}/plan-imports/{preview.json()['id']}/apply")

    assert preview.json()["summary"]["errors"] == [
        {"row": 2, "message": "Срок «когда-нибудь» не распознан: непонятно «когда»."}]
    assert applied.status_code == 422
    assert applied.json()["code"] == "import_failed"
    assert not PlanItem.objects.exists()


def test_other_municipalitys_plan_import_is_404(api, db):
    foreign = PlanImport.objects.create(
        program=ProgramFactory(municipality=MunicipalityFactory(name="Другой район")),
        file_name="plan.csv", content=b"x")

    assert api.get(f"{API}/plan-imports/{foreign.pk}").status_code == 404
    assert api.post(f"{API}/plan-imports/{foreign.pk}/apply").status_code == 404


def test_item_list_is_in_period_order(api, spassky_program, spassky_people):
    from events.plan import importing

    importing.apply_import(spassky_program, spassky.docx_bytes(), "plan.docx")

    items = api.get(f"{API}/plan-items?program_id={spassky_program.pk}&limit=100").json()["items"]

    starts = [datetime.date.fromisoformat(item["starts_on"]) for item in items]
    assert starts == sorted(starts)
    assert len(items) == 16
