"""The statements a registration runs on every press of «Записаться», written once and run with
parameters only.

A popular seminar's surge is a few hundred registrations a second, each a handful of reads and
writes the database does in well under a millisecond; composed with the ORM, each statement
cost more Python to build than the database spent on it. These are the ones every
registration runs: the event read under its lock, the person's feed made by their first
registration, then the person's standing with that feed. On PostgreSQL the three go to the
server together (config.pipeline): one wait instead of two or three while the event's row is
locked.
"""

import functools
from collections import namedtuple

from django.db import connection
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from config import pipeline
from config.rows import Columns, read_row
from events.models import CalendarFeed, Event, EventForm, Program, Registration, new_feed_token
from participants.models import Municipality, Organisation

# The event and the rows a letter's snapshot names (municipality, form, program, venue).
_EVENT = Columns(Event, "e")
_RELATED = {"municipality": Columns(Municipality, "m"), "form": Columns(EventForm, "f"),
            "program": Columns(Program, "pr"), "venue": Columns(Organisation, "v")}
_FEED = Columns(CalendarFeed, "c")
_OWN = Columns(Registration, "r")

# The person's registration so far (a Registration, or None), the seats taken, how many wait in
# line from `now` or earlier (with the new row last, its place in line less one), their feed
# (None before their first registration), and that moment `now`.
Standing = namedtuple("Standing", "existing taken waiting feed now")


@functools.cache
def _standing_statement(clock):
    # Each part answered from an index of its own: (event, person) for the person's own row,
    # (event, status, queued_at) for the two counts; the feed by its person. Read after the
    # event's row is locked, never in the locking statement: on PostgreSQL its snapshot would
    # be older than the commit it waited for, and the count stale. `clock`: the SQL of the
    # moment, evaluated once (x.now).
    return f"""
        SELECT (SELECT COUNT(*) FROM events_registration
                 WHERE event_id = %(event)s AND status = %(confirmed)s),
               (SELECT COUNT(*) FROM events_registration
                 WHERE event_id = %(event)s AND status = %(waitlisted)s
                   AND queued_at <= x.now),
               {_OWN.sql()},
               {_FEED.sql()},
               x.now
          FROM (SELECT {clock} AS now) x
          LEFT JOIN events_registration r ON r.event_id = %(event)s
                                         AND r.person_id = %(person)s
          LEFT JOIN events_calendarfeed c ON c.person_id = %(person)s
    """


# A feed made meanwhile by another transaction wins (nothing is returned, the caller reads it).
# Sent with every registration: when the person has a feed, the NOT EXISTS spends no key.
_FIRST_FEED = """
    INSERT INTO events_calendarfeed (person_id, token, created_at)
    SELECT %(person)s, %(token)s, %(now)s
     WHERE NOT EXISTS (SELECT 1 FROM events_calendarfeed WHERE person_id = %(person)s)
    ON CONFLICT DO NOTHING
"""
_NEW_FEED = """
    INSERT INTO events_calendarfeed (person_id, token, created_at)
    VALUES (%(person)s, %(token)s, %(now)s)
    ON CONFLICT DO NOTHING RETURNING id
"""


@functools.cache
def _event_statement(scoped, lock):
    # Only the event's row is locked (OF e): locking its municipality would queue every
    # registration of the municipality behind it. SQLite has no row locks: its IMMEDIATE
    # transaction took the database's write lock at BEGIN.
    related = ", ".join(columns.sql() for columns in _RELATED.values())
    return f"""
        SELECT {_EVENT.sql()}, {related}
          FROM events_event e
          JOIN participants_municipality m ON m.id = e.municipality_id
          LEFT JOIN events_eventform f ON f.id = e.form_id
          LEFT JOIN events_program pr ON pr.id = e.program_id
          LEFT JOIN participants_organisation v ON v.id = e.venue_id
         WHERE e.id = %(event)s {"AND e.municipality_id = %(municipality)s" if scoped else ""}
         {"FOR UPDATE OF e" if lock else ""}
    """


def event_for_update(event_id, *, municipality_id=None):
    """The event with its municipality, form, program and venue, its row locked until the
    transaction ends; None when there is none (in that municipality, when one is given)."""
    _ensure_transaction("event_for_update")
    with connection.cursor() as cursor:
        _send_event(cursor, event_id, municipality_id)
        return _event(cursor.fetchone())


def event_with_standing(event_id, person, *, municipality_id=None):
    """(event_for_update(), the person's standing at it with their feed, made now if they had
    none); the three statements sent together (config.pipeline).

    The standing's `now` is the moment of the registration, taken once the event is locked, so
    that the line is in the order the lock let registrations in. On PostgreSQL, where the lock
    is granted after the statements were sent, it is the database's clock when the standing is
    read; on SQLite, whose transaction locked the database at BEGIN, it is this process's. The
    site's other moments (a window's check, a move to the line) are the web server's clock: the
    two are expected to agree (NTP), as the deployment keeps them on one machine.
    The standing is read even when the event is not found: the caller's error rolls back the
    feed made for it.
    """
    _ensure_transaction("event_with_standing")
    now = timezone.now()
    params = _standing_params(event_id, person, now)
    clock = "clock_timestamp()" if connection.vendor == "postgresql" else "%(now)s"
    with (pipeline.together(), connection.cursor() as lock, connection.cursor() as feed,
          connection.cursor() as rest):
        # The event's lock before the feed, as every writer of registrations takes them (a
        # promotion locks the event, then makes the promoted person's feed): in the other order
        # the two would wait for each other.
        _send_event(lock, event_id, municipality_id)
        sent = pipeline.is_open()
        # Not sent together (SQLite): read now, so that no statement is left open while the
        # feed is written (in autocommit it would hold a snapshot the insert cannot write from).
        row = None if sent else lock.fetchone()
        feed.execute(_FIRST_FEED, {**params, "token": new_feed_token()})
        rest.execute(_standing_statement(clock), params)
        event = _event(lock.fetchone() if sent else row)
        standing = _standing(rest.fetchone(), person)
    if connection.vendor != "postgresql":
        standing = standing._replace(now=now)
    return event, standing


def _ensure_transaction(name):
    if not connection.in_atomic_block:
        raise TransactionManagementError(f"{name}() outside of a transaction.")


def _send_event(cursor, event_id, municipality_id):
    lock = connection.features.has_select_for_update
    cursor.execute(_event_statement(municipality_id is not None, lock),
                   {"event": event_id, "municipality": municipality_id})


def _event(row):
    if row is None:
        return None
    event, *related = read_row(row, _EVENT, *_RELATED.values())
    for name, instance in zip(_RELATED, related, strict=True):
        if instance is not None:
            setattr(event, name, instance)
    return event


def _standing_params(event_id, person, now):
    return {"event": event_id, "person": person.pk, "now": _db_time(now),
            "confirmed": Registration.Status.CONFIRMED,
            "waitlisted": Registration.Status.WAITLISTED}


def _standing(row, person):
    taken, waiting = row[:2]
    feed_at = 2 + len(_OWN)
    return Standing(_OWN.read(row, 2), taken, waiting, _feed(row, feed_at, person),
                    row[feed_at + len(_FEED)])


def feed_of(person):
    """The person's calendar feed, or None."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_FEED.sql()} FROM events_calendarfeed c WHERE c.person_id = %s",
                       [person.pk])
        row = cursor.fetchone()
    return None if row is None else _feed(row, 0, person)


def _feed(row, at, person):
    feed = _FEED.read(row, at)
    if feed is not None:
        feed.person = person
    return feed


def new_feed(person):
    """Make the person's feed, or None when another transaction made it meanwhile."""
    now, token = timezone.now(), new_feed_token()
    with connection.cursor() as cursor:
        cursor.execute(_NEW_FEED, {"person": person.pk, "token": token, "now": _db_time(now)})
        row = cursor.fetchone()
    if row is None:
        return None
    feed = CalendarFeed.from_db(connection.alias, ["id", "person_id", "token", "created_at"],
                                [row[0], person.pk, token, now])
    feed.person = person
    return feed


def _db_time(moment):
    return connection.ops.adapt_datetimefield_value(moment)
