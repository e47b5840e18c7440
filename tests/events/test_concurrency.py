"""Registration never overbooks when many people press «Записаться» at the same moment.

Every test here runs real threads, each with its own database connection, released together by a
barrier, against a database that commits for real (`transaction=True`). The event row lock
taken by `events.registration_sql.event_with_standing` (and by `events.services._lock` for a
cancellation) is what keeps the count and the insert of one registration together:

* PostgreSQL: `SELECT … FOR UPDATE` on the event row queues concurrent registrations for the
  same event; under READ COMMITTED each one counts the seats only after the previous committed.
* SQLite: every `transaction.atomic()` begins with `BEGIN IMMEDIATE` (config/settings.py), which
  takes the database write lock at once, so whole registrations run one after another; the
  row lock is a no-op there.

The test database of the suite is SQLite in memory with a shared cache. Its connections do not
wait for each other: a second writer fails at once with "database table is locked" instead of
waiting on the busy timeout, and pytest-django's `live_server` hands the one connection of the
test to every request thread. Neither says anything about production, so `threaded_db` moves
such a test onto a copy of the database in a file, with the settings production uses (WAL,
IMMEDIATE, a busy timeout), and `race_server` starts Django's live server without handing over a
connection. On PostgreSQL (DATABASE_URL) both are the plain thing.

The controls (`test_control_*`) prove the race tests can fail: the same race with the lock taken
away (`without_the_lock`, which explains what that means on each database) overbooks.
"""

import contextlib
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections, transaction
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from config import pipeline
from events import registration_sql, services
from events.models import CalendarFeed, Event, Registration
from notifications.models import Notification
from participants.services import issue_api_token
from tests.factories import EventFactory, MunicipalityFactory, PersonFactory, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # WhiteNoise in the live server's middleware warns that `collectstatic` has not been run.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PEOPLE = 40
SEATS = 10
# Held between counting the seats and writing the registration: wide enough that, without the
# lock, every thread counts before any commits; short enough that 40 turns in line stay a
# second or so on PostgreSQL (SQLite adds the back-off of its busy handler).
COUNT_TO_INSERT = 0.02


@pytest.fixture
def threaded_db(transactional_db, tmp_path):
    """One database that every thread reaches through a connection of its own."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    in_memory = connections["default"]
    # The same dict every thread's new connection is built from, so they all open the file.
    settings_dict = in_memory.settings_dict
    memory_name, settings_dict["NAME"] = settings_dict["NAME"], str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        settings_dict["NAME"] = memory_name


class _RaceServer(ThreadedWSGIServer):
    # Forty requests arrive at once; with Django's backlog of 10 the kernel drops the rest of
    # the SYNs and those clients retry a second later, which makes the race less of a race.
    request_queue_size = 64


class _RaceServerThread(LiveServerThread):
    server_class = _RaceServer


@pytest.fixture
def race_server(threaded_db):
    """A live server whose request threads each open their own database connection."""
    thread = _RaceServerThread("127.0.0.1", _StaticFilesHandler, connections_override={})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def slow_seat_count(monkeypatch):
    """Widen the window between counting the seats (the standing) and saving the registration."""
    count_seats = registration_sql.event_with_standing

    def slow(*args, **kwargs):
        found = count_seats(*args, **kwargs)
        time.sleep(COUNT_TO_INSERT)
        return found

    monkeypatch.setattr(registration_sql, "event_with_standing", slow)


@pytest.fixture
def event(threaded_db):
    return EventFactory(municipality=MunicipalityFactory(), capacity=SEATS)


@pytest.fixture
def people(event):
    return [PersonFactory(municipality=event.municipality) for _ in range(PEOPLE)]


def _race(work, items, *, connect=True):
    """Run work(item) for each item in a thread of its own, all released at once.

    Returns each call's result or exception, in the order of the items.
    """
    barrier = threading.Barrier(len(items))
    outcomes = [None] * len(items)

    def run(index, item):
        try:
            if connect:
                connection.ensure_connection()  # connect first, so the race starts at the barrier
            barrier.wait(timeout=30)
            outcomes[index] = work(item)
        except Exception as exc:  # the outcome under test, reported by the assertions
            barrier.abort()
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _tally(event):
    registrations = Registration.objects.filter(event=event)
    return {
        "confirmed": registrations.filter(status=Registration.Status.CONFIRMED).count(),
        "waitlisted": registrations.filter(status=Registration.Status.WAITLISTED).count(),
        "rows": registrations.count(),
        "people": registrations.values("person").distinct().count(),
    }


def _exceptions(outcomes):
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


# --- through the service -------------------------------------------------------------------

def test_simultaneous_registrations_fill_exactly_the_seats(event, people, slow_seat_count):
    outcomes = _race(lambda person: services.register(event, person), people)

    assert _exceptions(outcomes) == []
    assert _tally(event) == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS,
                             "rows": PEOPLE, "people": PEOPLE}


def test_simultaneous_registrations_of_one_person_make_one_row(event, people, slow_seat_count):
    person = people[0]

    outcomes = _race(lambda _: services.register(event, person), range(20))

    assert _exceptions(outcomes) == []
    assert {registration.pk for registration in outcomes} == {
        Registration.objects.get(event=event, person=person).pk}


def test_simultaneous_cancel_and_register_never_overbook(event, people, slow_seat_count):
    seated = [services.register(event, person) for person in people[:SEATS]]
    queued = [services.register(event, person) for person in people[SEATS:SEATS * 2]]
    latecomers = people[SEATS * 2:]

    outcomes = _race(
        lambda job: job(),
        [lambda r=r: services.cancel_registration(r) for r in seated[:5]]
        + [lambda p=p: services.register(event, p) for p in latecomers],
    )

    assert _exceptions(outcomes) == []
    # Five seats freed went to the head of the waiting list, none to a latecomer.
    assert _tally(event) == {"confirmed": SEATS, "waitlisted": 5 + len(latecomers),
                             "rows": PEOPLE, "people": PEOPLE}
    promoted = Registration.objects.filter(pk__in=[r.pk for r in queued[:5]])
    assert {r.status for r in promoted} == {Registration.Status.CONFIRMED}


def test_a_registration_waiting_for_the_lock_joins_the_line_behind_the_one_holding_it(event,
                                                                                    people):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    first, second, seated = people[:3]
    services.register(event, seated)  # the one seat: the others wait in line
    locked = threading.Event()

    def hold_then_register():
        with transaction.atomic():
            registration_sql.event_for_update(event.pk)
            locked.set()
            time.sleep(0.3)  # the second registration has started meanwhile, and waits
            return services.register(event, first)

    def register_second():
        assert locked.wait(10)
        time.sleep(0.05)
        return services.register(event, second)

    outcomes = _race(lambda job: job(), [hold_then_register, register_second])

    assert _exceptions(outcomes) == []
    ahead, behind = outcomes
    # The moment of a registration is taken once the lock lets it in, not when it started.
    assert behind.queued_at > ahead.queued_at
    places = dict(Notification.objects.filter(kind="registration_waitlisted").values_list(
        "recipient_id", "context__place_in_line"))
    assert places == {first.pk: 1, second.pk: 2}


def test_registering_again_during_ones_promotion_waits_instead_of_deadlocking(event, people,
                                                                               monkeypatch):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    seated, waiting = people[:2]
    seat = services.register(event, seated)
    services.register(event, waiting)
    CalendarFeed.objects.filter(person=waiting).delete()  # e.g. removed in the admin
    make_feed, promoting = registration_sql.new_feed, threading.Event()

    def slow_feed(person):  # the promotion holds the event's lock while the click arrives
        promoting.set()
        time.sleep(0.3)
        return make_feed(person)

    monkeypatch.setattr(registration_sql, "new_feed", slow_feed)

    def click_again():
        assert promoting.wait(10)
        return services.register(event, waiting)

    outcomes = _race(lambda job: job(),
                     [lambda: services.cancel_registration(seat), click_again])

    assert _exceptions(outcomes) == []
    assert Registration.objects.get(event=event, person=waiting).status == (
        Registration.Status.CONFIRMED)
    assert CalendarFeed.objects.filter(person=waiting).count() == 1


@pytest.fixture
def without_the_lock(monkeypatch):
    """Take the registration lock away, for the controls that prove the race tests can fail.

    PostgreSQL: `register` keeps its transaction and loses only `FOR UPDATE OF e`; under READ
    COMMITTED every transaction then counts the seats before any other commits.
    SQLite: taking the row lock away changes nothing, because `BEGIN IMMEDIATE` already runs
    registrations one at a time; a DEFERRED transaction would fail with "database is locked"
    rather than overbook, since SQLite transactions are serialisable. The only way to overbook
    on SQLite is to count and insert in different transactions, so there `register` also loses
    its transaction (`register_once` runs its body in autocommit: `pipeline.atomic` does nothing).
    """
    def read_without_lock(cursor, event_id, municipality_id):
        cursor.execute(registration_sql._event_statement(municipality_id is not None, False),
                       {"event": event_id, "municipality": municipality_id})

    monkeypatch.setattr(registration_sql, "_send_event", read_without_lock)
    if connection.vendor == "sqlite":
        monkeypatch.setattr(pipeline, "atomic", contextlib.nullcontext)
        # ... whose statements refuse to run outside of a transaction, unless told otherwise.
        monkeypatch.setattr(registration_sql, "_ensure_transaction", lambda _name: None)


def test_control_without_the_lock_overbooks(event, people, slow_seat_count, without_the_lock):
    outcomes = _race(lambda person: services.register(event, person), people)

    assert _exceptions(outcomes) == []
    assert _tally(event)["confirmed"] > SEATS


# --- through the live server ---------------------------------------------------------------

@pytest.fixture
def tokens(people):
    """A signed-in participant per person, each with a personal API token."""
    raw_tokens = []
    for index, person in enumerate(people):
        user = make_user(f"race-{index}")
        person.user = user
        person.save(update_fields=["user"])
        raw_tokens.append(issue_api_token(user, name="race")[1])
    return raw_tokens


def _post(url, token):
    request = urllib.request.Request(
        url, data=b"{}", method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _post_all(race_server, event, tokens):
    """Every token POSTs `{}` (register myself) to the event at once; the status codes."""
    url = f"{race_server}/api/v1/events/{event.pk}/registrations"
    outcomes = _race(lambda token: _post(url, token), tokens, connect=False)
    assert _exceptions(outcomes) == []
    return [status for status, _body in outcomes]


def test_simultaneous_api_registrations_fill_exactly_the_seats(race_server, event, tokens,
                                                                slow_seat_count):
    statuses = _post_all(race_server, event, tokens)

    assert set(statuses) == {201}
    assert _tally(event) == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS,
                             "rows": PEOPLE, "people": PEOPLE}


def test_simultaneous_api_registrations_of_one_person_make_one_row(race_server, event, tokens,
                                                                   slow_seat_count):
    statuses = _post_all(race_server, event, [tokens[0]] * 10)

    # Exactly one request made the registration (201); the others found it (200).
    assert sorted(statuses) == [200] * 9 + [201]
    assert _tally(event)["rows"] == 1


def test_control_api_without_the_lock_overbooks(race_server, event, tokens, slow_seat_count,
                                                without_the_lock):
    statuses = _post_all(race_server, event, tokens)

    assert set(statuses) == {201}
    assert _tally(event)["confirmed"] > SEATS
