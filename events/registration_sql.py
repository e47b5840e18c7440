"""The statements a registration runs on every press of «Записаться», written once and run with
parameters only.

A popular seminar's surge is a few hundred registrations a second, each a handful of reads and
writes the database does in well under a millisecond; composed with the ORM, each statement
cost more Python to build than the database spent on it. These are the two that every
registration runs (its standing under the event's lock) or every first one (the person's feed).
"""

from collections import namedtuple

from django.db import connection
from django.utils import timezone

from events.models import CalendarFeed, Registration, new_feed_token

# The person's registration so far (its id, or None), the seats taken, and how many wait in
# line from `now` or earlier: with the new row last, that is its place in line less one.
Standing = namedtuple("Standing", "existing_id taken waiting")

# Three scalar subqueries, each answered from an index of its own: (event, person) for the
# registration, (event, status, queued_at) for the two counts.
_STANDING = """
    SELECT (SELECT id FROM events_registration
             WHERE event_id = %(event)s AND person_id = %(person)s),
           (SELECT COUNT(*) FROM events_registration
             WHERE event_id = %(event)s AND status = %(confirmed)s),
           (SELECT COUNT(*) FROM events_registration
             WHERE event_id = %(event)s AND status = %(waitlisted)s AND queued_at <= %(now)s)
"""

# A feed made meanwhile by another transaction wins (nothing is returned, the caller reads it).
_NEW_FEED = """
    INSERT INTO events_calendarfeed (person_id, token, created_at)
    VALUES (%(person)s, %(token)s, %(now)s)
    ON CONFLICT DO NOTHING RETURNING id
"""


def standing(event_id, person_id, now):
    """The person's standing at the event as a registration at `now` finds it (one query)."""
    params = {"event": event_id, "person": person_id, "now": _db_time(now),
              "confirmed": Registration.Status.CONFIRMED,
              "waitlisted": Registration.Status.WAITLISTED}
    with connection.cursor() as cursor:
        cursor.execute(_STANDING, params)
        return Standing(*cursor.fetchone())


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
