"""The flash-mentoring API: the curator's meeting (scoped), the participant's personal link."""

import pytest
from django.test import Client

from participants.models import MentoringGroup
from planning.models import FlashParticipant
from tests.factories import EventFactory
from tests.planning.fixtures import participant

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def url(event, tail):
    return f"/api/v1/planning/flash/{event.pk}/{tail}"


@pytest.fixture
def opened(meeting, curator):
    event, young = meeting
    response = signed_in(curator).post(url(event, "open"))
    assert response.status_code == 200, response.content
    assert response.json() == {"sent": 5}
    return event, young


def choose(who, chosen, *, consent=True):
    return Client().put(f"/api/v1/flash/{who.token}", {"chosen": [c.pk for c in chosen],
                                                       "consent": consent},
                        content_type="application/json")


def test_curator_lists_the_choices_of_the_meeting(opened, school, curator):
    event, (zaytseva, _ilyina) = opened
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    assert choose(broad, [z]).status_code == 200
    items = {i["person_id"]: i for i in
             signed_in(curator).get(url(event, "participants")).json()["items"]}
    assert len(items) == 5
    assert items[school["broad"].pk] | {"chosen_at": None} == {
        "id": broad.pk, "person_id": school["broad"].pk,
        "full_name": school["broad"].full_name,
        "side": "mentor", "capacity": 2, "chosen_at": None, "consented": True,
        "chosen": [z.pk]}
    assert items[zaytseva.pk]["chosen"] == [] and not items[zaytseva.pk]["consented"]


def test_participant_reads_and_saves_choices_by_the_link(opened, school):
    event, (zaytseva, _ilyina) = opened
    z = participant(event, zaytseva)
    page = Client().get(f"/api/v1/flash/{z.token}")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    body = page.json()
    assert body["side"] == "mentee" and body["chosen"] == [] and not body["consented"]
    assert [c["full_name"] for c in body["candidates"]] == [school["broad"].full_name,
                                                       school["near"].full_name]
    near, broad = participant(event, school["near"]), participant(event, school["broad"])
    saved = choose(z, [near, broad])
    assert saved.status_code == 200
    assert saved.json()["chosen"] == [near.pk, broad.pk] and saved.json()["consented"]


def test_participant_errors_in_the_common_shape(opened, school):
    event, (zaytseva, ilyina) = opened
    z, i = participant(event, zaytseva), participant(event, ilyina)
    same_side = choose(z, [i])
    assert same_side.status_code == 422 and set(same_side.json()) == {"code", "message",
                                                                      "details"}
    no_consent = choose(z, [participant(event, school["broad"])], consent=False)
    assert no_consent.status_code == 422
    assert no_consent.json()["details"] == {"field": "consent"}
    unknown = Client().get("/api/v1/flash/" + "x" * 32)
    assert unknown.status_code == 404 and unknown.json()["message"] == "Ссылка недействительна."


def test_matching_preview_and_confirmation_form_the_pair(opened, school, curator):
    event, (zaytseva, ilyina) = opened
    broad, near = participant(event, school["broad"]), participant(event, school["near"])
    andreeva, z, i = (participant(event, p) for p in (school["mentee"], zaytseva, ilyina))
    choose(broad, [z, andreeva])
    choose(near, [andreeva])
    choose(andreeva, [near, broad])
    choose(z, [broad])
    choose(i, [], consent=False)  # chose nobody
    client = signed_in(curator)
    result = client.get(url(event, "result")).json()
    assert (result["answered"], result["total"]) == (5, 5)
    assert {(p["mentor_id"], p["mentee_id"], p["mentor_rank"], p["mentee_rank"])
            for p in result["proposals"]} == {(near.pk, andreeva.pk, 1, 1),
                                              (broad.pk, z.pk, 1, 1)}
    assert [(u["id"], u["side"], u["chosen_names"]) for u in result["unmatched"]] == [
        (i.pk, "mentee", [])]
    formed = client.post(url(event, "confirm"), {"mentor_id": broad.pk, "mentee_id": z.pk},
                         content_type="application/json")
    assert formed.status_code == 201, formed.content
    group = MentoringGroup.objects.get(pk=formed.json()["group_id"])
    assert (group.mentor, group.memberships.get().mentee) == (school["broad"], zaytseva)
    assert group.mentor_consent_at is not None  # both agreed on their links
    confirmed = {(p["mentor_id"], p["mentee_id"]): p["is_confirmed"]
                 for p in client.get(url(event, "result")).json()["proposals"]}
    assert confirmed == {(broad.pk, z.pk): True, (near.pk, andreeva.pk): False}


def test_one_sided_choice_is_refused_and_no_pair_formed(opened, school, curator):
    event, (zaytseva, _ilyina) = opened
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    choose(broad, [z])
    response = signed_in(curator).post(url(event, "confirm"),
                                       {"mentor_id": broad.pk, "mentee_id": z.pk},
                                       content_type="application/json")
    assert response.status_code == 422
    assert not MentoringGroup.objects.filter(mentor=school["broad"]).exclude(
        memberships__mentee=school["paired"]).exists()


def test_another_municipality_and_mentors_are_kept_out(opened, other_curator, mentor_user):
    event, _young = opened
    for tail in ("participants", "result"):
        response = signed_in(other_curator).get(url(event, tail))
        assert response.status_code == 404 and response.json()["code"]
        assert signed_in(mentor_user).get(url(event, tail)).status_code == 403
    assert signed_in(other_curator).post(url(event, "open")).status_code == 404
    anonymous = Client().get(url(event, "participants"))
    assert anonymous.status_code == 401
    assert FlashParticipant.objects.filter(event=event).count() == 5


def test_choices_open_only_after_a_flash_meeting_in_the_common_shape(municipality, curator):
    event = EventFactory(municipality=municipality)
    response = signed_in(curator).post(url(event, "open"))
    assert response.status_code == 422 and response.json()["code"]
