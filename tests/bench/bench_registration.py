"""Benchmark: 200 people press «Записаться» at the same moment for 30 seats.

Each attempt is a thread of its own with its own database connection, released together by a
barrier, calling events.services.register, the function every entry point (API, page, admin)
calls. The bench runner's database is an SQLite file with the production settings (WAL,
BEGIN IMMEDIATE, busy timeout), so the attempts queue on the database write lock. The same 200
registrations one after another, in the same run, are the baseline of the ratio.

`run()` commits (threads see only committed rows) and deletes its data at the end.
"""

import statistics
import threading
import time

from django.db import connection, connections

from events import services
from events.models import Event, Registration
from participants.models import Municipality, Person
from tests.factories import EventFactory, MunicipalityFactory, PersonFactory

ATTEMPTS = 200
SEATS = 30


def _attempt_all_at_once(event, people):
    """Register everyone at once; (seconds from release to the last commit, outcomes)."""
    barrier = threading.Barrier(len(people) + 1)  # + the main thread, which starts the clock
    outcomes = []  # (seconds the attempt took, exception or None); append is thread-safe

    def attempt(person):
        try:
            connection.ensure_connection()  # connected before the start, like a pooled worker
            barrier.wait(timeout=60)
            started = time.perf_counter()
            services.register(event, person)
            outcomes.append((time.perf_counter() - started, None))
        except Exception as exc:  # counted and shown in the table
            barrier.abort()
            outcomes.append((0.0, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, outcomes


def _one_after_another(event, people):
    started = time.perf_counter()
    for person in people:
        services.register(event, person)
    return time.perf_counter() - started


def _tally(event):
    statuses = list(event.registrations.values_list("status", flat=True))
    return (statuses.count(Registration.Status.CONFIRMED),
            statuses.count(Registration.Status.WAITLISTED))


def _measure(municipality):
    people = PersonFactory.create_batch(ATTEMPTS, municipality=municipality, organisation=None)
    raced = EventFactory(municipality=municipality, capacity=SEATS, title="Запись наперегонки")
    queued = EventFactory(municipality=municipality, capacity=SEATS, title="Запись по очереди")
    total, outcomes = _attempt_all_at_once(raced, people)
    errors = [exc for _seconds, exc in outcomes if exc is not None]
    latencies = sorted(seconds for seconds, exc in outcomes if exc is None)
    confirmed, waitlisted = _tally(raced)
    return {
        "total": total, "errors": errors, "latencies": latencies or [0.0],
        "confirmed": confirmed, "waitlisted": waitlisted,
        "sequential": _one_after_another(queued, people),
        "sequential_confirmed": _tally(queued)[0],
    }


def _cleanup(municipality):
    Event.objects.filter(municipality=municipality).delete()  # registrations go with them
    Person.objects.filter(municipality=municipality).delete()
    Municipality.objects.filter(pk=municipality.pk).delete()


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    municipality = MunicipalityFactory(name="Бенчмарк записи")
    try:
        result = _measure(municipality)
    finally:
        _cleanup(municipality)
    latencies, errors = result["latencies"], result["errors"]
    overbooked = result["confirmed"] > SEATS or result["sequential_confirmed"] > SEATS
    first_error = f" (first: {errors[0]!r})"[:80] if errors else ""
    return [
        ("registration: simultaneous attempts / seats", f"{ATTEMPTS} / {SEATS}"),
        ("registration: confirmed", str(result["confirmed"])),
        ("registration: waitlisted", str(result["waitlisted"])),
        ("registration: errors", f"{len(errors)}{first_error}"),
        ("registration: overbooked", "YES!" if overbooked else "no"),
        ("registration: total time, all at once (s)", f"{result['total']:.2f}"),
        ("registration: registrations per second, all at once",
         f"{ATTEMPTS / result['total']:.0f}"),
        ("registration: one attempt incl. waiting, median / max (ms)",
         f"{statistics.median(latencies) * 1000:.0f} / {latencies[-1] * 1000:.0f}"),
        ("registration: total time, one after another (s)", f"{result['sequential']:.2f}"),
        ("registration: ratio all at once / one after another",
         f"{result['total'] / result['sequential']:.2f}"),
    ]
