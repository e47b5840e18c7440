"""A database that is away gives a Russian 503 with Retry-After, for the API and for pages."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from notifications import api as notifications_api
from participants import roles

pytestmark = pytest.mark.django_db


def refuse(exc):
    def raising(*args, **kwargs):
        raise exc

    return raising


@pytest.mark.parametrize("exc", [OperationalError("server closed the connection unexpectedly"),
                                 InterfaceError("connection already closed")])
def test_api_answers_503_with_retry_after_when_the_database_is_away(curator, monkeypatch, exc):
    monkeypatch.setattr(notifications_api, "_notifications", refuse(exc))
    client = Client()
    client.force_login(curator)

    response = client.get("/api/v1/notifications")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "unavailable"
    assert "повторите запрос" in body["message"]


def test_page_answers_503_with_retry_after_when_the_database_is_away(db, monkeypatch):
    # the first query of the events page
    monkeypatch.setattr(roles, "municipality_id_of",
                        refuse(OperationalError("the database system is shutting down")))
    client = Client(raise_request_exception=False)

    response = client.get("/events/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Сервис временно недоступен" in response.content.decode()


def test_other_server_errors_stay_500(db, monkeypatch):
    monkeypatch.setattr(roles, "municipality_id_of", refuse(RuntimeError("boom")))
    client = Client(raise_request_exception=False)

    response = client.get("/events/")

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
