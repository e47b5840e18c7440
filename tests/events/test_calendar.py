"""The iCalendar builders: what a feed holds, and how real clients will read it."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from events import calendar, services
from events.models import Registration
from participants import roles
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    TrackFactory,
    in_days,
    make_user,
)

VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, last_name="Иванова", first_name="Мария")


def parse(ics):
    return icalendar.Calendar.from_ical(ics)


def by_uid(parsed):
    return {str(component["UID"]): component for component in parsed.events}


def uid(event):
    return calendar.event_uid(event)


def test_person_feed_holds_registered_waitlisted_and_responsible_events(municipality, person):
    confirmed = RegistrationFactory(event__municipality=municipality, person=person).event
    waitlisted = RegistrationFactory(event__municipality=municipality, person=person,
                                     status=Registration.Status.WAITLISTED).event
    responsible = EventFactory(municipality=municipality)
    responsible.responsible.add(person)
    RegistrationFactory(event__municipality=municipality, person=person,
                        status=Registration.Status.CANCELLED)
    RegistrationFactory(event__municipality=municipality)  # someone else's
    RegistrationFactory(event__municipality=municipality, person=person,
                        event__starts_at=in_days(-400))  # older than the feed looks back

    events = by_uid(parse(calendar.feed_ics(calendar.person_feed(person))))

    assert set(events) == {uid(confirmed), uid(waitlisted), uid(responsible)}
    assert str(events[uid(confirmed)]["STATUS"]) == "CONFIRMED"
    assert str(events[uid(waitlisted)]["STATUS"]) == "TENTATIVE"
    assert str(events[uid(responsible)]["STATUS"]) == "CONFIRMED"
    for event in (confirmed, waitlisted, responsible):
        component = events[uid(event)]
        assert str(component["SUMMARY"]) == event.title
        assert (component.start, component.end) == (event.starts_at, event.ends_at)
        assert component["SEQUENCE"] == 0


def test_person_responsible_and_waitlisted_is_confirmed(municipality, person):
    event = RegistrationFactory(event__municipality=municipality, person=person,
                                status=Registration.Status.WAITLISTED).event
    event.responsible.add(person)

    (component,) = parse(calendar.feed_ics(calendar.person_feed(person))).events

    assert str(component["STATUS"]) == "CONFIRMED"


def test_rescheduled_then_cancelled_event_raises_sequence_and_is_cancelled(municipality,
                                                                           person):
    event = RegistrationFactory(event__municipality=municipality, person=person).event
    later = event.starts_at + datetime.timedelta(days=1)

    services.update_event(event, starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    (moved,) = parse(calendar.feed_ics(calendar.person_feed(person))).events
    services.cancel_event(event, reason="карантин")
    (cancelled,) = parse(calendar.feed_ics(calendar.person_feed(person))).events

    assert (moved["SEQUENCE"], str(moved["STATUS"]), moved.start) == (1, "CONFIRMED", later)
    assert (cancelled["SEQUENCE"], str(cancelled["STATUS"])) == (2, "CANCELLED")
    assert str(cancelled["UID"]) == str(moved["UID"]) == uid(event)


def test_cancelled_event_stays_a_month_after_its_cancellation_then_leaves(municipality, person):
    recent = RegistrationFactory(event__municipality=municipality, person=person,
                                 event__starts_at=in_days(-40), event__status="cancelled",
                                 event__cancelled_at=in_days(-20)).event
    RegistrationFactory(event__municipality=municipality, person=person,
                        event__starts_at=in_days(5), event__status="cancelled",
                        event__cancelled_at=in_days(-40))
    held = RegistrationFactory(event__municipality=municipality, person=person,
                               event__starts_at=in_days(-40)).event

    events = by_uid(parse(calendar.feed_ics(calendar.person_feed(person))))

    assert set(events) == {uid(recent), uid(held)}
    assert str(events[uid(recent)]["STATUS"]) == "CANCELLED"


def test_feed_times_are_utc_instants_every_zone_reads_alike(municipality, person):
    starts = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=VLADIVOSTOK)
    RegistrationFactory(event__municipality=municipality, person=person,
                        event__starts_at=starts,
                        event__ends_at=starts + datetime.timedelta(hours=2))

    ics = calendar.feed_ics(calendar.person_feed(person, now=starts))
    (component,) = parse(ics).events

    assert b"DTSTART:20261208T000000Z" in ics and b"DTEND:20261208T020000Z" in ics
    assert component.start.utcoffset() == datetime.timedelta(0)
    assert component.start.astimezone(MOSCOW).hour == 3
    assert component.start.astimezone(VLADIVOSTOK).hour == 10
    description = str(component["DESCRIPTION"])
    assert "Когда: 8 декабря 2026, 10:00–12:00 (Владивосток, UTC+10)" in description


def test_feed_names_the_person_zone_and_refresh_interval(municipality, person):
    ics = calendar.feed_ics(calendar.person_feed(person))
    parsed = parse(ics)

    assert str(parsed["X-WR-CALNAME"]) == "Школа наставничества — Иванова Мария"
    assert str(parsed["X-WR-TIMEZONE"]) == "Asia/Vladivostok"
    assert parsed.refresh_interval == datetime.timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in ics
    assert b"X-PUBLISHED-TTL:PT1H" in ics


def test_event_describes_place_link_form_track_and_page(municipality, person, settings):
    settings.SITE_URL = "https://school.example.ru"
    track = TrackFactory(program__municipality=municipality, number=2, theme="Анализ урока")
    event = RegistrationFactory(
        person=person, event__municipality=municipality, event__track=track,
        event__program=track.program, event__online_url="https://vk.com/live/1",
        event__description="Разбор открытых уроков.", event__room="12",
    ).event

    (component,) = parse(calendar.feed_ics(calendar.person_feed(person))).events

    # The UID keeps its stored domain whatever the site's address (see test_identity.py).
    assert str(component["UID"]) == uid(event) and "school.example.ru" not in uid(event)
    assert str(component["URL"]) == f"https://school.example.ru/events/{event.pk}/"
    assert str(component["LOCATION"]) == f"{event.address}, ауд. 12; https://vk.com/live/1"
    assert [str(c) for c in component.categories] == ["семинар"]
    description = str(component["DESCRIPTION"])
    for text in ("Форма: семинар", "Трек: 2 трек: «Анализ урока»", "Разбор открытых уроков.",
                 "Трансляция: https://vk.com/live/1", f"/events/{event.pk}/"):
        assert text in description
    assert component["DTSTAMP"].dt == component["LAST-MODIFIED"].dt


def test_program_and_track_feeds_hold_their_events_only(municipality):
    track = TrackFactory(program__municipality=municipality)
    other_track = TrackFactory(program=track.program)
    in_track = EventFactory(municipality=municipality, program=track.program, track=track)
    in_program = EventFactory(municipality=municipality, program=track.program,
                              track=other_track)
    EventFactory(municipality=municipality, program=ProgramFactory(municipality=municipality))

    program_events = by_uid(parse(calendar.feed_ics(calendar.program_feed(track.program))))
    track_events = by_uid(parse(calendar.feed_ics(calendar.track_feed(track))))

    assert set(program_events) == {uid(in_track), uid(in_program)}
    assert set(track_events) == {uid(in_track)}
    assert str(parse(calendar.feed_ics(calendar.program_feed(track.program)))[
        "X-WR-CALNAME"]) == f"Школа наставничества — {track.program.name}"


def test_event_calendar_as_invitation_carries_method_organizer_attendee(municipality, person):
    registration = RegistrationFactory(event__municipality=municipality, person=person,
                                       status=Registration.Status.WAITLISTED)

    invitation = parse(calendar.event_calendar(registration.event, method="REQUEST",
                                               attendee=person))
    published = parse(calendar.event_calendar(registration.event))

    assert str(invitation["METHOD"]) == "REQUEST" and "METHOD" not in published
    (component,) = invitation.events
    assert str(component["ORGANIZER"]).startswith("mailto:")
    assert str(component["ATTENDEE"]) == f"mailto:{person.email}"
    assert component["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"
    assert str(component["UID"]) == uid(registration.event)
    assert str(published.events[0]["STATUS"]) == "CONFIRMED"


def test_feed_state_is_stable_until_a_registration_changes(municipality, person):
    registration = RegistrationFactory(event__municipality=municipality, person=person)
    now = timezone.now()
    before = calendar.feed_state(calendar.person_feed(person, now=now))

    again = calendar.feed_state(calendar.person_feed(person, now=now))
    services.cancel_registration(registration)
    after = calendar.feed_state(calendar.person_feed(person, now=now))

    assert again == before
    assert after.etag != before.etag
    assert after.last_modified > before.last_modified


def test_feed_state_changes_when_responsibility_moves(municipality, person):
    # The newest event stays, so the count and the latest change are the same before and after.
    first, second, newest = (EventFactory(municipality=municipality) for _ in range(3))
    first.responsible.add(person)
    newest.responsible.add(person)
    before = calendar.feed_state(calendar.person_feed(person))

    first.responsible.remove(person)
    second.responsible.add(person)

    assert calendar.feed_state(calendar.person_feed(person)).etag != before.etag


@pytest.mark.parametrize("size", [1, 5])
def test_building_a_feed_takes_the_same_queries_whatever_its_size(
        municipality, person, size, django_assert_num_queries):
    track = TrackFactory(program__municipality=municipality)
    for _ in range(size):
        RegistrationFactory(person=person, event__municipality=municipality,
                            event__track=track, event__program=track.program)
    feed = calendar.person_feed(person)

    # The aggregate for the ETag, the plan items' state, the events' revisions, the events to
    # render, the plan items.
    with django_assert_num_queries(5):
        calendar.feed_state(feed)
        ics = calendar.feed_ics(feed)
    # Unchanged: their VEVENTs are kept; the revisions and the plan items are read.
    with django_assert_num_queries(4):
        calendar.feed_state(feed)
        assert calendar.feed_ics(feed) == ics

    assert len(parse(ics).events) == size


# --- hostile text ---------------------------------------------------------------------------

# No NUL: PostgreSQL cannot hold one, so no row can carry it to a calendar.
BROKEN_TITLE = "Семинар\r\nBEGIN:VALARM\nTRIGGER:-PT1M\x0b\x1b"


def test_a_title_with_line_breaks_stays_one_line_in_every_calendar(municipality, person):
    """Rows written before the edge cleaned titles (or by a shell) must not break a feed."""
    event = EventFactory(municipality=municipality, title=BROKEN_TITLE,
                         address="ул. Ленина, 1\r\nкаб. 5", description="Строка 1\r\nСтрока 2")
    RegistrationFactory(event=event, person=person)
    for ics in (calendar.event_calendar(event), calendar.event_calendar(
            event, method="REQUEST", attendee=person), calendar.feed_ics(
            calendar.person_feed(person))):
        parsed = parse(ics)
        (component,) = parsed.events
        assert str(component["SUMMARY"]) == "Семинар BEGIN:VALARM TRIGGER:-PT1M"
        assert "\n" not in str(component["LOCATION"])
        assert not list(parsed.walk("VALARM"))
        assert b"\x1b" not in ics and b"\x0b" not in ics
    assert parse(calendar.event_calendar(event)).calendar_name == (
        "Семинар BEGIN:VALARM TRIGGER:-PT1M")


# --- fragments: an unchanged VEVENT is not rendered again ------------------------------------

def test_feed_assembled_from_fragments_is_the_feed_rendered_afresh(municipality, person,
                                                                   monkeypatch):
    RegistrationFactory(event__municipality=municipality, person=person)
    RegistrationFactory(event__municipality=municipality, person=person,
                        status=Registration.Status.WAITLISTED)
    EventFactory(municipality=municipality).responsible.add(person)
    feed = calendar.person_feed(person)
    cold = calendar.feed_ics(feed)
    rendered = []
    monkeypatch.setattr(calendar, "vevent_properties", lambda *a, **kw: rendered.append(a) or None)

    warm = calendar.feed_ics(feed)

    assert warm == cold
    assert rendered == []  # every VEVENT came from its fragment
    assert len(parse(warm).events) == 3


def test_a_warm_feed_shows_every_change_that_moves_its_bytes(municipality, person):
    track = TrackFactory(program__municipality=municipality)
    registration = RegistrationFactory(
        person=person, event__municipality=municipality, event__capacity=1,
        event__track=track, event__program=track.program,
        event__venue=OrganisationFactory(municipality=municipality))
    event = registration.event
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)  # gets the seat
    calendar.feed_ics(calendar.person_feed(person))  # warm

    event.venue.name = event.venue.short_name = "Дом учителя"
    event.venue.save()
    track.program.name = "Новая программа"
    track.program.save()

    (component,) = parse(calendar.feed_ics(calendar.person_feed(person))).events
    assert "Дом учителя" in str(component["LOCATION"])
    assert "Программа: Новая программа" in str(component["DESCRIPTION"])

    curator = make_user("curator", role=roles.CURATOR, municipality=municipality)
    services.move_to_waitlist(registration, by=curator)

    (component,) = parse(calendar.feed_ics(calendar.person_feed(person))).events
    assert str(component["STATUS"]) == "TENTATIVE"
    assert component["SEQUENCE"] == 1
