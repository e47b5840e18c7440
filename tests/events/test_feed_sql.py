"""The validators' statement (events.feed_sql) counts the very events the feed's body shows.

The body is built from the querysets of events.calendar, the ETag from one hand-written
statement per kind of feed; were they to disagree about an event, a change to it would not move
the ETag. Each case that puts an event in a feed or keeps it out is here.
"""

import datetime

import pytest
from django.utils import timezone

from events import calendar, feed_sql, services
from events.models import Event, Registration
from events.plan import calendar as plan_calendar
from events.plan.models import PeriodKind, PlanItem, PlanResponsible
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, TrackFactory, in_days

WAITLISTED = Registration.Status.WAITLISTED


def _cancelled(event, days_ago):
    services.cancel_event(event)
    Event.objects.filter(pk=event.pk).update(
        cancelled_at=timezone.now() - datetime.timedelta(days=days_ago))


def _expected(feed):
    """(id, SEQUENCE) of each event the body shows."""
    return sorted(feed.events.values_list("pk", "sequence"))


def _entries(row):
    """The entries of the statement as lists of their fields."""
    return [entry.split(":", 2)[:2] + [entry] for entry in feed_sql.entries(row["entries"])]


def _ids(row):
    return sorted((int(pk), int(sequence)) for pk, sequence, _entry in _entries(row))


def _state(feed):
    now = feed.now or timezone.now()
    kind, scope = feed.scope
    row = feed_sql.candidates_state(
        kind, scope, gone=now - calendar.CANCELLED_KEPT,
        since=now - feed.history if feed.history else None)
    return row


@pytest.fixture
def track(municipality):
    return TrackFactory(program__municipality=municipality)


@pytest.fixture
def person_events(municipality, track):
    """A person's events in every standing towards their feed; returns (person, shown)."""
    person = PersonFactory(municipality=municipality)
    other = PersonFactory(municipality=municipality)

    def event(**kwargs):
        return EventFactory(municipality=municipality, program=track.program, track=track,
                            **kwargs)

    confirmed = RegistrationFactory(person=person, event=event()).event
    waitlisted = RegistrationFactory(person=person, event=event(), status=WAITLISTED).event
    left = RegistrationFactory(person=person, event=event(),
                               status=Registration.Status.CANCELLED).event
    runs = event()
    runs.responsible.add(person)
    runs_after_leaving = RegistrationFactory(person=person, event=event(),
                                             status=Registration.Status.CANCELLED).event
    runs_after_leaving.responsible.add(person)
    runs_waitlisted = RegistrationFactory(person=person, event=event(), status=WAITLISTED).event
    runs_waitlisted.responsible.add(person)
    cancelled_lately = RegistrationFactory(person=person, event=event()).event
    _cancelled(cancelled_lately, days_ago=10)
    cancelled_long_ago = RegistrationFactory(person=person, event=event()).event
    _cancelled(cancelled_long_ago, days_ago=40)
    past_history = RegistrationFactory(person=person, event=event(
        starts_at=in_days(-400), ends_at=in_days(-400, hour=17))).event
    RegistrationFactory(person=other, event=event())
    shown = {confirmed, waitlisted, runs, runs_after_leaving, runs_waitlisted, cancelled_lately}
    assert left not in shown and past_history not in shown and cancelled_long_ago not in shown
    return person, shown


def test_personal_statement_counts_the_events_the_body_shows(person_events):
    person, shown = person_events
    feed = calendar.person_feed(person)

    row = _state(feed)

    assert set(feed.events) == shown
    assert _ids(row) == _expected(feed)
    # The waitlisted one they do not run, and the one they run while waitlisted; the three
    # they run, whatever their registration says.
    texts = [entry for _pk, _sequence, entry in _entries(row)]
    assert sum(f":{WAITLISTED}:" in entry for entry in texts) == 2
    assert sum(entry.endswith(":1") for entry in texts) == 3
    assert row["cancelled_gone"] is not None and row["history_gone"] is not None


@pytest.mark.parametrize("kind", ["program", "track"])
def test_public_statement_counts_the_events_the_body_shows(person_events, track, kind):
    feed = (calendar.program_feed(track.program) if kind == "program"
            else calendar.track_feed(track))

    row = _state(feed)

    # Public feeds keep past events and show every registration's event; only the
    # cancellation 40 days old has left.
    assert len(_ids(row)) == Event.objects.filter(track=track).count() - 1
    assert _ids(row) == _expected(feed)
    assert feed_sql.instant(row["cancelled_gone"]) < timezone.now() - calendar.CANCELLED_KEPT


def test_becoming_responsible_for_an_event_waitlisted_for_moves_the_etag(municipality):
    # Nothing else moves: the event stays in the feed and its row is not saved, but its entry
    # turns from TENTATIVE to CONFIRMED.
    person = PersonFactory(municipality=municipality)
    event = RegistrationFactory(person=person, event__municipality=municipality,
                                status=WAITLISTED).event
    before = calendar.feed_state(calendar.person_feed(person))
    body_before = calendar.feed_ics(calendar.person_feed(person))

    event.responsible.add(person)

    after = calendar.feed_state(calendar.person_feed(person))
    assert b"STATUS:TENTATIVE" in body_before
    assert b"STATUS:CONFIRMED" in calendar.feed_ics(calendar.person_feed(person))
    assert after.etag != before.etag


def test_an_empty_feed_has_validators(municipality, track):
    person = PersonFactory(municipality=municipality)

    states = [calendar.feed_state(feed) for feed in (
        calendar.person_feed(person), calendar.program_feed(track.program),
        calendar.track_feed(track))]

    assert all(state.etag.startswith('W/"') for state in states)
    assert states[0].last_modified == person.updated_at


@pytest.fixture
def plan_items(municipality, track):
    """An item a person answers for, one of a track, one for the program's whole period."""
    person = PersonFactory(municipality=municipality)
    program = track.program
    mine = PlanItem.objects.create(program=program, title="Семинар", period_kind=PeriodKind.MONTH,
                                   starts_on=datetime.date(2026, 3, 1),
                                   ends_on=datetime.date(2026, 3, 31))
    PlanResponsible.objects.create(item=mine, person=person)
    PlanResponsible.objects.create(item=mine, text="методист")
    of_track = PlanItem.objects.create(program=program, track=track, title="Отчёт",
                                       period_kind=PeriodKind.WHOLE)
    return person, program, track, [mine, of_track]


def test_plan_rows_are_the_items_of_each_feed(plan_items):
    person, program, track, items = plan_items

    for kind, scope in (("person", person.pk), ("program", program.pk), ("track", track.pk)):
        feed_items = {pk for pk, *_rest in feed_sql.plan_rows(kind, scope)}
        assert feed_items == set(plan_calendar.ITEMS[kind](scope).values_list("pk", flat=True))
    assert {pk for pk, *_rest in feed_sql.plan_rows("person", person.pk)} == {items[0].pk}
    assert {pk for pk, *_rest in feed_sql.plan_rows("track", track.pk)} == {items[1].pk}
    # The last day is a date, whether the item has its own or takes its program's.
    assert {row[-1] for row in feed_sql.plan_rows("program", program.pk)} == {
        datetime.date(2026, 3, 31), program.end_date}


def test_a_feed_found_by_its_token_has_the_etag_of_the_persons_feed(client, person_events):
    # Load tests and clients compute the ETag from the model; the view reads the person by a
    # statement of its own: both must name the same feed.
    person, _shown = person_events
    token = services.feed_for(person).token

    response = client.get(f"/calendar/{token}.ics")
    found = feed_sql.owner_of("person", token)

    assert response.status_code == 200
    assert response["ETag"] == calendar.feed_state(calendar.person_feed(person)).etag
    assert (found.pk, found.municipality.time_zone) == (person.pk, person.municipality.time_zone)
    assert found.updated_at == person.updated_at
    assert feed_sql.owner_of("person", token + "x") is None
    assert client.get(f"/calendar/{token}x.ics").status_code == 404


def test_a_program_and_a_track_found_by_their_statement_are_the_models_feeds(
        client, person_events, track):
    # The views read the owner by events.feed_sql; a feed built from the model instance (as
    # tests and load scripts build it) must have the same body and validators.
    program = track.program
    for kind, owner, build, url in (
            ("program", program, calendar.program_feed, f"/calendar/programs/{program.pk}.ics"),
            ("track", track, calendar.track_feed, f"/calendar/tracks/{track.pk}.ics")):
        found = feed_sql.owner_of(kind, owner.pk)
        response = client.get(url)

        assert response["ETag"] == calendar.feed_state(build(owner)).etag
        assert calendar.feed_ics(build(found)) == response.content
        assert feed_sql.owner_of(kind, owner.pk + 1000) is None
    assert (found.program.name, found.program.municipality.time_zone) == (
        program.name, program.municipality.time_zone)
