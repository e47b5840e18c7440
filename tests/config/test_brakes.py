"""Brakes on guessing (config/brakes.py, django-axes): each door refuses after its limit."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Attendance
from notifications.delivery import deliver_due
from notifications.models import Notification
from participants import roles
from participants.services import issue_api_token
from tests.factories import (
    EventFactory,
    InvitationFactory,
    PersonFactory,
    RegistrationFactory,
    make_user,
)


def _text(response):
    return " ".join(response.content.decode().split())


# --- sign-in requests ------------------------------------------------------------------------

def test_thirty_signin_requests_for_one_address_send_three_letters(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")

    statuses = [client.post("/signin/", {"email": "anna@school.example"}).status_code
                for _ in range(30)]
    deliver_due()

    assert len(mail.outbox) == 3
    assert statuses[:3] == [200] * 3 and set(statuses[3:]) == {429}


def test_signin_limit_per_address_answers_the_same_for_unknown_addresses(client, db):
    statuses = [client.post("/signin/", {"email": "nobody@school.example"}).status_code
                for _ in range(4)]

    # The brake does not tell a known address from an unknown one either.
    assert statuses == [200, 200, 200, 429]


def test_signin_limit_per_client_stops_trying_many_addresses(client, db):
    statuses = [client.post("/signin/", {"email": f"t{n}@school.example"}).status_code
                for n in range(21)]

    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert "Слишком много попыток" in _text(client.post("/signin/", {"email": "x@school.example"}))


def test_signin_limit_is_per_client(client, db):
    for n in range(20):
        client.post("/signin/", {"email": f"t{n}@school.example"})

    other = client.post("/signin/", {"email": "t99@school.example"}, REMOTE_ADDR="10.0.0.2")

    assert other.status_code == 200


def test_signin_request_is_as_quick_for_known_and_unknown_addresses(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")

    client.post("/signin/", {"email": "anna@school.example"})
    client.post("/signin/", {"email": "nobody@school.example"})

    # Both only write to the database; the letter is the worker's (no SMTP inside the request).
    assert mail.outbox == []
    assert Notification.objects.filter(kind="signin_link").count() == 1


# --- password logins (django-axes) -----------------------------------------------------------

@pytest.mark.parametrize("url", ["/admin/login/", "/login/"])
def test_fifty_wrong_passwords_lock_the_account_for_that_client(client, superuser, url):
    for _ in range(50):
        client.post(url, {"username": "admin", "password": "wrong"})

    response = client.post(url, {"username": "admin", "password": "pass-12345"})

    assert response.status_code == 429
    assert "Вход временно закрыт" in _text(response) and "15 мин" in _text(response)
    assert "_auth_user_id" not in client.session


def test_password_lockout_does_not_lock_the_account_from_another_client(client, superuser):
    for _ in range(6):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "admin", "password": "pass-12345"},
                           REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == superuser.pk


def test_a_few_wrong_passwords_still_let_the_right_one_in(client, superuser):
    for _ in range(4):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})

    assert client.post("/admin/login/",
                       {"username": "admin", "password": "pass-12345"}).status_code == 302


# --- check-in codes --------------------------------------------------------------------------

@pytest.fixture
def running_event(municipality):
    now = timezone.now()
    return EventFactory(municipality=municipality, starts_at=now - datetime.timedelta(minutes=10),
                        ends_at=now + datetime.timedelta(hours=1), checkin_code="123456")


@pytest.fixture
def participant(municipality):
    return make_user("participant", role=roles.PARTICIPANT, municipality=municipality)


def test_checkin_code_locks_after_five_wrong_codes(client, participant, running_event):
    RegistrationFactory(event=running_event, person=participant.person)
    client.force_login(participant)
    url = f"/events/{running_event.pk}/checkin/self/"

    statuses = [client.post(url, {"code": f"00000{n}"}).status_code for n in range(5)]
    right = client.post(url, {"code": "123456"})

    assert statuses == [422] * 5
    assert right.status_code == 429
    assert "Слишком много неверных кодов" in _text(right)
    assert not Attendance.objects.exists()


def test_checkin_lock_is_per_person_and_event(client, participant, running_event, municipality):
    RegistrationFactory(event=running_event, person=participant.person)
    other = EventFactory(municipality=municipality, starts_at=running_event.starts_at,
                         ends_at=running_event.ends_at, checkin_code="654321")
    RegistrationFactory(event=other, person=participant.person)
    client.force_login(participant)
    for n in range(5):
        client.post(f"/events/{running_event.pk}/checkin/self/", {"code": f"00000{n}"})

    response = client.post(f"/events/{other.pk}/checkin/self/", {"code": "654321"})

    assert response.status_code == 302
    assert Attendance.objects.get().event == other


def test_checkin_lock_holds_in_the_api(client, participant, running_event):
    RegistrationFactory(event=running_event, person=participant.person)
    client.force_login(participant)
    url = f"/api/v1/events/{running_event.pk}/check-in"
    for n in range(5):
        client.post(url, {"code": f"00000{n}"}, content_type="application/json")

    response = client.post(url, {"code": "123456"}, content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_requests"
    assert set(response.json()) == {"code", "message", "details"}


# --- survey posts ----------------------------------------------------------------------------

def test_survey_posts_are_limited_per_link(client, municipality):
    invitation = InvitationFactory(round__municipality=municipality)
    url = f"/s/{invitation.token}/"

    statuses = [client.post(url, {"action": "draft"}).status_code for _ in range(21)]

    assert 429 not in statuses[:20] and statuses[20] == 429
    assert "Слишком много попыток" in _text(client.post(url, {"action": "draft"}))


def test_survey_posts_with_guessed_links_are_limited_per_client(client, db):
    statuses = [client.post(f"/s/guess-{n}/", {}).status_code for n in range(61)]

    assert set(statuses[:60]) == {404} and statuses[60] == 429


# --- API tokens ------------------------------------------------------------------------------

def test_wrong_api_tokens_are_refused_with_429_after_twenty(client, curator):
    _token, raw = issue_api_token(curator, name="интеграция")

    statuses = [client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Bearer wrong-{n}").status_code
                for n in range(20)]
    locked = client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Bearer {raw}")
    elsewhere = client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Bearer {raw}",
                           REMOTE_ADDR="10.0.0.2")

    assert set(statuses) == {401}
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_requests" and locked.json()["message"]
    assert elsewhere.status_code == 200
