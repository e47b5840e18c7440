"""What the events side writes into the outbox: registration notices, changes, reminders, digest."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.models import Schedule

from events import calendar, digest, notices, services, tasks
from events.models import Registration
from notifications.models import Notification
from notifications.rendering import attachment_content
from tests.factories import (
    EventFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    in_days,
    make_user,
)

PENDING = Notification.Status.PENDING
CANCELLED = Notification.Status.CANCELLED
DAY, HOUR = datetime.timedelta(hours=24), datetime.timedelta(hours=1)
ZONE_NAMED = "(Владивосток, UTC+10)"
VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality, capacity=2)


@pytest.fixture
def people(municipality):
    return [PersonFactory(municipality=municipality) for _ in range(4)]


@pytest.fixture
def full_event(event, people):
    """people[0..1] have the two seats, people[2..3] wait in that order."""
    for person in people:
        services.register(event, person)
    return event


def sent(kind, person=None, **filters):
    rows = Notification.objects.filter(kind=kind, **filters)
    return rows.filter(recipient=person) if person is not None else rows


def only(kind, person):
    rows = list(sent(kind, person))
    assert len(rows) == 1, rows
    return rows[0]


def parsed(notification):
    return icalendar.Calendar.from_ical(attachment_content(notification))


def vevent(notification):
    (component,) = parsed(notification).events
    return component


def reminders(person, status=PENDING):
    return sorted(sent(notices.EVENT_REMINDER, person, status=status)
                  .values_list("scheduled_at", flat=True))


def registration(event, person):
    return Registration.objects.get(event=event, person=person)


# --- registration notices -----------------------------------------------------------------

def test_registration_confirmed_once_when_the_same_trigger_fires_twice(event, people):
    services.register(event, people[0])
    services.register(event, people[0])
    services.announce(registration(event, people[0]), Registration.Status.CONFIRMED)

    assert sent("registration_confirmed", people[0]).count() == 1
    assert len(reminders(people[0])) == 2


def test_confirmation_carries_a_request_invitation_and_the_feed_link(event, people):
    services.register(event, people[0])

    message = only("registration_confirmed", people[0])
    invitation, component = parsed(message), vevent(message)
    assert message.attachment_name == "event.ics"
    assert message.attachment_type == "text/calendar; method=REQUEST"
    assert str(invitation["METHOD"]) == "REQUEST"
    assert str(component["UID"]) == calendar.event_uid(event)
    assert component["SEQUENCE"] == event.sequence == 0
    assert str(component["ATTENDEE"]) == f"mailto:{people[0].email}"
    token = services.feed_for(people[0]).token
    assert message.context["feed_url"] == f"/calendar/{token}.ics"  # rendering adds the site
    assert message.subject_key == f"event:{event.pk}"


def test_waitlisted_message_gives_the_place_in_line(full_event, people):
    assert only("registration_waitlisted", people[2]).context["place_in_line"] == 1
    assert only("registration_waitlisted", people[3]).context["place_in_line"] == 2
    assert not sent("registration_confirmed", people[3]).exists()
    assert reminders(people[3]) == []  # no seat, nothing to remind of


def test_promoted_person_gets_registration_promoted_with_invitation(full_event, people):
    services.cancel_registration(registration(full_event, people[0]))

    message = only("registration_promoted", people[2])
    assert str(parsed(message)["METHOD"]) == "REQUEST"
    assert str(vevent(message)["STATUS"]) == "CONFIRMED"
    assert len(reminders(people[2])) == 2
    cancellation = only("registration_cancelled", people[0])
    assert str(parsed(cancellation)["METHOD"]) == "CANCEL"  # see test_registration_calendar.py


def test_unregister_cancels_only_that_persons_reminders(full_event, people):
    services.cancel_registration(registration(full_event, people[0]))
    services.cancel_registration(registration(full_event, people[0]))

    assert reminders(people[0]) == []
    assert len(reminders(people[0], status=CANCELLED)) == 2
    assert len(reminders(people[1])) == 2
    assert sent("registration_cancelled", people[0]).count() == 1


def test_register_again_after_cancelling_is_told_and_reminded_again(event, people):
    services.register(event, people[0])
    services.cancel_registration(registration(event, people[0]))
    services.register(event, people[0])

    assert sent("registration_confirmed", people[0]).count() == 2
    assert len(reminders(people[0])) == 2


def test_register_again_supersedes_the_unsent_cancellation(event, people):
    services.register(event, people[0])
    services.cancel_registration(registration(event, people[0]))
    services.register(event, people[0])

    assert only("registration_cancelled", people[0]).status == CANCELLED
    assert [row.status for row in sent("registration_confirmed", people[0])
            .order_by("id")] == [CANCELLED, PENDING]


def test_back_in_line_after_cancelling_is_counted_from_the_new_moment(full_event, people):
    services.cancel_registration(registration(full_event, people[2]))  # was first in line
    services.register(full_event, people[2])

    assert only("registration_waitlisted", people[3]).context["place_in_line"] == 2
    back = sent("registration_waitlisted", people[2], status=PENDING).get()
    assert back.context["place_in_line"] == 2  # behind people[3] now


def test_place_in_line_of_a_new_registration_counts_everyone_queued_earlier(full_event, people,
                                                                           curator):
    services.move_to_waitlist(registration(full_event, people[0]), by=curator)  # a seat passed
    newcomer = PersonFactory(municipality=full_event.municipality)
    services.register(full_event, newcomer)

    # people[3] and people[0] wait (people[2] took the seat); the newcomer is third
    assert only("registration_waitlisted", newcomer).context["place_in_line"] == 3


def test_move_to_waitlist_cancels_the_reminders(full_event, people, curator):
    services.move_to_waitlist(registration(full_event, people[0]), by=curator)

    assert reminders(people[0]) == []
    # counted when they join the end of the line, before the freed seat is passed on
    assert only("registration_waitlisted", people[0]).context["place_in_line"] == 3
    assert len(reminders(people[2])) == 2  # promoted into the freed seat


def test_registration_for_an_ended_event_tells_nobody(municipality, curator):
    past = EventFactory(municipality=municipality, starts_at=in_days(-2))
    person = PersonFactory(municipality=municipality)

    services.register(past, person, by=curator)

    assert not Notification.objects.filter(recipient=person).exists()


# --- reminders ----------------------------------------------------------------------------

def test_reminders_default_to_a_day_and_an_hour_before(event, people):
    services.register(event, people[0])

    assert reminders(people[0]) == [event.starts_at - DAY, event.starts_at - HOUR]


def test_reminders_follow_the_programs_settings(municipality, people):
    program = ProgramFactory(municipality=municipality,
                             early_reminder=datetime.timedelta(days=2), late_reminder=None)
    event = EventFactory(municipality=municipality, program=program)

    services.register(event, people[0])

    assert reminders(people[0]) == [event.starts_at - datetime.timedelta(days=2)]


def test_reminders_are_never_scheduled_in_the_past(municipality, people):
    soon = EventFactory(municipality=municipality,
                        starts_at=timezone.now() + datetime.timedelta(hours=3))

    services.register(soon, people[0])

    assert reminders(people[0]) == [soon.starts_at - HOUR]
    assert all(at > timezone.now() for at in reminders(people[0]))


def test_reminder_carries_the_event_in_the_municipality_zone(event, people):
    services.register(event, people[0])

    context = sent(notices.EVENT_REMINDER, people[0]).first().context
    assert context["title"] == event.title
    assert context["starts"].endswith(ZONE_NAMED)


# --- event changed ------------------------------------------------------------------------

def local_time(moment):
    return timezone.localtime(moment, VLADIVOSTOK)


def test_reschedule_tells_registered_and_waitlisted_old_and_new_times(full_event, people,
                                                                      curator):
    old_start = full_event.starts_at
    new_start = old_start + datetime.timedelta(days=1, hours=2)

    services.update_event(full_event, starts_at=new_start,
                          ends_at=new_start + datetime.timedelta(hours=2), by=curator)

    for person in people:
        message = only(notices.EVENT_CHANGED, person)
        (change,) = message.context["changes"]
        assert change["label"] == "Время"
        assert f"{local_time(old_start):%H:%M}–" in change["old"]
        assert f"{local_time(new_start):%H:%M}–" in change["new"]
        assert change["old"].endswith(ZONE_NAMED) and change["new"].endswith(ZONE_NAMED)
        component = vevent(message)
        assert str(parsed(message)["METHOD"]) == "REQUEST"
        assert str(component["UID"]) == calendar.event_uid(full_event)
        assert component["SEQUENCE"] == 1
        assert component["DTSTART"].dt == new_start
        assert str(component["ATTENDEE"]) == f"mailto:{person.email}"
    assert str(vevent(only(notices.EVENT_CHANGED, people[3]))["STATUS"]) == "TENTATIVE"


def test_reschedule_moves_the_reminders(full_event, people, curator):
    new_start = full_event.starts_at + datetime.timedelta(days=3)

    services.update_event(full_event, starts_at=new_start,
                          ends_at=new_start + datetime.timedelta(hours=2), by=curator)

    for person in people[:2]:
        assert reminders(person) == [new_start - DAY, new_start - HOUR]
        assert len(reminders(person, status=CANCELLED)) == 2
    assert not sent(notices.EVENT_REMINDER, people[2]).exists()


def test_reschedule_to_soon_leaves_no_reminder_in_the_past(full_event, people, curator):
    soon = timezone.now() + datetime.timedelta(minutes=30)

    services.update_event(full_event, starts_at=soon, ends_at=soon + HOUR, by=curator)

    assert reminders(people[0]) == []
    assert only(notices.EVENT_CHANGED, people[0])


def test_event_changed_once_when_the_same_trigger_fires_twice(full_event, people):
    diff = {"room": ["", "12"]}
    full_event.room = "12"

    notices.notify_event_changed(full_event, diff)
    notices.notify_event_changed(full_event, diff)

    for person in people:
        assert sent(notices.EVENT_CHANGED, person).count() == 1
    assert only(notices.EVENT_CHANGED, people[0]).context["changes"] == [
        {"label": "Место", "old": full_event.address,
         "new": f"{full_event.address}, ауд. 12"}]


def test_description_change_updates_calendars_without_a_mail(full_event, people, curator):
    services.update_event(full_event, description="Возьмите с собой план урока.", by=curator)

    assert not sent(notices.EVENT_CHANGED).exists()
    assert len(reminders(people[0])) == 2  # re-made with the new sequence


@pytest.mark.parametrize("size", [2, 6])
def test_change_notices_queries_do_not_grow_with_people(municipality, size,
                                                        django_assert_num_queries):
    event = EventFactory(municipality=municipality)
    for number in range(size):
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED if number % 2
                            else Registration.Status.CONFIRMED)
    event.refresh_from_db()
    event.online_url, event.sequence = "https://meet.example/room", 1

    # the registrations, cancelling reminders, the event's zone and form, one insert (no
    # savepoint of its own); the invitations are made when the letters are sent
    with django_assert_num_queries(5):
        notices.notify_event_changed(event, {"online_url": ["", event.online_url]})

    assert sent(notices.EVENT_CHANGED).count() == size


# --- event cancelled ----------------------------------------------------------------------

def test_cancel_event_tells_everyone_with_method_cancel_and_drops_reminders(full_event, people,
                                                                            curator):
    services.cancel_event(full_event, by=curator, reason="Карантин")
    services.cancel_event(full_event, by=curator)

    for person in people:
        message = only(notices.EVENT_CANCELLED, person)
        assert message.attachment_type == "text/calendar; method=CANCEL"
        assert str(parsed(message)["METHOD"]) == "CANCEL"
        component = vevent(message)
        assert str(component["STATUS"]) == "CANCELLED"
        assert component["SEQUENCE"] == 1
        assert message.context["reason"] == "Карантин"
    assert not sent(notices.EVENT_REMINDER, status=PENDING).exists()
    assert sent(notices.EVENT_REMINDER, status=CANCELLED).count() == 4


def test_cancelled_event_gets_no_new_reminders(full_event, people, curator):
    services.cancel_event(full_event, by=curator)
    full_event.refresh_from_db()

    assert notices.schedule_reminders(full_event) == 0


# --- the curators' digest -----------------------------------------------------------------

@pytest.fixture
def digest_day(municipality):
    return timezone.localdate(timezone.now(), municipality.zone)


def at_local(day, hour, zone):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


@pytest.fixture
def busy_municipality(municipality, digest_day):
    """A full event with a waiting list, registered yesterday; a quiet event from before."""
    zone = municipality.zone
    yesterday = digest_day - datetime.timedelta(days=1)
    full = EventFactory(municipality=municipality, title="Мастер-класс", capacity=2)
    quiet = EventFactory(municipality=municipality, title="Круглый стол")
    for status in ("confirmed", "confirmed", "waitlisted"):
        RegistrationFactory(event=full, status=status)
    RegistrationFactory(event=quiet)
    Registration.objects.filter(event=full).update(created_at=at_local(yesterday, 12, zone))
    Registration.objects.filter(event=quiet).update(
        created_at=at_local(yesterday - datetime.timedelta(days=2), 12, zone))
    return full


def test_digest_lists_new_registrations_full_events_and_waiting_lists(
        municipality, busy_municipality, digest_day):
    context = digest.curator_digest(municipality, digest_day)

    (new,) = context["new_registrations"]
    assert (new["title"], new["new"], new["confirmed"], new["capacity"],
            new["waitlisted"]) == ("Мастер-класс", 3, 2, 2, 1)
    assert [row["title"] for row in context["full_events"]] == ["Мастер-класс"]
    assert [row["title"] for row in context["waiting_lists"]] == ["Мастер-класс"]
    assert new["when"].endswith(ZONE_NAMED)
    assert context["extra_sections"] == []


def test_digest_goes_once_to_each_curator_with_extra_sections(
        municipality, other_municipality, busy_municipality, digest_day, curator,
        other_curator):
    make_user("participant", municipality=municipality)  # not a curator: no digest

    def rounds_closing(place, day):
        if place == municipality:  # the other municipality has nothing to report
            return {"title": "Анкеты закрываются", "rows": [f"Анкета для {place.name}"]}
        return None

    for _ in range(2):
        digest.enqueue_curator_digests(digest_day, extra_sections=[rounds_closing])

    (message,) = sent(digest.CURATOR_DIGEST)
    assert message.recipient == curator.person
    assert message.context["extra_sections"] == [
        {"title": "Анкеты закрываются", "rows": [f"Анкета для {municipality.name}"]}]


def test_digest_task_writes_the_digests_of_the_day(busy_municipality, digest_day, curator):
    tasks.send_curator_digests(digest_day.isoformat())

    assert sent(digest.CURATOR_DIGEST, curator.person).count() == 1


# --- templates ----------------------------------------------------------------------------

RENDERER_ADDS = {"recipient_name": "Мария Петровна", "site_url": "http://localhost:8000",
                 "unsubscribe_url": "http://localhost:8000/u/x/",
                 "preferences_url": "http://localhost:8000/p/x/"}


def render(message):
    context = {**message.context, **RENDERER_ADDS}
    return [render_to_string(f"notifications/{message.template}/{part}", context)
            for part in ("subject.txt", "body.txt", "body.html")]


@pytest.mark.parametrize(("kind", "subject_start", "body_text"), [
    ("registration_confirmed", "Вы записаны: «", "Приглашение для календаря"),
    ("registration_waitlisted", "Лист ожидания: «", "Вы в листе ожидания"),
    ("registration_promoted", "Место освободилось", "записаны из листа ожидания"),
    ("registration_cancelled", "Запись отменена: «", "запишитесь снова"),
    (notices.EVENT_CHANGED, "Изменения в мероприятии «", "ауд. 12"),
    (notices.EVENT_CANCELLED, "Мероприятие отменено: «", "Причина: Карантин"),
    (notices.EVENT_REMINDER, "Напоминание: «", "начнётся"),
])
def test_event_templates_render_in_russian(full_event, people, curator, kind, subject_start,
                                           body_text):
    services.cancel_registration(registration(full_event, people[0]))
    services.update_event(full_event, room="12", by=curator)
    services.cancel_event(full_event, by=curator, reason="Карантин")
    message = sent(kind).order_by("pk").first()

    subject, text, html = render(message)

    assert subject.startswith(subject_start) and "\n" not in subject.strip()
    assert full_event.title in subject
    assert body_text in text and body_text in html
    assert "Здравствуйте, Мария Петровна!" in text
    assert ZONE_NAMED in text
    assert "&laquo;" not in text and "&#" not in text  # plain text is not HTML-escaped


def test_digest_template_renders_in_russian(municipality, busy_municipality, digest_day,
                                            curator):
    digest.enqueue_curator_digests(digest_day)

    subject, text, html = render(sent(digest.CURATOR_DIGEST).first())

    assert subject.startswith("Сводка на ")
    assert "Новые записи за" in text and "Мест не осталось" in html
    assert "«Мастер-класс»" in text and "в листе ожидания: 1" in text


def test_digest_schedule_runs_hourly_on_the_hour(db):
    schedule = Schedule.objects.get(name="curator-digest")

    assert schedule.func == "events.tasks.send_curator_digests"
    assert schedule.schedule_type == Schedule.HOURLY and schedule.repeats == -1
    assert (schedule.next_run.minute, schedule.next_run.second) == (0, 0)


# --- hostile text ---------------------------------------------------------------------------

def test_notices_of_an_event_whose_title_has_line_breaks_are_written(event, people, curator):
    """A title with CR/LF (an old row, a shell) still gives a notice, its .ics and a subject."""
    event.title = "Семинар\r\nBcc: x@evil.example\n"
    event.save()
    services.register(event, people[0])
    confirmed = only("registration_confirmed", people[0])
    assert str(vevent(confirmed)["SUMMARY"]) == "Семинар Bcc: x@evil.example"
    new_start = event.starts_at + DAY
    services.update_event(event, starts_at=new_start, ends_at=new_start + HOUR, by=curator)
    changed = only(notices.EVENT_CHANGED, people[0])
    assert str(vevent(changed)["SUMMARY"]) == "Семинар Bcc: x@evil.example"
    assert "\n" not in changed.context["title"]
