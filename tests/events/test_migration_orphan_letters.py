"""events 0015: letters pending about registrations deleted in the admin are cancelled."""

import importlib

import pytest
from django.apps import apps

from notifications.models import Notification
from notifications.services import Message, enqueue
from tests.factories import EventFactory, PersonFactory, RegistrationFactory

migration = importlib.import_module(
    "events.migrations.0015_cancel_letters_of_deleted_registrations")

pytestmark = pytest.mark.django_db


def letter(person, event, kind, key):
    return Message(recipient_id=person.pk, kind=kind, template=kind, dedup_key=key,
                   context={}, subject_key=f"event:{event.pk}")


def test_letters_of_a_deleted_registration_are_cancelled_and_no_others(municipality):
    event = EventFactory(municipality=municipality)
    kept, deleted = (PersonFactory(municipality=municipality) for _ in range(2))
    RegistrationFactory(event=event, person=kept)
    enqueue([letter(kept, event, "event_reminder", "k:reminder"),
             letter(kept, event, "registration_confirmed", "k:confirmed"),
             letter(deleted, event, "event_reminder", "d:reminder"),
             letter(deleted, event, "registration_confirmed", "d:confirmed"),
             letter(deleted, event, "event_changed", "d:changed")])

    migration.cancel_orphans(apps, None)

    statuses = dict(Notification.objects.values_list("dedup_key", "status"))
    assert statuses == {"k:reminder": "pending", "k:confirmed": "pending",
                        "d:reminder": "cancelled", "d:confirmed": "cancelled",
                        "d:changed": "pending"}
