"""Registration letters as they reach the person: quotes, times, the Date header, links."""

import email.utils

import pytest

from events import services
from notifications.channels import build_email
from notifications.models import Notification, Preference
from notifications.rendering import render
from tests.factories import EventFactory, PersonFactory


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, email="ivanova@school.example")


def letter(kind, person):
    notification = Notification.objects.select_related("recipient__municipality").get(
        kind=kind, recipient=person)
    preference, _ = Preference.objects.get_or_create(person=person)
    rendered = render(notification, preference)
    return notification, rendered


@pytest.mark.parametrize("title", ["«Наставник и молодой педагог»",
                                   "Семинар «Современный урок»"])
def test_a_title_with_its_own_quotes_is_not_quoted_again(municipality, person, title):
    event = EventFactory(municipality=municipality, title=title)
    registration = services.register(event, person)
    services.cancel_registration(registration)

    for kind in ("registration_confirmed", "registration_cancelled"):
        _notification, rendered = letter(kind, person)
        for text in (rendered.subject, rendered.text, rendered.html):
            assert "««" not in text and "»»" not in text, (kind, text)
        assert title in rendered.subject


def test_a_plain_title_is_quoted_once(municipality, person):
    event = EventFactory(municipality=municipality, title="Современный урок")
    services.register(event, person)

    _notification, rendered = letter("registration_confirmed", person)

    assert "«Современный урок»" in rendered.subject and "«Современный урок»" in rendered.text


def test_times_are_not_wrapped_in_nested_parentheses(municipality, person):
    event = EventFactory(municipality=municipality)
    services.cancel_registration(services.register(event, person))
    services.register(event, PersonFactory(municipality=municipality, email="b@school.example"))
    services.cancel_event(event, reason="болезнь ведущего")

    for kind in ("registration_cancelled", "event_cancelled"):
        for recipient in event.registrations.values_list("person", flat=True):
            rows = Notification.objects.filter(kind=kind, recipient_id=recipient)
            for notification in rows:
                rendered = render(notification, Preference.objects.get_or_create(
                    person_id=recipient)[0])
                for text in (rendered.text, rendered.html):
                    assert "))" not in text, (kind, text)
                assert "(Владивосток, UTC+10)" in rendered.text


def test_the_date_header_carries_the_recipients_real_offset(municipality, person, settings):
    settings.EMAIL_USE_LOCALTIME = False  # Django's default writes "-0000", "zone unknown"
    services.register(EventFactory(municipality=municipality), person)
    notification, rendered = letter("registration_confirmed", person)

    header = build_email(notification, rendered).message()["Date"]

    assert header.endswith("+1000"), header  # Vladivostok
    assert email.utils.parsedate_to_datetime(header).utcoffset().total_seconds() == 36000


def test_links_of_the_body_and_the_footer_come_from_one_site_address(municipality, person,
                                                                     settings):
    settings.SITE_URL = "https://old.example"
    services.register(EventFactory(municipality=municipality), person)
    settings.SITE_URL = "https://school.example.ru"  # the site moved before the letter went

    _notification, rendered = letter("registration_confirmed", person)

    assert "old.example" not in rendered.text and "old.example" not in rendered.html
    assert "https://school.example.ru/events/" in rendered.text
    assert "https://school.example.ru/calendar/" in rendered.text
    assert rendered.unsubscribe_url.startswith("https://school.example.ru/")
