"""GET /api/v1/indicators: figures, period, files; nothing of another municipality."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from participants import roles
from tests.indicators.conftest import staff_user

URL = "/api/v1/indicators"
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(indicator_curator):
    return signed_in(indicator_curator)


def by_key(body):
    return {i["key"]: i for i in body["indicators"]}


def test_curator_reads_every_indicator_of_the_period(api, world, elsewhere):
    response = api.get(URL, PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert body["previous_period"] == {"start": "2025-10-03", "end": "2025-12-31"}
    indicators = by_key(body)
    adopted = indicators["schools_adopted"]
    assert (adopted["numerator"], adopted["denominator"], adopted["share"]) == (2, 4, 0.5)
    assert (adopted["previous_numerator"], adopted["previous_denominator"]) == (1, 4)
    assert adopted["change_points"] == 25.0
    assert [i["name"] for i in adopted["items"]] == ["МБОУ СОШ A", "МБОУ СОШ B"]
    assert indicators["attendance"]["numerator"] == 4
    assert body["attendance_by_month"] == [
        {"month": "01.2026", "registered": 4, "attended": 3},
        {"month": "02.2026", "registered": 2, "attended": 1}]


def test_another_municipality_data_never_shows(world, elsewhere, other_indicator_curator):
    body = signed_in(other_indicator_curator).get(URL, PERIOD).json()
    assert body["municipality"] == "Городской округ Большой Камень"
    assert by_key(body)["schools_adopted"]["denominator"] == 4
    names = [item["name"] for i in body["indicators"] for item in i["items"]]
    assert names and all("-БК" in name for name in names if "СОШ" in name or "Мария" in name)
    assert "МБОУ СОШ A" not in names and "Аксёнова Мария Петровна" not in names


def test_a_curator_naming_another_municipality_gets_404(api, other_municipality, elsewhere):
    response = api.get(URL, {**PERIOD, "municipality_id": other_municipality.pk})
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}


def test_superuser_names_the_municipality(superuser, municipality, world):
    client = signed_in(superuser)
    assert client.get(URL, PERIOD).status_code == 404  # no municipality of their own
    body = client.get(URL, {**PERIOD, "municipality_id": municipality.pk}).json()
    assert by_key(body)["teachers_in_groups"]["numerator"] == 5


def test_a_mentor_is_refused(municipality):
    mentor = staff_user("indicator-mentor", municipality, role=roles.MENTOR)
    response = signed_in(mentor).get(URL, PERIOD)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_anonymous_gets_401(db):
    assert Client().get(URL, PERIOD).status_code == 401


@pytest.mark.parametrize("query", [{"from": "2026-03-31", "to": "2026-01-01"},
                                   {"from": "1900-01-01", "to": "2026-01-01"},
                                   {"from": "2026-13-01"}, {"from": "0"}])
def test_a_wrong_period_is_refused_in_the_common_shape(api, query):
    response = api.get(URL, query)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "details"}


def test_without_a_period_the_school_year_is_read(api, world):
    body = api.get(URL).json()
    start, end = body["period"]["start"], body["period"]["end"]
    assert start.endswith("-09-01") and end.endswith("-08-31")


def test_report_files_come_as_pdf_and_xlsx(api, world):
    pdf = api.get(f"{URL}.pdf", PERIOD)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = api.get(f"{URL}.xlsx", PERIOD)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Показатели"]["B7"].value == 2


def test_query_count_does_not_grow_with_the_municipality(api, municipality, world,
                                                         django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        api.get(URL, PERIOD)
    from tests.indicators.conftest import build_world

    build_world(municipality, mark="-2")  # twice the schools, people, pairs, events and answers
    with django_assert_num_queries(QUERIES):
        body = api.get(URL, PERIOD).json()
    assert by_key(body)["schools_adopted"]["denominator"] == 8


QUERIES = 18
