"""The practices API: scoped like the rest (another's practice is a 404), the same rules as the
pages, and the open bank without credentials showing contacts only with consent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from practices import services
from practices.models import Material, Practice
from tests.factories import make_user
from tests.practices.builders import bulk_published

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n%%EOF\n"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_mentor_packages_a_program_edits_attaches_and_submits_through_the_api(
        program, mentor):
    api = signed_in(mentor.user)

    created = api.post(f"{API}/practices/from-program", {"program_id": program.pk},
                       content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["author_id"] == mentor.pk and body["program_id"] == program.pk
    assert body["mentee_ids"] == [m.pk for m in program.group.mentees.all()]
    pk = body["id"]

    patched = api.patch(f"{API}/practices/{pk}", {"content": "Коуч-сессии",
                                                   "years_in_position": 7},
                        content_type="application/json")
    assert patched.status_code == 200 and patched.json()["years_in_position"] == 7

    attached = api.post(f"{API}/practices/{pk}/materials",
                        {"kind": "observation", "file": SimpleUploadedFile("лист.pdf", PDF)})
    assert attached.status_code == 201, attached.json()
    assert attached.json()["download_url"].startswith(f"/practices/{pk}/materials/")

    submitted = api.post(f"{API}/practices/{pk}/submit")
    assert submitted.status_code == 201 and submitted.json()["level"] == "school"


def test_an_upload_of_a_forbidden_type_is_a_422_in_russian_and_stores_nothing(
        practice, mentor, media):
    response = signed_in(mentor.user).post(
        f"{API}/practices/{practice.pk}/materials",
        {"kind": "other", "file": SimpleUploadedFile("x.html", b"<script>")})

    assert response.status_code == 422
    assert response.json()["code"] == "file_type_refused"
    assert "не принимаются" in response.json()["message"]
    assert not Material.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_another_mentors_practice_is_404(practice, municipality):
    stranger = make_user("stranger", role="Наставник", municipality=municipality)

    response = signed_in(stranger).get(f"{API}/practices/{practice.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_municipalitys_curator_sees_nothing(practice, other_curator):
    api = signed_in(other_curator)

    assert api.get(f"{API}/practices/{practice.pk}").status_code == 404
    assert api.get(f"{API}/practices").json()["items"] == []


def test_curator_accepts_and_returns_through_the_api(practice, mentor, curator):
    api = signed_in(curator)
    services.submit(practice, by=mentor.user)

    accepted = api.post(f"{API}/practices/{practice.pk}/accept", {"forward": True},
                        content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["outcome"] == "accepted"
    queue = api.get(f"{API}/practice-reviews").json()["items"]
    assert [(r["practice_id"], r["level"]) for r in queue] == [(practice.pk, "municipal")]

    returned = api.post(f"{API}/practices/{practice.pk}/return", {"comment": "Уточните"},
                        content_type="application/json")
    assert returned.status_code == 200 and returned.json()["outcome"] == "returned"


def test_mentor_may_not_accept_through_the_api(practice, mentor):
    services.submit(practice, by=mentor.user)

    response = signed_in(mentor.user).post(f"{API}/practices/{practice.pk}/accept", {},
                                           content_type="application/json")

    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_open_bank_api_needs_no_credentials_and_hides_unconsented_contacts(
        client, municipality, mentor, curator):
    unconsented, consented = bulk_published(municipality, mentor, 2)
    Practice.objects.filter(pk=consented.pk).update(
        contacts_consent_at=consented.published_at, author_phone="+79141234567")
    draft = services.create_practice(mentor, by=mentor.user, data={"title": "Черновик"})

    response = client.get(f"{API}/bank/practices", {"municipality_id": municipality.pk})

    assert response.status_code == 200
    items = {i["id"]: i for i in response.json()["items"]}
    assert set(items) == {unconsented.pk, consented.pk} and draft.pk not in items
    assert items[unconsented.pk]["author_email"] == items[unconsented.pk]["author_phone"] == ""
    assert items[consented.pk]["author_email"] == mentor.email
    assert items[consented.pk]["author_phone"] == "+79141234567"
    assert items[consented.pk]["page_url"] == f"/bank/practices/{consented.pk}/"


def test_practices_list_needs_credentials(client):
    response = client.get(f"{API}/practices")

    assert response.status_code == 401
