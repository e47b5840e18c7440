"""The notifications API for staff: failed deliveries of their municipality, and resending."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.services import enqueue
from participants import roles
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1"
Status = Notification.Status


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def failed(person, notice):
    enqueue([notice(person, key="failed", context={"title": "Урок",
                                                   "signin_url": "/s/SECRET-TOKEN/"})])
    Notification.objects.update(status=Status.FAILED, attempts=8,
                                last_error="письмо отклонено сервером: 554")
    return Notification.objects.get()


def test_curator_lists_failed_notifications_without_bodies(curator, failed, person, notice):
    enqueue([notice(person, key="pending")])

    response = signed_in(curator).get(f"{API}/notifications", {"status": "failed"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == failed.pk and item["status"] == "failed"
    assert item["status_label"] == "не удалось отправить"
    assert item["kind_label"] == "напоминания о мероприятиях"
    assert item["recipient_name"] == person.full_name
    assert "context" not in item and "SECRET-TOKEN" not in response.content.decode()


def test_list_is_paginated_with_the_same_queries_at_two_sizes(curator, municipality, notice):
    client = signed_in(curator)
    counts = []
    for size in (1, 3):
        Notification.objects.all().delete()
        people = [PersonFactory(municipality=municipality) for _ in range(size)]
        enqueue([notice(p, key=f"k{p.pk}") for p in people])
        Notification.objects.update(status=Status.FAILED)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/notifications", {"status": "failed", "limit": 2})
        counts.append(len(queries))
        assert len(response.json()["items"]) == min(size, 2)
    assert counts[0] == counts[1]


def test_another_municipalitys_notifications_are_invisible(other_curator, failed):
    client = signed_in(other_curator)

    assert client.get(f"{API}/notifications").json()["count"] == 0
    response = client.post(f"{API}/notifications/{failed.pk}/resend")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}


def test_mentor_and_anonymous_are_refused(municipality, failed):
    mentor = make_user("mentor", role=roles.MENTOR, municipality=municipality)

    assert signed_in(mentor).get(f"{API}/notifications").status_code == 403
    assert Client().get(f"{API}/notifications").status_code == 401


def test_curator_resends_a_failed_notification(curator, failed):
    response = signed_in(curator).post(f"{API}/notifications/{failed.pk}/resend")

    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == Status.PENDING and failed.attempts == 0
    assert failed.resent_by == curator
    assert response.json()["status"] == "pending"


def test_resending_a_sent_notification_is_a_conflict_in_russian(curator, failed):
    Notification.objects.update(status=Status.SENT)

    response = signed_in(curator).post(f"{API}/notifications/{failed.pk}/resend")

    assert response.status_code == 409
    assert response.json()["message"] == "Снова отправить можно только неотправленное уведомление."


def test_unknown_status_is_a_422(curator):
    response = signed_in(curator).get(f"{API}/notifications", {"status": "=HYPERLINK(1)"})

    assert response.status_code == 422
