"""Calendar UIDs belong to the installation, not to the site's address."""

import importlib

import icalendar
from django.apps import apps as django_apps

from events import calendar, identity
from events.models import CalendarIdentity
from tests.factories import EventFactory

migration = importlib.import_module("events.migrations.0006_calendar_freshness")


def uid_in_calendar(event):
    (component,) = icalendar.Calendar.from_ical(calendar.event_calendar(event)).events
    return str(component["UID"])


def test_moving_the_site_keeps_every_uid(municipality, settings):
    event = EventFactory(municipality=municipality)
    settings.SITE_URL = "https://school.example.ru"
    before = uid_in_calendar(event)

    settings.SITE_URL = "https://mentoring.hanka.example"
    after = uid_in_calendar(event)

    assert before == after == f"event-{event.pk}@{identity.uid_domain()}"
    assert "example" not in after


def test_installations_left_on_the_default_address_draw_different_domains(settings):
    settings.SITE_URL = "http://localhost:8000"

    first, second = identity.initial_uid_domain(), identity.initial_uid_domain()

    assert first != second
    assert first.endswith(".invalid") and second.endswith(".invalid")
    assert len(first.split(".")[0]) >= 16  # 64 random bits


def test_an_installation_with_a_real_address_keeps_the_uids_it_handed_out(db, settings):
    # Before migration 0006 a UID was event-N@<SITE_URL's host>: the migration keeps that host.
    settings.SITE_URL = "https://school.example.ru"
    CalendarIdentity.objects.all().delete()

    migration.store_uid_domain(django_apps, None)

    assert CalendarIdentity.objects.get().uid_domain == "school.example.ru"


def test_the_stored_domain_is_kept_once_stored(db, settings):
    CalendarIdentity.objects.all().delete()
    CalendarIdentity.objects.create(uid_domain="a1b2.mentoring.invalid")
    settings.SITE_URL = "https://school.example.ru"

    migration.store_uid_domain(django_apps, None)
    identity.forget()
    try:
        assert identity.uid_domain() == "a1b2.mentoring.invalid"
        assert CalendarIdentity.objects.count() == 1
    finally:
        identity.forget()
