"""The themes API, page and files: the same figures, scoped to the user's municipality."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from events.models import Track
from tests.factories import make_user
from tests.pdf_text import needs_pdftotext, pdf_text

API = "/api/v1/planning/themes"
pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_api_gives_rankings_coverage_and_suggestions(curator, answered, covered):
    body = signed_in(curator).get(API).json()
    assert [t["name"] for t in body["overall"]][:3] == [
        "Требования ФГОС", "Оценивание результатов", "Работа с родителями"]
    assert [g["label"] for g in body["schools"]] == ["МБОУ СОШ № 1", "МБОУ СОШ № 2"]
    assert body["schools"][0]["topics"][0]["name"] == "Оценивание результатов"
    assert [c["topic"]["name"] for c in body["coverage"] if c["is_gap"]] == [
        "Работа с родителями"]
    assert [c["topic"]["name"] for c in body["suggestions"]] == [
        "Оценивание результатов", "Работа с родителями"]


def test_api_of_another_municipality_sees_none_of_it(other_curator, answered, covered):
    body = signed_in(other_curator).get(API).json()
    assert (body["rounds"], body["overall"], body["coverage"]) == ([], [], [])
    # A difficulty round of another municipality is absent, not forbidden.
    response = signed_in(other_curator).get(API, {"round_id": answered.pk})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    refused = signed_in(other_curator).get(API, {"municipality_id": answered.municipality_id})
    assert refused.status_code == 403 and set(refused.json()) == {"code", "message", "details"}


def test_api_refuses_a_participant_and_an_anonymous_caller(municipality, answered):
    participant = make_user("teacher", role="Участник", municipality=municipality)
    assert signed_in(participant).get(API).status_code == 403
    assert Client().get(API).json()["code"] == "unauthorized"


def test_api_rejects_a_reversed_period_in_the_common_shape(curator, answered):
    response = signed_in(curator).get(API, {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 422 and response.json()["code"] == "period_reversed"


def test_api_accept_creates_a_draft_track(curator, answered, covered, topics):
    program = covered["track"].program
    response = signed_in(curator).post(API + "/accept", {
        "program_id": program.pk, "topic_id": topics[0].pk,
        "mentor_id": covered["m2"].person_id, "start_date": "2027-02-01",
        "end_date": "2027-03-31"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["is_draft"] is True
    track = Track.objects.get(pk=response.json()["id"])
    assert list(track.responsible.all()) == [covered["m2"].person]


def test_api_accept_in_another_municipality_is_a_404(other_curator, covered, topics):
    response = signed_in(other_curator).post(API + "/accept", {
        "program_id": covered["track"].program_id, "topic_id": topics[0].pk,
        "start_date": "2027-02-01", "end_date": "2027-03-31"}, content_type="application/json")
    assert response.status_code == 404


def test_page_shows_rankings_and_accepting_creates_a_draft_track(curator, answered, covered,
                                                                  topics):
    client = signed_in(curator)
    page = client.get("/planning/themes/").content.decode()
    assert "Работа с родителями" in page and "Создать черновик трека" in page
    assert "style=" not in page and "<script" not in page.split("</header>")[-1]
    response = client.post("/planning/themes/accept/", {
        "program": covered["track"].program_id, "topic": topics[4].pk, "mentor": "",
        "start_date": "2027-02-01", "end_date": "2027-03-31"}, follow=True)
    assert "Создан черновик трека" in response.content.decode()
    assert Track.objects.filter(is_draft=True, topics=topics[4]).count() == 1


def test_page_accept_is_for_curators_only(mentor_user, covered, topics):
    response = signed_in(mentor_user).post("/planning/themes/accept/", {
        "program": covered["track"].program_id, "topic": topics[4].pk,
        "start_date": "2027-02-01", "end_date": "2027-03-31"})
    assert response.status_code == 403
    assert not Track.objects.filter(is_draft=True).exists()


def test_xlsx_has_the_rankings_and_neutralises_formulas(curator, answered, covered, topics):
    topics[4].name = "=HYPERLINK(\"http://x\")"
    topics[4].save()
    content = signed_in(curator).get("/planning/themes.xlsx").content
    cells = [c for sheet in load_workbook(io.BytesIO(content)) for row in sheet.iter_rows()
             for c in row if isinstance(c.value, str)]
    values = [c.value for c in cells]
    assert "Требования ФГОС" in values
    assert not any(v.startswith("=") for v in values)
    assert any("HYPERLINK" in v for v in values)


@needs_pdftotext
def test_pdf_shows_the_report_in_russian(curator, answered, covered, tmp_path):
    content = signed_in(curator).get("/planning/themes.pdf").content
    text = pdf_text(content, tmp_path)
    assert "От затруднений к темам" in text and "Требования ФГОС" in text
    assert "Работа с родителями" in text
