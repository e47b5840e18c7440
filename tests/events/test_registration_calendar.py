"""A person's mail calendar follows their registration: REQUEST, promotion, CANCEL.

Every invitation is read by two independent parsers (icalendar and vobject); both must agree
with each other and with the database on the instants and on the UID.
"""

import datetime

import icalendar
import pytest
import vobject

from events import calendar, services
from events.errors import SeatsFree
from events.models import Registration
from notifications.models import Notification
from notifications.rendering import attachment_content
from participants import roles
from tests.factories import EventFactory, PersonFactory, ProgramFactory, make_user

PENDING, SENT = Notification.Status.PENDING, Notification.Status.SENT


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality, capacity=1, title="Наставник и молодой педагог")


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, email="ivanova@school.example")


def message(kind, person, **filters):
    (row,) = Notification.objects.filter(kind=kind, recipient=person, **filters)
    return row


def read_both(notification):
    """The one VEVENT of an attachment as icalendar and as vobject read it."""
    data = attachment_content(notification)
    (by_icalendar,) = icalendar.Calendar.from_ical(data).events
    by_vobject = vobject.readOne(data.decode())
    return icalendar.Calendar.from_ical(data), by_icalendar, by_vobject


def assert_parsers_agree_with_the_database(notification, event):
    parsed, component, other = read_both(notification)
    vevent = other.vevent
    assert str(component["UID"]) == vevent.uid.value == calendar.event_uid(event)
    assert component.start == vevent.dtstart.value == event.starts_at
    assert component.end == vevent.dtend.value == event.ends_at
    assert int(component["SEQUENCE"]) == int(vevent.sequence.value)
    assert str(parsed["METHOD"]) == other.method.value
    return component


def test_cancelling_a_registration_mails_a_cancel_with_the_same_uid_and_a_higher_sequence(
        event, person):
    registration = services.register(event, person)
    # The invitation as it is sent, before the cancellation (attachments are made at sending).
    invited = assert_parsers_agree_with_the_database(message("registration_confirmed", person),
                                                     event)

    services.cancel_registration(registration)

    cancel = message("registration_cancelled", person)
    cancelled = assert_parsers_agree_with_the_database(cancel, event)
    assert cancel.attachment_type == "text/calendar; method=CANCEL"
    assert str(icalendar.Calendar.from_ical(attachment_content(cancel))["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]
    assert str(cancelled["ATTENDEE"]) == "mailto:ivanova@school.example"


def test_promotion_raises_the_persons_sequence_and_a_quick_cancel_supersedes_its_mail(
        event, person, municipality):
    seated = services.register(event, PersonFactory(municipality=municipality))
    waiting = services.register(event, person)

    services.cancel_registration(seated)  # the person is promoted …
    promoted = message("registration_promoted", person)
    promoted_event = assert_parsers_agree_with_the_database(promoted, event)  # were it sent now
    services.cancel_registration(Registration.objects.get(pk=waiting.pk))  # … and cancels

    promoted.refresh_from_db()
    cancel = message("registration_cancelled", person)
    assert promoted.status == Notification.Status.CANCELLED  # never sent on its own
    assert cancel.status == PENDING
    cancelled = assert_parsers_agree_with_the_database(cancel, event)
    assert promoted_event["SEQUENCE"] > event.sequence  # TENTATIVE → CONFIRMED is a version
    assert cancelled["SEQUENCE"] > promoted_event["SEQUENCE"]


def test_a_promotion_already_sent_is_followed_by_the_cancel(event, person, municipality):
    seated = services.register(event, PersonFactory(municipality=municipality))
    waiting = services.register(event, person)
    services.cancel_registration(seated)
    Notification.objects.filter(kind="registration_promoted").update(status=SENT)

    services.cancel_registration(Registration.objects.get(pk=waiting.pk))

    assert message("registration_promoted", person).status == SENT
    assert message("registration_cancelled", person).status == PENDING


def test_moving_to_the_waitlist_while_seats_are_free_is_refused_and_sends_nothing(
        municipality, person):
    event = EventFactory(municipality=municipality, capacity=5)
    registration = services.register(event, person)
    before = Notification.objects.count()

    with pytest.raises(SeatsFree) as refused:
        services.move_to_waitlist(registration)

    assert "Свободные места есть" in refused.value.message
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Notification.objects.count() == before


def test_moving_to_a_full_waitlist_sends_one_message(event, person, municipality):
    registration = services.register(event, person)
    other = PersonFactory(municipality=municipality)
    services.register(event, other)

    services.move_to_waitlist(registration)

    kinds = list(Notification.objects.filter(recipient=person).exclude(kind="event_reminder")
                 .values_list("kind", flat=True).order_by("pk"))
    assert kinds == ["registration_confirmed", "registration_waitlisted"]
    assert message("registration_promoted", other).status == PENDING


# --- ORGANIZER and DESCRIPTION ---------------------------------------------------------------

def organizer_of(event, person):
    (component,) = icalendar.Calendar.from_ical(
        calendar.event_calendar(event, method="REQUEST", attendee=person)).events
    return component["ORGANIZER"]


def test_organizer_is_the_municipalitys_curator(event, person, municipality):
    make_user("curator", role=roles.CURATOR, municipality=municipality)

    organizer = organizer_of(event, person)

    assert str(organizer) == "mailto:curator@example.org"
    assert "localhost" not in str(organizer)


def test_organizer_is_the_programs_curator_first(municipality, person):
    make_user("curator", role=roles.CURATOR, municipality=municipality)
    lead = PersonFactory(municipality=municipality, email="lead@school.example",
                         last_name="Буглак", first_name="Светлана")
    event = EventFactory(municipality=municipality,
                         program=ProgramFactory(municipality=municipality, curator=lead))

    organizer = organizer_of(event, person)

    assert str(organizer) == "mailto:lead@school.example"
    assert "Буглак" in organizer.params["CN"]


def test_organizer_without_a_curator_is_the_configured_address(event, person, settings,
                                                               other_municipality):
    make_user("elsewhere", role=roles.CURATOR, municipality=other_municipality)
    settings.CALENDAR_ORGANIZER_EMAIL = "Методический кабинет <mk@hanka.example>"

    organizer = organizer_of(event, person)

    assert str(organizer) == "mailto:mk@hanka.example"
    assert organizer.params["CN"] == "Методический кабинет"


def test_description_names_the_zone_in_russian_as_pages_do(event, person):
    services.register(event, person)

    (component,) = icalendar.Calendar.from_ical(
        attachment_content(message("registration_confirmed", person))).events

    description = str(component["DESCRIPTION"])
    assert "(Владивосток, UTC+10)" in description
    assert "Asia/Vladivostok" not in description


# --- feeds, read by both parsers ---------------------------------------------------------------

def test_every_feed_entry_reads_the_same_in_both_parsers_and_the_database(municipality, person):
    program = ProgramFactory(municipality=municipality)
    start = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)  # a new year in zone
    events = [EventFactory(municipality=municipality, program=program,
                           starts_at=start + datetime.timedelta(days=day, minutes=day * 7),
                           ends_at=start + datetime.timedelta(days=day, hours=2))
              for day in range(4)]
    for event in events:
        services.register(event, person)
    services.cancel_event(events[1])

    for feed in (calendar.person_feed(person), calendar.program_feed(program)):
        data = calendar.feed_ics(feed)
        by_uid = {str(c["UID"]): c for c in icalendar.Calendar.from_ical(data).events}
        other = {c.uid.value: c for c in vobject.readOne(data.decode()).vevent_list}
        assert set(by_uid) == set(other) == {calendar.event_uid(e) for e in events}
        for event in events:
            event.refresh_from_db()
            ours, theirs = by_uid[calendar.event_uid(event)], other[calendar.event_uid(event)]
            assert ours.start == theirs.dtstart.value == event.starts_at
            assert ours.end == theirs.dtend.value == event.ends_at
            assert str(ours["STATUS"]) == theirs.status.value
