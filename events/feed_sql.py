"""The statements a feed's 304 runs (its owner: the person of a token, a program or a track;
the state of the feed's events; the state of its plan items): written once per kind of feed,
run with parameters only.

A calendar client polls its feed every hour or so and nearly always gets a 304, so the 304 is
the feed's busiest answer. Composed with the ORM, the aggregate behind it cost more to compile
(a dozen filtered aggregates, each repeating the feed's subquery) than to run; here each event
that is or was in the feed is read once, marked shown or not, and aggregated in one pass, and
each row whose name the feed shows (municipality, program, form, track, venue) is read once.

What counts as shown must match the querysets of `events.calendar` that the body is built
from; tests/events/test_feed_sql.py compares the two over every case that moves an event in or
out of a feed.

The ETag reads the feed's entries one by one, not sums of them: two feeds with the same count,
sum of ids and latest change (events 1 and 4 for 2 and 3, changed in the same instant) are two
bodies, and a client must not get a 304 for the other. Each shown event gives its id and
revision as text; the database concatenates them and the caller sorts and digests the pieces,
since SQLite before 3.44 cannot order an aggregate and has no hash function of its own.
"""

import datetime
import functools

from django.db import connection
from django.utils.dateparse import parse_datetime

from config.rows import Columns, read_row
from events.models import Event, Program, Registration, Track
from participants.models import Municipality, Person

UTC = datetime.UTC
RELATED = ("municipality", "program", "form", "track", "venue")

# Each kind of feed: the joins and the condition that give the events that are or were in it,
# and what makes an event shown. %(...)s are parameters: nothing from a request is formatted in.
_PERSON = ("""
    JOIN (SELECT event_id FROM events_registration WHERE person_id = %(scope)s
          UNION
          SELECT event_id FROM events_event_responsible WHERE person_id = %(scope)s
         ) mine ON mine.event_id = e.id
    LEFT JOIN events_registration r ON r.event_id = e.id AND r.person_id = %(scope)s
    LEFT JOIN events_event_responsible rp ON rp.event_id = e.id AND rp.person_id = %(scope)s
""", "1 = 1")
_PERSON_SHOWN = ("(r.status IN (%(confirmed)s, %(waitlisted)s) OR rp.id IS NOT NULL)"
                 " AND e.starts_at >= %(since)s")
_PROGRAM = ("", "e.program_id = %(scope)s")
_TRACK = ("", "e.track_id = %(scope)s")
# A cancelled event leaves every feed CANCELLED_KEPT after its cancellation.
_NOT_GONE = ("NOT (e.status = %(cancelled)s AND e.cancelled_at IS NOT NULL"
             " AND e.cancelled_at < %(gone)s)")

_COMMON = {
    "changed": "MAX(updated_at)",
    # Entries that left with time: a cancellation kept its while, a start out of history.
    "cancelled_gone": "MAX(CASE WHEN shown = 0 AND gone = 1 THEN cancelled_at END)",
}
# Names the body shows come from these rows: each row is read once, not once per event.
_RELATED_TABLES = {"municipality": "participants_municipality", "program": "events_program",
                   "form": "events_eventform", "track": "events_track",
                   "venue": "participants_organisation"}
_RELATED = {f"{name}_changed": (f"(SELECT MAX(updated_at) FROM {table} WHERE id IN"
                                f" (SELECT {name}_id FROM candidates WHERE shown = 1))")
            for name, table in _RELATED_TABLES.items()}
_PERSONAL = {
    "history_gone": "MAX(CASE WHEN shown = 0 AND starts_at < %(since)s THEN starts_at END)",
    "registrations_changed": "MAX(registration_changed)",
}
# An entry's revision: what of its event (and, in a personal feed, of the person's registration
# and responsibility) its VEVENT is rendered from. ENTRY_SEPARATOR is in none of the values.
ENTRY_SEPARATOR = ","
# Written with `||` alone (both databases turn numbers and times into text for it); only what
# may be missing is COALESCEd, so that a NULL does not blank the whole entry.
_ENTRY = "e.id || ':' || e.sequence || ':' || e.updated_at"
_PERSONAL_ENTRY = (" || ':' || COALESCE(r.status, '') || ':' || COALESCE(r.sequence, -1)"
                   " || ':' || COALESCE(CAST(r.updated_at AS TEXT), '')"
                   # Whoever runs an event sees it confirmed whatever their registration says.
                   " || ':' || CASE WHEN rp.id IS NULL THEN 0 ELSE 1 END")
# The database's aggregate that joins texts.
_CONCAT = {"postgresql": "STRING_AGG", "sqlite": "GROUP_CONCAT"}


def _statement(source, shown, aggregates, *, personal, concat):
    entry = _ENTRY + (_PERSONAL_ENTRY if personal else "")
    columns = ["e.id", "e.updated_at", "e.cancelled_at", "e.starts_at",
               *(f"e.{name}_id" for name in RELATED),
               f"CASE WHEN {_NOT_GONE} THEN 0 ELSE 1 END AS gone",
               f"CASE WHEN {shown} THEN 1 ELSE 0 END AS shown",
               f"{entry} AS entry"]
    if personal:
        columns += ["r.updated_at AS registration_changed"]
    joins, where = source
    aggregates = {"entries": f"{concat}(CASE WHEN shown = 1 THEN entry END,"
                             f" '{ENTRY_SEPARATOR}')", **aggregates}
    select = ", ".join(f"{sql} AS {name}" for name, sql in {**aggregates, **_RELATED}.items())
    return (f"WITH candidates AS (SELECT {', '.join(columns)} FROM events_event e {joins}"
            f" WHERE {where}) SELECT {select} FROM candidates")


@functools.cache
def _statements(vendor):
    concat = _CONCAT[vendor]
    return {
        "person": _statement(_PERSON, f"{_PERSON_SHOWN} AND {_NOT_GONE}",
                             {**_COMMON, **_PERSONAL}, personal=True, concat=concat),
        "program": _statement(_PROGRAM, _NOT_GONE, _COMMON, personal=False, concat=concat),
        "track": _statement(_TRACK, _NOT_GONE, _COMMON, personal=False, concat=concat),
    }


NAMES = {kind: ("entries", *_COMMON, *(_PERSONAL if kind == "person" else ()), *_RELATED)
         for kind in ("person", "program", "track")}


# Everything a rendered plan item shows (names of its responsibles too), and its last day.
_PLAN = """
    SELECT i.id, i.updated_at, i.sequence, i.number, f.name, p.start_date, p.end_date,
           m.time_zone, r.position, r.text, pe.last_name, pe.first_name, pe.patronymic,
           o.name, o.short_name, COALESCE(i.ends_on, p.end_date)
    FROM events_planitem i
    JOIN events_program p ON p.id = i.program_id
    JOIN participants_municipality m ON m.id = p.municipality_id
    LEFT JOIN events_eventform f ON f.id = i.form_id
    LEFT JOIN events_planresponsible r ON r.item_id = i.id
    LEFT JOIN participants_person pe ON pe.id = r.person_id
    LEFT JOIN participants_organisation o ON o.id = r.organisation_id
    WHERE {}
"""
_PLAN_STATEMENTS = {
    "person": _PLAN.format("i.id IN (SELECT item_id FROM events_planresponsible"
                           " WHERE person_id = %(scope)s)"),
    "program": _PLAN.format("i.program_id = %(scope)s"),
    "track": _PLAN.format("i.track_id = %(scope)s"),
}


def _db_time(moment):
    return connection.ops.adapt_datetimefield_value(moment)


def candidates_state(kind, scope, *, gone, since=None):
    """The aggregates of a feed of `kind` ("person", "program", "track") over the events that
    are or were in it, by name; `gone` is when a cancellation left, `since` where a personal
    feed's history starts. Times come back as the database holds them (see `instant`)."""
    params = {"scope": scope, "gone": _db_time(gone), "since": _db_time(since),
              "cancelled": Event.Status.CANCELLED,
              "confirmed": Registration.Status.CONFIRMED,
              "waitlisted": Registration.Status.WAITLISTED}
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[kind], params)
        row = cursor.fetchone()
    return dict(zip(NAMES[kind], row, strict=True))


def entries(value):
    """The entries of a feed (the `entries` of candidates_state) as a sorted tuple of texts,
    whatever order the database joined them in."""
    return tuple(sorted(value.split(ENTRY_SEPARATOR))) if value else ()


def instant(value):
    """An aware UTC datetime from what the database returned (SQLite gives text for an
    aggregate, a naive UTC datetime for a column)."""
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(value):
    """A date from what the database returned (SQLite gives text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def plan_rows(kind, scope):
    """Rows of the plan items that are or were in a feed: what their entries show, the change
    time as an aware instant and, last, the item's last day as a date."""
    with connection.cursor() as cursor:
        cursor.execute(_PLAN_STATEMENTS[kind], {"scope": scope})
        return [(pk, instant(changed), *rest, day(end))
                for pk, changed, *rest, end in cursor.fetchall()]


# What a feed reads of its owner (a person, a program, a track) and the rows above it up to the
# municipality, each with the attribute that holds the next; other fields stay deferred (read on
# access), so a body that needs more still gets the truth.
_MUNICIPALITY_ROW = (Columns(Municipality, "m", {"id", "time_zone", "updated_at"}), None)
_PROGRAM_ROW = (Columns(Program, "p", {"id", "name", "municipality_id", "updated_at"}),
                "municipality")
# Each kind: the rows read, the owner first, and where they come from.
_OWNERS = {
    "person": (((Columns(Person, "p", {"id", "last_name", "first_name", "municipality_id",
                                        "updated_at"}), "municipality"), _MUNICIPALITY_ROW),
               """FROM events_calendarfeed c
                  JOIN participants_person p ON p.id = c.person_id
                  JOIN participants_municipality m ON m.id = p.municipality_id
                  WHERE c.token = %(key)s"""),
    "program": ((_PROGRAM_ROW, _MUNICIPALITY_ROW),
                """FROM events_program p
                   JOIN participants_municipality m ON m.id = p.municipality_id
                   WHERE p.id = %(key)s"""),
    "track": (((Columns(Track, "t", {"id", "number", "theme", "program_id", "updated_at"}),
                "program"), _PROGRAM_ROW, _MUNICIPALITY_ROW),
              """FROM events_track t
                 JOIN events_program p ON p.id = t.program_id
                 JOIN participants_municipality m ON m.id = p.municipality_id
                 WHERE t.id = %(key)s"""),
}


@functools.cache
def _owner_statement(kind):
    rows, source = _OWNERS[kind]
    return f"SELECT {', '.join(columns.sql() for columns, _relation in rows)} {source}"


def _impossible(kind, key):
    """A key no row can have, which the database would refuse instead of finding nothing: a
    NUL in a token (PostgreSQL), an id out of the column's range (both drivers)."""
    if isinstance(key, str):
        return "\x00" in key
    owner = _OWNERS[kind][0][0][0].model
    low, high = connection.ops.integer_field_range(owner._meta.pk.get_internal_type())
    return not low <= key <= high


def owner_of(kind, key):
    """The owner of a feed of `kind` ("person" by its feed's token, "program" or "track" by id)
    with the rows above it up to the municipality, or None."""
    if _impossible(kind, key):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_owner_statement(kind), {"key": key})
        values = cursor.fetchone()
    if values is None:
        return None
    rows, _source = _OWNERS[kind]
    instances = read_row(values, *(columns for columns, _relation in rows))
    for (_columns, relation), instance, above in zip(rows, instances, instances[1:],
                                                     strict=False):
        setattr(instance, relation, above)
    return instances[0]
