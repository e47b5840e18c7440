"""Hostile input at the API edge: nulls, huge integers, NUL and control characters, coercions.

Each answers 4xx in the common error shape and changes nothing; none reaches the database as a
500. The suite runs on SQLite and, in CI, on PostgreSQL, where NUL and bigint overflow used to
fail inside the driver.
"""

import json

import pytest
from django.test import Client

from events.models import Event
from participants import roles
from participants.models import MentoringGroup, MentorProfile, Person
from tests.factories import (
    EventFactory,
    MentoringGroupFactory,
    MentorProfileFactory,
    PersonFactory,
    TopicFactory,
    make_user,
)

API = "/api/v1"
HUGE = 99999999999999999999  # 20 digits: beyond bigint (2**63 - 1)
LIST_PATHS = [
    "/programs", "/tracks", "/events", "/event-forms", "/people", "/organisations", "/topics",
    "/mentors", "/mentees", "/groups", "/questionnaires", "/rounds",
]


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def send(client, method, url, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(API + url, raw, content_type="application/json")


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    if code:
        assert body["code"] == code
    return body


def event_body(**extra):
    from events.models import EventForm
    form = EventForm.objects.get_or_create(name="семинар")[0]
    return {"title": "Семинар", "form_id": form.pk, "starts_at": "2031-03-01T10:00:00+10:00",
            "ends_at": "2031-03-01T12:00:00+10:00", **extra}


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality, description="Описание", address="ул. Ленина, 1",
                        room="12", online_url="https://meet.example/a")


@pytest.mark.parametrize("field", ["description", "address", "room", "online_url", "title"])
def test_event_patch_with_null_text_is_refused_and_keeps_the_value(curator, event, field):
    before = getattr(event, field)
    response = send(signed_in(curator), "patch", f"/events/{event.pk}", {field: None})
    assert_error(response, 422, "invalid")
    event.refresh_from_db()
    assert getattr(event, field) == before


@pytest.mark.parametrize("field", ["goal", "order_reference"])
def test_group_patch_with_null_text_is_refused(curator, municipality, field):
    group = MentoringGroupFactory(municipality=municipality, goal="Цель")
    response = send(signed_in(curator), "patch", f"/groups/{group.pk}", {field: None})
    assert_error(response, 422, "invalid")
    group.refresh_from_db()
    assert group.goal == "Цель"


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_with_offset_beyond_bigint_is_refused(curator, path):
    response = signed_in(curator).get(f"{API}{path}?offset={HUGE}")
    assert_error(response, 422, "invalid")


@pytest.mark.parametrize("path", ["/events", "/people"])
def test_list_with_limit_beyond_bigint_is_refused(curator, path):
    assert_error(signed_in(curator).get(f"{API}{path}?limit={HUGE}"), 422, "invalid")


@pytest.mark.parametrize("path", [
    f"/events/{HUGE}", f"/programs/{HUGE}", f"/people/{HUGE}", f"/groups/{HUGE}",
    f"/rounds/{HUGE}", f"/imports/{HUGE}", f"/events?program_id={HUGE}",
    f"/people?organisation_id={HUGE}", f"/rounds?event_id={HUGE}",
])
def test_id_beyond_bigint_in_path_or_query_is_a_4xx(curator, path):
    response = signed_in(curator).get(API + path)
    assert response.status_code in (404, 422), response.content
    assert_error(response, response.status_code)


@pytest.mark.parametrize("field", ["form_id", "program_id", "municipality_id", "venue_id"])
def test_event_body_with_id_beyond_bigint_is_refused(curator, field):
    response = send(signed_in(curator), "post", "/events", event_body(**{field: HUGE}))
    assert_error(response, 422, "invalid")
    assert not Event.objects.exists()


def test_id_lists_beyond_bigint_are_refused(curator, municipality):
    person = PersonFactory(municipality=municipality)
    response = send(signed_in(curator), "put", f"/people/{person.pk}/mentor-profile",
                    {"topic_ids": [HUGE]})
    assert_error(response, 422, "invalid")
    response = send(signed_in(curator), "post", "/events", event_body(topic_ids=[-1]))
    assert_error(response, 422, "invalid")


def test_capacity_beyond_what_the_database_holds_is_refused(curator):
    response = send(signed_in(curator), "post", "/events", event_body(capacity=2**40))
    assert_error(response, 422, "invalid")


def test_municipality_id_false_is_not_read_as_zero(curator):
    response = send(signed_in(curator), "post", "/events", event_body(municipality_id=False))
    assert_error(response, 422, "invalid")
    assert not Event.objects.exists()


def test_a_number_is_not_a_date(curator):
    body = {"name": "Программа", "start_date": 0, "end_date": "2031-06-01"}
    assert_error(send(signed_in(curator), "post", "/programs", body), 422, "invalid")


def test_a_string_is_not_a_boolean_in_a_body(curator, municipality, event):
    person = PersonFactory(municipality=municipality)
    response = send(signed_in(curator), "put", f"/events/{event.pk}/attendance/{person.pk}",
                    {"present": "yes"})
    assert_error(response, 422, "invalid")


def test_mentor_profile_body_that_is_not_an_object_keeps_the_topics(curator, municipality):
    profile = MentorProfileFactory(person__municipality=municipality)
    profile.topics.set([TopicFactory()])
    response = send(signed_in(curator), "put", f"/people/{profile.person_id}/mentor-profile",
                    "[null,null]")
    assert_error(response, 422, "invalid")
    assert MentorProfile.objects.get(pk=profile.pk).topics.count() == 1


@pytest.mark.parametrize("text", ["Семинар\x00", "Семи\x07нар", "\x1bСеминар\x7f"])
def test_nul_and_control_characters_never_reach_the_database(curator, text):
    response = send(signed_in(curator), "post", "/events", event_body(title=text,
                                                                       description=text))
    if response.status_code == 201:
        saved = Event.objects.get()
        assert saved.title == "Семинар"
        assert saved.description == "Семинар"
    else:
        assert_error(response, 422, "invalid")


def test_nul_in_a_person_name_is_cleaned_or_refused(curator):
    response = send(signed_in(curator), "post", "/people",
                    {"last_name": "Иванова\x00", "first_name": "Мария\x0b"})
    if response.status_code == 201:
        person = Person.objects.get(user__isnull=True)
        assert (person.last_name, person.first_name) == ("Иванова", "Мария")
    else:
        assert_error(response, 422, "invalid")


def test_nul_in_search_query_answers_a_list(curator, municipality):
    PersonFactory(municipality=municipality, last_name="Скворцова")
    response = signed_in(curator).get(f"{API}/people", {"q": "Сквор\x00цова"})
    assert response.status_code == 200, response.content
    assert [p["last_name"] for p in response.json()["items"]] == ["Скворцова"]


def test_title_with_line_breaks_is_kept_on_one_line(curator):
    response = send(signed_in(curator), "post", "/events",
                    event_body(title="Семинар\r\nBEGIN:VALARM\nX", description="Строка 1\r\n2"))
    assert response.status_code == 201, response.content
    saved = Event.objects.get()
    assert saved.title == "Семинар BEGIN:VALARM X"
    assert saved.description == "Строка 1\n2"


def test_group_goal_null_on_create_is_refused(curator, municipality):
    mentor, mentee = PersonFactory.create_batch(2, municipality=municipality)
    body = {"mentor_id": mentor.pk, "mentee_ids": [mentee.pk], "start_date": "2031-01-01",
            "goal": None}
    assert_error(send(signed_in(curator), "post", "/groups", body), 422, "invalid")
    assert not MentoringGroup.objects.exists()


def test_participant_bearer_token_post_with_nul_answers_4xx(municipality):
    from participants.services import issue_api_token
    user = make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)
    raw = issue_api_token(user, name="test")[1]
    event = EventFactory(municipality=municipality)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post(f"{API}/events/{event.pk}/check-in", json.dumps({"code": "12\x0034"}),
                           content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert_error(response, response.status_code)
