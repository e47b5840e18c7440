"""Unsubscribe and preferences pages: reached from a letter, no sign-in needed."""

import pytest
from django.core import mail
from django.test import Client

from notifications.delivery import deliver_due
from notifications.models import Notification, Preference
from notifications.services import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def preference(person):
    return Preference.objects.create(person=person)


def test_unsubscribe_page_asks_first_and_changes_nothing(client, preference):
    response = client.get(f"/notifications/unsubscribe/{preference.unsubscribe_token}/")

    preference.refresh_from_db()
    assert response.status_code == 200
    assert "Отписаться от всех писем" in response.text
    assert not preference.unsubscribed_all


def test_unsubscribe_button_unsubscribes_without_signing_in(client, preference):
    response = client.post(f"/notifications/unsubscribe/{preference.unsubscribe_token}/")

    preference.refresh_from_db()
    assert response.status_code == 200 and "Вы отписаны" in response.text
    assert preference.unsubscribed_all


def test_one_click_unsubscribe_from_the_letters_header_works(person, notice, preference):
    """RFC 8058: the mail provider POSTs to the List-Unsubscribe URL, with no cookie or CSRF."""
    enqueue([notice(person)])
    deliver_due()
    url = mail.outbox[0].message()["List-Unsubscribe"].strip("<>")
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(url.removeprefix("https://school.example"),
                             {"List-Unsubscribe": "One-Click"})
    enqueue([notice(person, key="after")])
    deliver_due()

    assert response.status_code == 200
    assert Notification.objects.get(dedup_key="after").status == Notification.Status.SKIPPED
    assert len(mail.outbox) == 1


def test_unsubscribe_with_unknown_token_is_not_found(client, preference):
    response = client.post("/notifications/unsubscribe/not-a-token/")

    assert response.status_code == 404


def test_preferences_page_lists_kinds_in_russian(client, preference):
    response = client.get(f"/notifications/preferences/{preference.unsubscribe_token}/")

    assert response.status_code == 200
    assert "Напоминания о мероприятиях" in response.text
    assert "сводка куратора" not in response.text  # not a curator


def test_preferences_page_mutes_unticked_kinds(client, preference):
    url = f"/notifications/preferences/{preference.unsubscribe_token}/"

    response = client.post(url, {"kinds": ["registration_confirmed", "event_changed"]})

    preference.refresh_from_db()
    assert response.status_code == 302
    assert "event_reminder" in preference.muted_kinds
    assert "registration_confirmed" not in preference.muted_kinds
    assert not preference.unsubscribed_all


def test_preferences_page_can_subscribe_again(client, preference):
    preference.unsubscribed_all = True
    preference.save()
    url = f"/notifications/preferences/{preference.unsubscribe_token}/"

    client.post(url, {"kinds": ["event_reminder"]})

    preference.refresh_from_db()
    assert not preference.unsubscribed_all
