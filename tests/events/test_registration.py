"""Registration, waiting list, attendance and event changes through events.services."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from events import services
from events.errors import (
    EventCancelled,
    EventFull,
    Forbidden,
    Invalid,
    MarkingClosed,
    RegistrationClosed,
    WrongCheckinCode,
)
from events.models import Attendance, CalendarFeed, Event, EventChange, Registration
from notifications.models import Notification
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, make_user

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def _minutes(n):
    return timezone.now() + datetime.timedelta(minutes=n)


def _statuses(event):
    """Each person's status, in waiting-list order: what a curator sees in the list."""
    return [(r.person_id, r.status) for r in event.registrations.order_by("queued_at", "id")]


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality, capacity=2)


@pytest.fixture
def people(municipality):
    return [PersonFactory(municipality=municipality) for _ in range(4)]


@pytest.fixture
def participant(municipality):
    """A signed-in participant with a person of their own and no staff role."""
    return make_user("participant", municipality=municipality)


@pytest.fixture
def full_event(event, people):
    """Two seats taken by people[0..1], people[2..3] waiting in that order."""
    for person in people:
        services.register(event, person)
    return event


# --- seats and the waiting list ------------------------------------------------------------

def test_register_confirms_while_seats_are_free_then_waitlists(event, people):
    statuses = [services.register(event, person).status for person in people]

    assert statuses == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]


def test_register_without_capacity_always_confirms(municipality, people):
    event = EventFactory(municipality=municipality, capacity=None)

    assert {services.register(event, person).status for person in people} == {CONFIRMED}


def test_register_twice_returns_the_same_row(event, people):
    first = services.register(event, people[0])

    second = services.register(event, people[0])

    assert second.pk == first.pk
    assert Registration.objects.filter(event=event, person=people[0]).count() == 1


def test_register_twice_keeps_the_place_in_the_waiting_list(full_event, people):
    queued_at = Registration.objects.get(event=full_event, person=people[2]).queued_at

    again = services.register(full_event, people[2])

    assert (again.status, again.queued_at) == (WAITLISTED, queued_at)


def test_register_after_cancelling_reuses_the_row_at_the_end_of_the_line(full_event, people):
    first = Registration.objects.get(event=full_event, person=people[0])
    services.cancel_registration(first)

    again = services.register(full_event, people[0])

    assert again.pk == first.pk
    assert _statuses(full_event) == [(people[1].pk, CONFIRMED), (people[2].pk, CONFIRMED),
                                     (people[3].pk, WAITLISTED), (people[0].pk, WAITLISTED)]


def test_register_after_cancelling_stores_a_new_version_of_the_row(full_event, people, curator):
    first = Registration.objects.get(event=full_event, person=people[0])
    cancelled = services.cancel_registration(first)
    stored = Registration.objects.get(pk=first.pk)

    again, made = services.register_once(full_event, people[0], by=curator)

    assert made
    row = Registration.objects.get(pk=first.pk)
    assert row.sequence == stored.sequence + 1 == cancelled.sequence + 1
    assert row.updated_at > stored.updated_at and row.queued_at > stored.queued_at
    assert row.created_by_id == curator.pk and row.status == WAITLISTED
    assert (again.sequence, again.updated_at, again.queued_at, again.created_by_id) == (
        row.sequence, row.updated_at, row.queued_at, row.created_by_id)


def test_register_refuses_a_person_of_another_municipality(event, other_municipality):
    stranger = PersonFactory(municipality=other_municipality)

    with pytest.raises(Invalid):
        services.register(event, stranger)
    assert not event.registrations.exists()


def test_cancel_of_a_confirmed_person_promotes_the_first_in_line(full_event, people):
    services.cancel_registration(Registration.objects.get(event=full_event, person=people[0]))

    assert _statuses(full_event) == [(people[0].pk, CANCELLED), (people[1].pk, CONFIRMED),
                                     (people[2].pk, CONFIRMED), (people[3].pk, WAITLISTED)]


def test_cancel_of_a_promoted_person_promotes_the_next_in_line(full_event, people):
    services.cancel_registration(Registration.objects.get(event=full_event, person=people[0]))

    services.cancel_registration(Registration.objects.get(event=full_event, person=people[2]))

    assert _statuses(full_event) == [(people[0].pk, CANCELLED), (people[1].pk, CONFIRMED),
                                     (people[2].pk, CANCELLED), (people[3].pk, CONFIRMED)]


def test_cancel_of_a_waitlisted_person_promotes_nobody(full_event, people):
    services.cancel_registration(Registration.objects.get(event=full_event, person=people[2]))

    assert _statuses(full_event) == [(people[0].pk, CONFIRMED), (people[1].pk, CONFIRMED),
                                     (people[2].pk, CANCELLED), (people[3].pk, WAITLISTED)]


def test_cancel_twice_is_harmless(full_event, people):
    registration = Registration.objects.get(event=full_event, person=people[0])
    services.cancel_registration(registration)

    again = services.cancel_registration(registration)

    assert again.status == CANCELLED
    assert full_event.registrations.filter(status=CONFIRMED).count() == 2


def test_capacity_increase_promotes_the_waiting_list_in_order(full_event, people):
    services.update_event(full_event, capacity=3)

    assert _statuses(full_event)[2:] == [(people[2].pk, CONFIRMED), (people[3].pk, WAITLISTED)]


def test_move_to_waitlist_puts_the_person_last_and_passes_the_seat_on(full_event, people, curator):
    moved = services.move_to_waitlist(
        Registration.objects.get(event=full_event, person=people[0]), by=curator)

    assert moved.status == WAITLISTED
    assert _statuses(full_event) == [(people[1].pk, CONFIRMED), (people[2].pk, CONFIRMED),
                                     (people[3].pk, WAITLISTED), (people[0].pk, WAITLISTED)]


def test_move_to_waitlist_refuses_someone_not_confirmed(full_event, people, curator):
    with pytest.raises(Invalid):
        services.move_to_waitlist(
            Registration.objects.get(event=full_event, person=people[3]), by=curator)


def test_move_to_waitlist_is_for_curators_only(full_event, people, mentor_user):
    registration = Registration.objects.get(event=full_event, person=people[0])

    with pytest.raises(Forbidden):
        services.move_to_waitlist(registration, by=mentor_user)
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_confirm_from_waitlist_refuses_when_full(full_event, people, curator):
    registration = Registration.objects.get(event=full_event, person=people[3])

    with pytest.raises(EventFull):
        services.confirm_from_waitlist(registration, by=curator)
    registration.refresh_from_db()
    assert registration.status == WAITLISTED


def test_confirm_from_waitlist_gives_a_free_seat_out_of_order(event, people, curator):
    RegistrationFactory(event=event, person=people[0], status=CONFIRMED)
    RegistrationFactory(event=event, person=people[1], status=WAITLISTED)
    chosen = RegistrationFactory(event=event, person=people[2], status=WAITLISTED)

    services.confirm_from_waitlist(chosen, by=curator)

    assert _statuses(event) == [(people[0].pk, CONFIRMED), (people[1].pk, WAITLISTED),
                                (people[2].pk, CONFIRMED)]


# --- the registration window and who may register -----------------------------------------

@pytest.mark.parametrize(
    "window",
    [
        {"registration_opens_at": 60},
        {"registration_closes_at": -60},
        {"starts_at": -10},
    ],
    ids=["not-yet-open", "closed", "after-start"],
)
def test_register_outside_the_window_is_closed(municipality, participant, window):
    fields = {name: _minutes(minutes) for name, minutes in window.items()}
    if "starts_at" in fields:
        fields["ends_at"] = fields["starts_at"] + datetime.timedelta(hours=2)
    event = EventFactory(municipality=municipality, **fields)

    with pytest.raises(RegistrationClosed):
        services.register(event, participant.person, by=participant)
    assert not event.registrations.exists()


def test_register_inside_the_window_confirms(municipality, participant):
    event = EventFactory(municipality=municipality, registration_opens_at=_minutes(-60),
                         registration_closes_at=_minutes(60))

    registration = services.register(event, participant.person, by=participant)

    assert (registration.status, registration.created_by) == (CONFIRMED, participant)


def test_register_for_a_cancelled_event_is_refused(event, people):
    services.cancel_event(event)

    with pytest.raises(EventCancelled):
        services.register(event, people[0])


def test_curator_registers_someone_on_their_behalf_even_after_closing(municipality, people,
                                                                       curator):
    event = EventFactory(municipality=municipality, registration_closes_at=_minutes(-60))

    registration = services.register(event, people[0], by=curator)

    assert (registration.status, registration.created_by) == (CONFIRMED, curator)


def test_curator_of_another_municipality_cannot_register_on_behalf(event, people, other_curator):
    with pytest.raises(Forbidden):
        services.register(event, people[0], by=other_curator)


def test_participant_cannot_register_someone_else(event, people, participant):
    with pytest.raises(Forbidden):
        services.register(event, people[0], by=participant)
    assert not event.registrations.exists()


def test_participant_cancels_own_registration_before_the_start(event, participant):
    registration = services.register(event, participant.person, by=participant)

    assert services.cancel_registration(registration, by=participant).status == CANCELLED


def test_participant_cannot_cancel_after_the_start(municipality, participant):
    event = EventFactory(municipality=municipality, starts_at=_minutes(-10))
    registration = RegistrationFactory(event=event, person=participant.person)

    with pytest.raises(RegistrationClosed):
        services.cancel_registration(registration, by=participant)
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_curator_cancels_after_the_start(municipality, people, curator):
    event = EventFactory(municipality=municipality, starts_at=_minutes(-10))
    registration = RegistrationFactory(event=event, person=people[0])

    assert services.cancel_registration(registration, by=curator).status == CANCELLED


def test_participant_cannot_cancel_someone_elses_registration(full_event, people, participant):
    registration = Registration.objects.get(event=full_event, person=people[0])

    with pytest.raises(Forbidden):
        services.cancel_registration(registration, by=participant)


# --- attendance ------------------------------------------------------------------------------

@pytest.fixture
def running_event(municipality):
    """An event that started ten minutes ago and runs for an hour more."""
    return EventFactory(municipality=municipality, starts_at=_minutes(-10),
                        ends_at=_minutes(60))


def test_mark_attendance_records_who_marked(running_event, people, mentor_user):
    RegistrationFactory(event=running_event, person=people[0])

    attendance = services.mark_attendance(running_event, people[0], by=mentor_user)

    assert (attendance.present, attendance.is_walk_in, attendance.marked_by) == (
        True, False, mentor_user)


@pytest.mark.parametrize("user", ["mentor_user", "curator", "superuser"])
def test_mark_attendance_of_a_future_event_is_refused_for_everyone(
        request, municipality, people, user):
    event = EventFactory(municipality=municipality, starts_at=_minutes(31),
                         ends_at=_minutes(120))
    RegistrationFactory(event=event, person=people[0])

    with pytest.raises(MarkingClosed, match="не раньше чем за 30 минут до начала"):
        services.mark_attendance(event, people[0], by=request.getfixturevalue(user))
    assert not Attendance.objects.exists()


def test_mark_attendance_opens_thirty_minutes_before_the_start(municipality, people,
                                                               mentor_user):
    event = EventFactory(municipality=municipality, starts_at=_minutes(29),
                         ends_at=_minutes(120))

    assert services.mark_attendance(event, people[0], by=mentor_user).present


def test_after_the_event_a_mentor_may_no_longer_mark_but_a_curator_corrects(
        municipality, people, mentor_user, curator):
    event = EventFactory(municipality=municipality, starts_at=_minutes(-6 * 60),
                         ends_at=_minutes(-3 * 60 - 5))
    RegistrationFactory(event=event, person=people[0])

    with pytest.raises(MarkingClosed, match="исправить отметки может куратор"):
        services.mark_attendance(event, people[0], by=mentor_user)
    corrected = services.mark_attendance(event, people[0], present=False, by=curator)

    assert corrected.present is False and corrected.marked_by == curator


def test_a_mentor_finishes_marking_soon_after_the_end(municipality, people, mentor_user):
    event = EventFactory(municipality=municipality, starts_at=_minutes(-3 * 60),
                         ends_at=_minutes(-60))

    assert services.mark_attendance(event, people[0], by=mentor_user).present


def test_mark_attendance_absent(running_event, people, curator):
    RegistrationFactory(event=running_event, person=people[0])

    attendance = services.mark_attendance(running_event, people[0], present=False, by=curator)

    assert (attendance.present, attendance.marked_by) == (False, curator)


def test_mark_attendance_twice_corrects_the_one_record(running_event, people, curator,
                                                       mentor_user):
    RegistrationFactory(event=running_event, person=people[0])
    services.mark_attendance(running_event, people[0], by=mentor_user)

    services.mark_attendance(running_event, people[0], present=False, by=curator)

    attendance = Attendance.objects.get(event=running_event, person=people[0])
    assert (attendance.present, attendance.marked_by) == (False, curator)


def test_mark_attendance_of_someone_not_registered_is_a_walk_in(running_event, people, curator):
    cancelled = RegistrationFactory(event=running_event, person=people[1], status=CANCELLED)

    walk_in = services.mark_attendance(running_event, people[0], by=curator)
    came_anyway = services.mark_attendance(running_event, cancelled.person, by=curator)

    assert (walk_in.is_walk_in, came_anyway.is_walk_in) == (True, True)


def test_participant_cannot_mark_attendance(running_event, people, participant):
    with pytest.raises(Forbidden):
        services.mark_attendance(running_event, people[0], by=participant)
    assert not Attendance.objects.exists()


def test_mentor_of_another_municipality_cannot_mark_attendance(running_event, people,
                                                              other_curator):
    with pytest.raises(Forbidden):
        services.mark_attendance(running_event, people[0], by=other_curator)


def test_check_in_with_the_right_code_marks_present(running_event, participant):
    RegistrationFactory(event=running_event, person=participant.person)

    attendance = services.check_in(running_event, participant.person,
                                   code=f" {running_event.checkin_code} ", by=participant)

    assert (attendance.present, attendance.self_checked_in, attendance.is_walk_in) == (
        True, True, False)


def test_check_in_with_a_wrong_code_is_refused(running_event, participant):
    RegistrationFactory(event=running_event, person=participant.person)
    wrong = f"{(int(running_event.checkin_code) + 1) % 10**6:06d}"

    with pytest.raises(WrongCheckinCode):
        services.check_in(running_event, participant.person, code=wrong, by=participant)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("starts_in, ends_in", [(31, 120), (-120, -1)],
                         ids=["too-early", "after-the-end"])
def test_check_in_outside_the_event_is_refused(municipality, participant, starts_in, ends_in):
    event = EventFactory(municipality=municipality, starts_at=_minutes(starts_in),
                         ends_at=_minutes(ends_in))
    RegistrationFactory(event=event, person=participant.person)

    with pytest.raises(RegistrationClosed):
        services.check_in(event, participant.person, code=event.checkin_code, by=participant)


def test_check_in_half_an_hour_early_is_allowed(municipality, participant):
    event = EventFactory(municipality=municipality, starts_at=_minutes(29))
    RegistrationFactory(event=event, person=participant.person)

    assert services.check_in(event, participant.person, code=event.checkin_code,
                             by=participant).present


@pytest.mark.parametrize("status", [None, WAITLISTED, CANCELLED])
def test_check_in_without_a_seat_is_refused(running_event, participant, status):
    if status:
        RegistrationFactory(event=running_event, person=participant.person, status=status)

    with pytest.raises(Forbidden):
        services.check_in(running_event, participant.person, code=running_event.checkin_code,
                          by=participant)


def test_check_in_for_someone_else_is_refused(running_event, people, participant):
    RegistrationFactory(event=running_event, person=people[0])

    with pytest.raises(Forbidden):
        services.check_in(running_event, people[0], code=running_event.checkin_code,
                          by=participant)


# --- changes to the event --------------------------------------------------------------------

def test_update_event_records_old_and_new_and_raises_sequence(event, curator):
    old_title = event.title

    updated = services.update_event(event, title="Мастер-класс", by=curator)

    change = EventChange.objects.get(event=event, kind=EventChange.Kind.UPDATED)
    assert change.changes == {"title": [old_title, "Мастер-класс"]}
    assert change.changed_by == curator
    assert updated.sequence == event.sequence + 1


def test_update_event_of_an_insignificant_field_keeps_sequence(event, curator):
    updated = services.update_event(event, capacity=5, academic_hours=4, by=curator)

    change = EventChange.objects.get(event=event, kind=EventChange.Kind.UPDATED)
    assert set(change.changes) == {"capacity", "academic_hours"}
    assert change.changes["capacity"] == [2, 5]
    assert updated.sequence == event.sequence


def test_update_event_moving_the_time_is_a_reschedule(event, curator):
    starts_at = event.starts_at + datetime.timedelta(days=1)
    ends_at = event.ends_at + datetime.timedelta(days=1)

    updated = services.update_event(event, starts_at=starts_at, ends_at=ends_at, by=curator)

    change = EventChange.objects.get(event=event, kind=EventChange.Kind.RESCHEDULED)
    assert change.changes["starts_at"] == [event.starts_at.isoformat(), starts_at.isoformat()]
    assert updated.sequence == event.sequence + 1


def test_update_event_without_a_difference_writes_nothing(event, curator):
    updated = services.update_event(event, title=event.title, by=curator)

    assert updated.sequence == event.sequence
    assert not EventChange.objects.filter(event=event).exists()


def test_update_event_refuses_a_field_that_is_not_editable(event, curator):
    with pytest.raises(Invalid):
        services.update_event(event, checkin_code="000000", by=curator)


def test_update_event_by_another_municipality_is_forbidden(event, other_curator):
    with pytest.raises(Forbidden):
        services.update_event(event, title="Чужое", by=other_curator)
    assert Event.objects.get(pk=event.pk).title == event.title


def test_cancel_event_keeps_registrations(full_event, people, curator):
    before = _statuses(full_event)

    cancelled = services.cancel_event(full_event, by=curator, reason="Карантин")

    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.sequence == full_event.sequence + 1
    assert _statuses(full_event) == before
    change = EventChange.objects.get(event=full_event, kind=EventChange.Kind.CANCELLED)
    assert change.changes["reason"] == "Карантин"


def test_cancel_registration_of_a_cancelled_event_promotes_nobody(full_event, people, curator):
    services.cancel_event(full_event, by=curator)

    services.cancel_registration(Registration.objects.get(event=full_event, person=people[0]),
                                 by=curator)

    assert Registration.objects.get(event=full_event, person=people[2]).status == WAITLISTED


# --- what one registration costs ------------------------------------------------------------

# A savepoint and its release (the test's own transaction is outside), the event locked with
# its municipality, form, program and venue, the feed made if the person has none (inserting
# nothing when they have one), the person's standing (their registration so far, the seats
# taken, the line and their feed: one statement), the insert, the outbox rows in one
# statement. A first registration has no letters to supersede and the place in line is
# counted by the standing, so the waiting list costs nothing more. On PostgreSQL the lock, the
# feed and the standing go together, and so do the insert, the outbox rows and the end of the
# transaction (config.pipeline; its waits are counted below).
REGISTER_QUERIES = {CONFIRMED: 7, WAITLISTED: 7}


@pytest.mark.parametrize("status", [CONFIRMED, WAITLISTED])
def test_registration_takes_a_fixed_number_of_queries(municipality, people, status,
                                                      django_assert_num_queries):
    event = EventFactory(municipality=municipality, capacity=1)
    if status == WAITLISTED:
        services.register(event, people[0])  # the one seat
    person = people[3]
    services.feed_for(person)  # a feed made earlier: the usual case
    with django_assert_num_queries(REGISTER_QUERIES[status]):
        registration = services.register(event, person)
    assert registration.status == status


def test_first_registration_makes_the_feed_with_no_query_more(municipality, people,
                                                                 django_assert_num_queries):
    event = EventFactory(municipality=municipality, capacity=1)
    with django_assert_num_queries(REGISTER_QUERIES[CONFIRMED]):
        services.register(event, people[0])
    feed = services.feed_for(people[0])
    assert feed.person_id == people[0].pk
    # The letter links the feed the registration made.
    letter = Notification.objects.get(recipient=people[0], kind="registration_confirmed")
    assert feed.token in letter.context["feed_url"]
    services.register(EventFactory(municipality=municipality), people[0])
    assert CalendarFeed.objects.get(person=people[0]).token == feed.token  # made once


def _waits(trace):
    """The round trips of a libpq trace: for each, the statements sent before its answer."""
    waits, sent, answered = [], [], True
    # A message starts a line with its direction; a statement's own lines follow its Parse.
    for message in re.split(r"\n(?=[FB]\t)", trace.strip()):
        direction, _length, kind, *rest = message.split("\t")
        if direction == "B":
            if not answered:
                waits.append(sent)
                sent, answered = [], True
            continue
        answered = False
        if kind in ("Parse", "Query"):
            sent.append(rest[0])
    return waits


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's protocol")
@pytest.mark.django_db(transaction=True)
def test_a_registration_waits_for_postgresql_five_times_two_with_the_event_locked(
        municipality, people, tmp_path, monkeypatch):
    from psycopg import pq

    # The suite starts delivery in the committing thread (the site: in a thread of its own).
    monkeypatch.setattr("notifications.services._start_delivery", lambda: None)
    event = EventFactory(municipality=municipality, capacity=1)
    services.register(event, people[0])
    # A connection of its own: after five runs a statement is prepared, and its Parse (which
    # names it in the trace) is not sent again.
    connection.close()
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with open(tmp_path / "trace", "w") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            registration, made = services.register_once(event, people[1])
        finally:
            pgconn.untrace()
    assert made and registration.pk and registration.status == WAITLISTED
    waits = _waits((tmp_path / "trace").read_text())
    # BEGIN; the event's lock with the feed and the standing; the new rows with the COMMIT;
    # psycopg's check that the transaction is over; the end of sending together.
    assert len(waits) == 5, waits
    begin, (lock, *_rest), (*_rows, commit) = waits[:3]
    assert "BEGIN" in begin[0] and "FOR UPDATE" in lock and "COMMIT" in commit
    # Which is as long as the event's row stays locked: other registrations wait for it.


def test_registering_again_reads_the_registration_and_writes_nothing(municipality, people,
                                                                     django_assert_num_queries):
    event = EventFactory(municipality=municipality)
    first = services.register(event, people[0])
    # A savepoint and its release, the event locked, the feed's statement (inserting nothing),
    # the standing with the registration itself.
    with django_assert_num_queries(5):
        again, made = services.register_once(event, people[0])
        assert (again.person.pk, again.event.pk) == (people[0].pk, event.pk)  # no query
    assert (again.pk, made) == (first.pk, False)
