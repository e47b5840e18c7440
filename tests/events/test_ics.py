"""The feeds' own iCalendar writer (events.ics) gives the very bytes icalendar gives.

icalendar stays the reference: the same properties go through both and the bytes are compared,
for hostile text straight into the writer, for events and plan items through the builders, and
for whole feeds with every VEVENT rendered by one and then by the other (plan items:
tests/events/plan/test_calendar.py).
"""

import datetime

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events import calendar, fragments, ics, services
from events.models import Registration
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    TrackFactory,
    in_days,
)

UTC = datetime.UTC
MOMENT = datetime.datetime(2026, 12, 2, 5, 7, 9, 123456, tzinfo=UTC)
# NUL and other controls, every line break, the characters TEXT escapes, an escape-looking
# «\N», a formula, 20 digits, emoji (4 octets), RTL and combining marks, Cyrillic (2 octets).
HOSTILE = [
    "", "\x00", "a\x00b\x01\x07\x0b\x0c\x1b\x7f", "line\r\nbreak\rlone\nnew", "\r\n\r\n",
    ";,\\", "\\N and \\n and \\\\N", "=HYPERLINK(\"http://evil.example\";\"жми\")",
    "+7 12345678901234567890", "-1+1", "@SUM(A1)", "😀" * 40, "שלום עולם مرحبا",
    "\u202eевил\u202c", "e\u0301" * 60, "Я" * 5000, "x" * 73 + "\\;", "x" * 72 + "^" + "y" * 80,
    "я" * 36 + "\\" + "я" * 40, "a" * 73 + "😀" + "b" * 200,
]


def _reference(properties):
    return calendar.component(properties).to_ical()


def _properties(text, **changes):
    properties = {
        "UID": "event-1@school.example", "DTSTAMP": MOMENT,
        "DTSTART": MOMENT + datetime.timedelta(days=3), "DTEND": MOMENT + datetime.timedelta(
            days=3, hours=2), "SEQUENCE": 2, "STATUS": "CONFIRMED", "SUMMARY": text,
        "LOCATION": text, "DESCRIPTION": f"{text}\n\n{text}",
        "URL": ics.Uri("https://school.example/events/1/?a=1;b=2,c"),
        "CATEGORIES": [text, "семинар"], "LAST-MODIFIED": MOMENT,
    }
    properties.update(changes)
    return properties


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_written_as_icalendar_writes_it(text):
    properties = _properties(text)

    assert ics.vevent(properties) == _reference(properties)


@pytest.mark.parametrize("width", [1, 2, 4])
def test_an_escape_or_a_wide_character_at_every_place_of_a_fold(width):
    wide = {1: "x", 2: "я", 4: "😀"}[width]
    for offset in range(150):
        properties = _properties(wide * offset + "\\;,^" + wide * 80)

        assert ics.vevent(properties) == _reference(properties), offset


@given(st.text())
@example("\ufeff")  # a byte order mark first: icalendar drops it
@example("\ufeff\ufeffа")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_is_written_as_icalendar_writes_it(text):
    properties = _properties(text, TRANSP="TRANSPARENT")

    assert ics.vevent(properties) == _reference(properties)


def test_dates_times_and_numbers_are_written_as_icalendar_writes_them():
    properties = _properties("Пункт плана", DTSTART=datetime.date(2026, 1, 9),
                             DTEND=datetime.date(2026, 1, 12), SEQUENCE=2147483647)
    del properties["LOCATION"]
    early = _properties("x", DTSTART=datetime.datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC))

    assert ics.vevent(properties) == _reference(properties)
    assert b"DTSTART;VALUE=DATE:20260109\r\n" in ics.vevent(properties)
    assert ics.vevent(early) == _reference(early)


def test_a_time_not_in_utc_is_refused_rather_than_written_otherwise():
    # icalendar would write a TZID (or a floating time); the feeds never emit one.
    zoned = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(
        datetime.timedelta(hours=10)))

    for value in (zoned, zoned.replace(tzinfo=None)):
        with pytest.raises(ValueError):
            ics.vevent(_properties("x", DTSTART=value))
    with pytest.raises(ValueError):
        ics.vevent(_properties("x", SEQUENCE=2**31))


# --- events and plan items through the builders --------------------------------------------

# What a row can still hold (cleaned text cannot have NUL; PostgreSQL refuses it anyway).
ROW_TEXT = [t for t in HOSTILE if "\x00" not in t]


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, last_name="Иванова", first_name="Мария")


@pytest.fixture
def hostile_events(municipality, person):
    """Events of every kind a feed shows, with hostile text in every field that reaches it."""
    track = TrackFactory(program__municipality=municipality, theme="Тема; с, запятой\\")
    venue = OrganisationFactory(municipality=municipality, short_name="=HYPERLINK(\"x\")")
    events = []
    for number, text in enumerate(ROW_TEXT):
        event = EventFactory(
            municipality=municipality, program=track.program if number % 2 else None,
            track=track if number % 4 == 1 else None, venue=venue if number % 3 else None,
            title=text[:500] or "Без названия", description=text, room=text[:100],
            address="" if number % 5 == 0 else text[:500],
            online_url="https://vk.com/live/school?a=1;b=2,c" if number % 3 == 0 else "",
            starts_at=in_days(number - 5, hour=number % 20),
            ends_at=in_days(number - 5 + number % 3, hour=number % 20 + 2))
        events.append(event)
        if number % 4 == 3:
            event.responsible.add(person)
        else:
            RegistrationFactory(person=person, event=event,
                                status=Registration.Status.WAITLISTED if number % 4 == 2
                                else Registration.Status.CONFIRMED)
    services.cancel_event(events[1])
    services.cancel_event(events[6])
    return events


def test_every_event_of_a_feed_is_written_as_icalendar_writes_it(hostile_events, person):
    texts = calendar._Texts()
    for event in hostile_events:
        event.refresh_from_db()
        for waitlisted in (False, True):
            properties = calendar.vevent_properties(
                event, stamp=event.updated_at, texts=texts, waitlisted=waitlisted,
                sequence=event.sequence + 1)
            assert ics.vevent(properties) == _reference(properties), event.title[:40]


def test_a_whole_feed_is_byte_for_byte_the_feed_icalendar_writes(hostile_events, person,
                                                                  monkeypatch):
    feed = calendar.person_feed(person)
    fragments.clear()
    fast = calendar.feed_ics(feed)
    fragments.clear()
    monkeypatch.setattr(ics, "vevent", _reference)

    by_icalendar = calendar.feed_ics(feed)

    assert fast == by_icalendar
    parsed = icalendar.Calendar.from_ical(fast)
    assert len(parsed.events) == len(vobject.readOne(fast.decode()).vevent_list) == len(
        hostile_events)
    assert {str(e["STATUS"]) for e in parsed.events} == {"CONFIRMED", "TENTATIVE", "CANCELLED"}
