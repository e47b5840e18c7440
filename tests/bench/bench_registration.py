"""Benchmark: 200 people press «Записаться» at the same moment for 30 seats.

Each attempt is a thread of its own with its own database connection, released together by a
barrier, calling events.services.register, the function every entry point (API, page, admin)
calls. Each connection has registered someone for another event before the start, as a web
thread's kept connection (CONN_MAX_AGE) has served requests: a fresh one pays ~0.3 ms once for
preparing its statements, which is not what a surge costs. The bench runner's database is an
SQLite file with the production settings (WAL, BEGIN IMMEDIATE, busy timeout, config.sqlite's
in-process write queue). The burst runs twice: with the writers queued on config.sqlite's lock
(what production does) and, as the "before", with that queue switched off so they meet SQLite's
busy handler alone. The same 200 registrations one after another, in the same run, are the
baseline of the ratio. The process keeps to one core, as config/gunicorn.py keeps a web worker:
on two cores each turn of the GIL between the threads woke a thread on the other core, and the
burst cost a third more CPU than the same registrations one after another (config/cpu_affinity
.py); the same burst on every core is measured too and shown beside it.

`run()` commits (threads see only committed rows) and deletes its data at the end.
"""

import contextlib
import os
import statistics
import threading
import time

from django.db import connection, connections

from config import cpu_affinity
from events import services
from events.models import Event, Registration
from participants.models import Municipality, Person
from tests.factories import EventFactory, MunicipalityFactory, PersonFactory

ATTEMPTS = 200
SEATS = 30
TARGET_RATIO = 1.5
TARGET_RATE = 200
POSTGRES_THREADS = 60
# Passes of the baseline and of the queued burst, each on an event of its own; the median is
# shown. A pass takes a fraction of a second, so one WAL checkpoint or garbage collection in it
# moved a single pass's time (and the ratio) by half.
PASSES = 3


def _threads_for(count):
    # PostgreSQL refuses connections past max_connections (100 by default): there a smaller
    # number of threads, a connection each, share the attempts; SQLite has a thread each.
    return count if connection.vendor == "sqlite" else min(count, POSTGRES_THREADS)


def _attempt_all_at_once(event, people, warm_up):
    """Register everyone at once; (seconds from release to the last commit, outcomes)."""
    count = _threads_for(len(people))
    barrier = threading.Barrier(count + 1)  # + the main thread, which starts the clock
    finished = threading.Barrier(count + 1)  # … and stops it when every attempt is done
    outcomes = []  # (seconds the attempt took, exception or None); append is thread-safe

    def attempt(share):
        try:
            # Before the start, like a web worker's kept connection (CONN_MAX_AGE) that has
            # served requests: connected, its prepared statements cached by one registration.
            services.register(warm_up, share[0])
            barrier.wait(timeout=60)
            for person in share:
                started = time.perf_counter()
                services.register(event, person)
                outcomes.append((time.perf_counter() - started, None))
        except Exception as exc:  # counted and shown in the table
            barrier.abort()
            outcomes.append((0.0, exc))
        finally:
            # Closed after the clock stops, like the connecting before it starts: a web
            # process keeps its connections (CONN_MAX_AGE); closing 200 is not registering.
            with contextlib.suppress(threading.BrokenBarrierError):
                finished.wait(timeout=120)
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(people[n::count],))
               for n in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    with contextlib.suppress(threading.BrokenBarrierError):
        finished.wait(timeout=120)
    total = time.perf_counter() - started
    for thread in threads:
        thread.join()
    return total, outcomes


def _one_after_another(event, people):
    """The baseline: the same registrations in one thread; (seconds, CPU seconds, confirmed)."""
    started, cpu = time.perf_counter(), time.thread_time()
    for person in people:
        services.register(event, person)
    return time.perf_counter() - started, time.thread_time() - cpu, _tally(event)[0]


def _tally(event):
    statuses = list(event.registrations.values_list("status", flat=True))
    return (statuses.count(Registration.Status.CONFIRMED),
            statuses.count(Registration.Status.WAITLISTED))


@contextlib.contextmanager
def _queued(on):
    wrapper = type(connections["default"])
    if not hasattr(wrapper, "queue_writers"):  # PostgreSQL: the row lock queues them
        yield
        return
    was = wrapper.queue_writers
    wrapper.queue_writers = on
    try:
        yield
    finally:
        wrapper.queue_writers = was


def _burst(municipality, people, *, queued):
    event = EventFactory(municipality=municipality, capacity=SEATS,
                         title="Запись наперегонки")
    warm_up = EventFactory(municipality=municipality, capacity=None, title="Разминка")
    with _queued(queued):
        total, outcomes = _attempt_all_at_once(event, people, warm_up)
    errors = [exc for _seconds, exc in outcomes if exc is not None]
    latencies = sorted(seconds for seconds, exc in outcomes if exc is None) or [0.0]
    confirmed, waitlisted = _tally(event)
    return {"total": total, "errors": errors, "latencies": latencies,
            "confirmed": confirmed, "waitlisted": waitlisted}


@contextlib.contextmanager
def _as_a_web_worker(pinned):
    """On one core, as config/gunicorn.py keeps a web worker (threads started inside follow)."""
    if not pinned:
        yield
        return
    was = os.sched_getaffinity(0)
    cpu_affinity.pin(cpu_affinity.cpus()[0])
    try:
        yield
    finally:
        os.sched_setaffinity(0, was)


def _measure(municipality, *, pinned, busy):
    people = PersonFactory.create_batch(ATTEMPTS, municipality=municipality, organisation=None)
    with _as_a_web_worker(pinned):
        return _measure_with(municipality, people, busy=busy)


def _measure_with(municipality, people, *, busy):
    passes = [_one_after_another(
        EventFactory(municipality=municipality, capacity=SEATS, title="Запись по очереди"),
        people) for _ in range(PASSES)]
    sequential, cpu, confirmed = (statistics.median(values) for values in zip(*passes,
                                                                               strict=True))
    return {
        # PostgreSQL has no write queue to switch off: the event's row lock queues writers.
        "busy": (_burst(municipality, people, queued=False)
                 if busy and connection.vendor == "sqlite" else None),
        "queued": _median_burst([_burst(municipality, people, queued=True)
                                 for _ in range(PASSES)]),
        "sequential": sequential, "cpu": cpu,
        "sequential_confirmed": max(confirmed for _s, _c, confirmed in passes),
    }


def _median_burst(bursts):
    """The pass of median time, with every pass's errors and the most confirmed of any."""
    median = sorted(bursts, key=lambda burst: burst["total"])[len(bursts) // 2]
    return {**median, "errors": [exc for burst in bursts for exc in burst["errors"]],
            "confirmed": max(burst["confirmed"] for burst in bursts)}


def _cleanup(municipality):
    Event.objects.filter(municipality=municipality).delete()  # registrations go with them
    Person.objects.filter(municipality=municipality).delete()
    Municipality.objects.filter(pk=municipality.pk).delete()


def _verdict(held):
    """Each row judges its own figure against its own target: a ratio that holds is «в норме»
    even when the rate of the same burst misses (the two once shared one verdict)."""
    return "в норме" if held else "МЕДЛЕННО"


def _burst_rows(label, burst, sequential):
    latencies, errors = burst["latencies"], burst["errors"]
    first_error = f" (first: {errors[0]!r})"[:80] if errors else ""
    ratio, rate = burst["total"] / sequential, ATTEMPTS / burst["total"]
    return [
        (f"registration {label}: confirmed / waitlisted",
         f"{burst['confirmed']} / {burst['waitlisted']}"),
        (f"registration {label}: errors", f"{len(errors)}{first_error}"),
        (f"registration {label}: overbooked", "YES!" if burst["confirmed"] > SEATS else "no"),
        (f"registration {label}: all at once (s)", f"{burst['total']:.2f}"),
        (f"registration {label}: per second (target ≥ {TARGET_RATE})",
         f"{rate:.0f} ({_verdict(rate >= TARGET_RATE)})"),
        (f"registration {label}: one attempt incl. waiting, median / max (ms)",
         f"{statistics.median(latencies) * 1000:.0f} / {latencies[-1] * 1000:.0f}"),
        (f"registration {label}: ratio to one after another (target ≤ {TARGET_RATIO})",
         f"{ratio:.2f} ({_verdict(ratio <= TARGET_RATIO)})"),
    ]


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    municipality = MunicipalityFactory(name="Бенчмарк записи")
    try:
        # The figures as a web worker runs (on one core where gunicorn pins it), the busy
        # handler's "before" with them; the same burst on every core only beside them.
        pinned = cpu_affinity.enabled()
        result = _measure(municipality, pinned=pinned, busy=True)
        everywhere = _measure(municipality, pinned=False, busy=False) if pinned else None
    finally:
        _cleanup(municipality)
    sequential = result["sequential"]
    where = "one core" if everywhere else "every core"
    shown = (f"now (in-process write queue, {where})" if result["busy"] else
             f"now (PostgreSQL row lock, {POSTGRES_THREADS} connections)")
    return [
        ("registration: simultaneous attempts / seats", f"{ATTEMPTS} / {SEATS}"),
        ("registration: one after another, baseline (s)", f"{sequential:.2f}"),
        # CPU time compares runs on a shared machine; wall time also measures the neighbours.
        ("registration: one alone, wall / CPU (ms)",
         f"{sequential / ATTEMPTS * 1000:.1f} / {result['cpu'] / ATTEMPTS * 1000:.1f}"),
        ("registration: one after another, overbooked",
         "YES!" if result["sequential_confirmed"] > SEATS else "no"),
        *(_burst_rows("before (SQLite busy handler)", result["busy"], sequential)
          if result["busy"] else []),
        *_burst_rows(shown, result["queued"], sequential),
        *(_unpinned_rows(everywhere) if everywhere else []),
    ]


def _unpinned_rows(result):
    burst, sequential = result["queued"], result["sequential"]
    return [
        ("registration on every core (not as a web worker): one after another (s)",
         f"{sequential:.2f}"),
        ("registration on every core: all at once (s), per second, ratio",
         f"{burst['total']:.2f}, {ATTEMPTS / burst['total']:.0f}, "
         f"{burst['total'] / sequential:.2f}"),
        ("registration on every core: errors / overbooked",
         f"{len(burst['errors'])} / {'YES!' if burst['confirmed'] > SEATS else 'no'}"),
    ]
