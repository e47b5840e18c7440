"""/healthz: JSON with the state of the database, broker, worker and outbox; 200 or 503."""

import datetime
import json

from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from operations import health
from tests.factories import PersonFactory


def _get(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def _pending(person, age, key):
    return Notification.objects.create(
        recipient=person, kind="event_reminder", dedup_key=key, template="x",
        context={"email": person.email}, scheduled_at=timezone.now() - age)


def test_healthz_without_a_worker_is_503_naming_the_worker(client, db):
    response, body = _get(client)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"] == {**body["checks"]["worker"], "ok": False, "clusters": 0}


def test_healthz_reports_outbox_backlog_and_oldest_due_row(client, municipality):
    person = PersonFactory(municipality=municipality, email="ivanova@school.example",
                           last_name="Иванова")
    _pending(person, datetime.timedelta(minutes=3), "a")
    _pending(person, datetime.timedelta(minutes=1), "b")
    _pending(person, -datetime.timedelta(hours=1), "later")  # not due yet

    _response, body = _get(client)

    outbox = body["checks"]["outbox"]
    assert outbox["ok"] is True
    assert outbox["due"] == 2
    assert 180 <= outbox["oldest_due_age_seconds"] < 240


def test_healthz_fails_the_outbox_when_a_due_letter_waited_too_long(client, municipality):
    person = PersonFactory(municipality=municipality)
    _pending(person, datetime.timedelta(seconds=health.OUTBOX_MAX_AGE_SECONDS + 60), "old")

    response, body = _get(client)

    assert response.status_code == 503
    assert body["checks"]["outbox"]["ok"] is False


def test_healthz_holds_no_personal_data(client, municipality):
    person = PersonFactory(municipality=municipality, email="secret.person@school.example",
                           last_name="Засекреченная", phone="+79991234567")
    _pending(person, datetime.timedelta(hours=2), "key-with-person")

    response, _body = _get(client)

    text = response.content.decode()
    for value in ("secret.person", "Засекреченная", "+79991234567", "key-with-person"):
        assert value not in text


def test_healthz_reports_a_database_failure_as_503_without_the_error_text(client, db,
                                                                         monkeypatch):
    class Unreachable:
        vendor = connection.vendor

        def cursor(self):
            raise connection.Database.OperationalError("connection to 10.0.0.5 refused, pw=x")

    monkeypatch.setattr(health, "connection", Unreachable())

    response, body = _get(client)

    assert response.status_code == 503
    assert body["checks"]["database"] == {**body["checks"]["database"], "ok": False,
                                          "error": "OperationalError"}
    assert body["checks"]["outbox"]["ok"] is False
    assert "10.0.0.5" not in response.content.decode()


def test_healthz_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405
