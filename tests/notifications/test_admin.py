"""The outbox in the admin: a curator sees their municipality's failures and resends them."""

import pytest
from django.core import mail

from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.services import enqueue
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/notification/"


@pytest.fixture
def failed(person, notice):
    enqueue([notice(person, key="failed-one")])
    Notification.objects.update(status=Notification.Status.FAILED,
                                last_error="SMTPServerDisconnected: сервер недоступен")
    return Notification.objects.get()


def test_curator_sees_failed_notifications_of_their_municipality(client, curator, failed,
                                                                 other_municipality, notice):
    stranger = PersonFactory(municipality=other_municipality, last_name="Чужая")
    enqueue([notice(stranger, key="other")])
    client.force_login(curator)

    response = client.get(URL, {"status__exact": "failed"})

    assert response.status_code == 200
    assert "SMTPServerDisconnected" in response.text
    assert "Чужая" not in response.text


def test_curator_cannot_open_another_municipalitys_notification(client, curator,
                                                                other_municipality, notice):
    stranger = PersonFactory(municipality=other_municipality)
    enqueue([notice(stranger, key="other")])
    client.force_login(curator)

    response = client.get(f"{URL}{Notification.objects.get().pk}/change/")

    assert response.status_code == 302  # the admin's «not found»: back to the list


def test_curator_resends_a_failed_notification(client, curator, failed):
    client.force_login(curator)

    response = client.post(URL, {"action": "resend", "_selected_action": [failed.pk]})
    deliver_due()

    failed.refresh_from_db()
    assert response.status_code == 302
    assert failed.status == Notification.Status.SENT and failed.resent_by == curator
    assert len(mail.outbox) == 1


def test_search_finds_notifications_by_recipient_name(client, curator, failed):
    client.force_login(curator)

    response = client.get(URL, {"q": "иванова"})

    assert "failed-one" not in response.text  # the key is not a column
    assert response.context["cl"].result_count == 1
