"""The mentor-suggestions API: curators only, scoped, errors in the common shape."""

import pytest
from django.test import Client
from django.utils import timezone

from participants.models import MentoringGroup
from tests.planning.fixtures import difficulty_answers

pytestmark = pytest.mark.django_db

URL = "/api/v1/planning/mentor-suggestions"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_curator_reads_suggestions_with_reasons(school, curator):
    body = signed_in(curator).get(URL, {"preference": "network"}).json()
    item = next(i for i in body["items"] if i["mentee_id"] == school["mentee"].pk)
    first = item["suggestions"][0]
    assert (first["mentor_id"], first["score"]) == (school["broad"].pk, 0.95)
    assert first["reason"] == ("может помочь: проектирование урока, работа с родителями; "
                               "другая школа; 1 из 3 мест занято")


def test_mentor_may_not_read_suggestions(school, mentor_user):
    response = signed_in(mentor_user).get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_confirm_forms_the_pair(school, curator):
    response = signed_in(curator).post(
        f"{URL}/confirm", {"mentee_id": school["mentee"].pk, "mentor_id": school["broad"].pk,
                           "consent_at": "2026-11-30T10:00:00+10:00"},
        content_type="application/json")
    assert response.status_code == 201
    group = MentoringGroup.objects.get(pk=response.json()["group_id"])
    assert group.mentor == school["broad"]
    assert group.memberships.get().mentee == school["mentee"]


def test_confirm_for_a_full_mentor_is_a_conflict_in_the_common_shape(school, curator):
    response = signed_in(curator).post(
        f"{URL}/confirm", {"mentee_id": school["mentee"].pk, "mentor_id": school["full"].pk},
        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "mentor_full"


def test_people_of_another_municipality_are_not_found(school, other_curator):
    response = signed_in(other_curator).post(
        f"{URL}/confirm", {"mentee_id": school["mentee"].pk, "mentor_id": school["broad"].pk},
        content_type="application/json")
    assert response.status_code == 404
    assert signed_in(other_curator).get(URL).json()["items"] == []


def test_capacity_set_through_the_registry_api_changes_the_reason(school, curator):
    client = signed_in(curator)
    response = client.put(f"/api/v1/people/{school['broad'].pk}/mentor-profile",
                          {"topic_ids": [t.pk for t in school["topics"][:2]], "capacity": 5},
                          content_type="application/json")
    assert response.status_code == 200
    assert response.json()["capacity"] == 5
    item = next(i for i in client.get(URL).json()["items"]
                if i["mentee_id"] == school["mentee"].pk)
    assert item["suggestions"][0]["reason"].endswith("1 из 5 мест занято")


def test_suggestions_for_one_round_or_a_period(school, curator, municipality):
    lesson, parents, ovz = school["topics"]
    old = difficulty_answers(municipality, school["mentee"], {ovz: 5}, days_ago=200)
    client = signed_in(curator)

    def difficulties(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return next(i for i in response.json()["items"]
                    if i["mentee_id"] == school["mentee"].pk)["difficulties"]

    assert "ОВЗ: инклюзивное обучение" not in difficulties("")
    assert "ОВЗ: инклюзивное обучение" in difficulties(f"round_id={old.pk}")
    # The period's dates are days of the site's zone (TIME_ZONE), as `opens_at__date` reads
    # them: for a round opened late in the UTC evening the UTC date is the day before.
    assert "ОВЗ: инклюзивное обучение" in difficulties(
        "start=2000-01-01&end=" + timezone.localdate(old.opens_at).isoformat())


def test_suggestion_period_errors_in_the_common_shape(school, curator, other_curator,
                                                      municipality):
    old = difficulty_answers(municipality, school["mentee"], {}, days_ago=200)
    response = signed_in(curator).get(f"{URL}?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 422
    assert response.json()["code"] == "period_reversed"
    response = signed_in(other_curator).get(f"{URL}?round_id={old.pk}")
    assert response.status_code == 404 and set(response.json()) == {"code", "message",
                                                                     "details"}
