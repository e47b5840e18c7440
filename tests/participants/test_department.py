"""The education department's name, kept by the curator (admin, API); tests/events/certificates/
test_pdf.py proves reports and certificates print it."""

import pytest
from django.test import Client
from django.urls import reverse

from participants import roles
from tests.factories import make_user

API = "/api/v1/municipalities"
NAMED = "Управление образования администрации Ханкайского муниципального округа"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_without_a_name_reports_print_a_generic_one(municipality):
    assert municipality.department_name == f"Управление образования · {municipality.name}"


def test_curator_names_the_department_through_the_api(curator, municipality):
    response = signed_in(curator).patch(
        f"{API}/{municipality.pk}", {"department": f"  {NAMED}\r\n\x00 "},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["department"] == NAMED
    municipality.refresh_from_db()
    assert municipality.department == NAMED == municipality.department_name
    listed = signed_in(curator).get(API).json()["items"]
    assert [(m["id"], m["department_name"]) for m in listed] == [(municipality.pk, NAMED)]


def test_another_municipality_is_a_404_and_a_mentor_is_refused(curator, municipality,
                                                                other_municipality):
    response = signed_in(curator).patch(f"{API}/{other_municipality.pk}", {"department": "X"},
                                        content_type="application/json")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}
    mentor = make_user("mentor-d", role=roles.MENTOR, municipality=municipality)
    response = signed_in(mentor).patch(f"{API}/{municipality.pk}", {"department": "X"},
                                       content_type="application/json")
    assert response.status_code == 403
    other_municipality.refresh_from_db()
    municipality.refresh_from_db()
    assert (other_municipality.department, municipality.department) == ("", "")


def test_too_long_a_name_is_a_422(curator, municipality):
    response = signed_in(curator).patch(f"{API}/{municipality.pk}", {"department": "Я" * 301},
                                        content_type="application/json")
    assert response.status_code == 422


def test_curator_edits_only_the_department_in_the_admin(curator, municipality):
    url = reverse("admin:participants_municipality_change", args=[municipality.pk])
    response = signed_in(curator).post(url, {"name": "Подмена", "time_zone": "UTC",
                                             "department": NAMED})
    assert response.status_code == 302, response.content.decode()[:2000]
    municipality.refresh_from_db()
    assert municipality.department == NAMED and municipality.name != "Подмена"
    assert municipality.time_zone != "UTC"


@pytest.mark.parametrize("hostile, stored", [
    ('=HYPERLINK("http://x")', '=HYPERLINK("http://x")'),  # text; exports neutralise it
    ("Управление\x0bобразования\u202e", "Управление образования")])
def test_hostile_department_is_stored_clean(curator, municipality, hostile, stored):
    response = signed_in(curator).patch(f"{API}/{municipality.pk}", {"department": hostile},
                                        content_type="application/json")
    assert response.status_code == 200
    municipality.refresh_from_db()
    assert municipality.department == stored
