"""What the events side leaves to the moment of sending: invitations, reminders' expiry, and
the curators' digest at eight in each municipality's own morning."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from events import calendar, digest, notices, services, tasks
from events.models import Registration
from notifications.delivery import deliver_due
from notifications.models import Notification
from participants import roles
from tests.factories import EventFactory, MunicipalityFactory, PersonFactory, make_user
from tests.notifications.smtp import LocalSMTPServer

Status = Notification.Status


def without_stamp(ics):
    """The calendar without the two properties that say when a mailed one was made."""
    parsed = icalendar.Calendar.from_ical(ics)
    for component in parsed.events:
        component.pop("DTSTAMP")
        component.pop("LAST-MODIFIED")
    return parsed.to_ical()


@pytest.fixture
def smtp_server(settings):
    with LocalSMTPServer() as server:
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        yield server


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, email="ivanova@school.example")


@pytest.mark.parametrize("cancel", [False, True])
def test_invitation_made_at_delivery_is_the_one_enqueue_used_to_store(
        municipality, person, smtp_server, cancel):
    event = EventFactory(municipality=municipality, capacity=5)
    registration = services.register(event, person)
    method = "REQUEST"
    if cancel:
        Notification.objects.update(status=Status.SENT)
        services.cancel_registration(registration)
        method = "CANCEL"
    # What enqueue stored until now: the calendar made inside the registration's transaction.
    at_enqueue = calendar.event_calendar(event, method=method, attendee=person)

    deliver_due()

    [message] = smtp_server.mailbox.messages
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == method
    assert without_stamp(part.get_content().encode()) == without_stamp(at_enqueue)


def test_event_change_invitations_are_made_at_delivery_for_each_person(
        municipality, smtp_server, curator):
    event = EventFactory(municipality=municipality, capacity=5)
    people = [PersonFactory(municipality=municipality, email=f"p{n}@school.example")
              for n in range(3)]
    for person in people:
        services.register(event, person)
    Notification.objects.update(status=Status.SENT)
    services.update_event(event, by=curator, online_url="https://meet.example/room")

    deliver_due()

    changed = [m for m in smtp_server.mailbox.messages if m["To"] in
               {p.email for p in people}]
    attendees = set()
    for message in changed:
        [part] = list(message.iter_attachments())
        (component,) = icalendar.Calendar.from_ical(part.get_content()).events
        attendees.add(str(component["ATTENDEE"]))
        assert str(component["UID"]) == calendar.event_uid(event)
    assert attendees == {f"mailto:{p.email}" for p in people}


def test_reminders_expire_when_their_event_starts(municipality, person):
    event = EventFactory(municipality=municipality)
    services.register(event, person)

    reminders = Notification.objects.filter(kind=notices.EVENT_REMINDER)
    assert reminders.exists()
    assert {row.expires_at for row in reminders} == {event.starts_at}


def test_reminder_due_after_its_event_started_is_skipped_at_sending(municipality, person,
                                                                    smtp_server):
    event = EventFactory(municipality=municipality)
    services.register(event, person)
    Notification.objects.exclude(kind=notices.EVENT_REMINDER).update(status=Status.SENT)
    # the worker was down: the reminder is due only now, after the start
    Notification.objects.filter(kind=notices.EVENT_REMINDER).update(
        scheduled_at=timezone.now(), expires_at=timezone.now() - datetime.timedelta(minutes=1))

    outcome = deliver_due()

    assert outcome.sent == 0 and outcome.skipped >= 1
    assert smtp_server.mailbox.messages == []


def test_event_moved_into_the_past_keeps_no_pending_reminder(municipality, person, curator):
    event = EventFactory(municipality=municipality)
    services.register(event, person)
    past = timezone.now() - datetime.timedelta(days=2)

    services.update_event(event, by=curator, starts_at=past,
                          ends_at=past + datetime.timedelta(hours=2))

    pending = Notification.objects.filter(kind=notices.EVENT_REMINDER, status=Status.PENDING)
    assert not pending.exists()


def curator_in(zone_name, name):
    municipality = MunicipalityFactory(name=name, time_zone=zone_name)
    user = make_user(f"curator-{zone_name}", role=roles.CURATOR, municipality=municipality)
    EventFactory(municipality=municipality, capacity=1)
    registrant = PersonFactory(municipality=municipality)
    services.register(municipality.events.get(), registrant)
    return municipality, user


def test_digest_goes_at_eight_in_each_municipalitys_own_zone(db):
    kaliningrad, k_curator = curator_in("Europe/Kaliningrad", "Калининград")
    kamchatka, p_curator = curator_in("Asia/Kamchatka", "Петропавловск-Камчатский")
    # 08:30 in Kamchatka (UTC+12) is 22:30 the evening before in Kaliningrad (UTC+2)
    now = datetime.datetime(2026, 12, 2, 8, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Kamchatka"))
    Registration.objects.update(created_at=now - datetime.timedelta(hours=12))

    due = digest.mornings(now)

    assert due == {datetime.date(2026, 12, 2): [kamchatka.pk]}
    kaliningrad_morning = datetime.datetime(2026, 12, 3, 8, 5,
                                            tzinfo=zoneinfo.ZoneInfo("Europe/Kaliningrad"))
    assert digest.mornings(kaliningrad_morning) == {datetime.date(2026, 12, 3):
                                                    [kaliningrad.pk]}


def test_hourly_digest_task_writes_only_the_zones_where_it_is_eight(db, monkeypatch):
    kaliningrad, k_curator = curator_in("Europe/Kaliningrad", "Калининград")
    kamchatka, p_curator = curator_in("Asia/Kamchatka", "Петропавловск-Камчатский")
    now = datetime.datetime(2026, 12, 2, 8, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Kamchatka"))
    Registration.objects.update(created_at=now - datetime.timedelta(hours=12))
    monkeypatch.setattr(timezone, "now", lambda: now)

    tasks.send_curator_digests()
    tasks.send_curator_digests()  # the same hour again: nothing twice

    digests = Notification.objects.filter(kind=digest.CURATOR_DIGEST)
    assert [row.recipient_id for row in digests] == [p_curator.person.pk]
    assert digests.get().dedup_key.startswith(f"digest:{kamchatka.pk}:2026-12-02:")
