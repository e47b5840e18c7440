"""Benchmark: a popular seminar's surge over HTTP — 4 web workers, N teachers, N seats/7.

gunicorn, then granian, serve config.wsgi as `make run` starts them (scripts/serve.py), here
with 4 worker processes of one thread each, with production settings over plain HTTP (DEBUG
off, brakes off: every client is 127.0.0.1) and the production log level (lines go to a file,
as to journald), on the bench runner's database: its SQLite file, or its throwaway PostgreSQL
database. N teachers, each signed in by their own Bearer API token, POST
/api/v1/events/{id}/registrations at once from CLIENTS threads with a connection each, kept
alive where the server keeps it (granian; gunicorn's sync worker closes it after each answer,
as it does behind nginx, and the client connects again). The client is lean: requests made
beforehand, sent over sockets, no locust. Each server first registers WARM_REGISTRATIONS other
people, then serves SURGES surges one after another.

Printed for each server: registrations per second against the target (≥ 200/s on SQLite,
≥ 500/s on PostgreSQL), the median surge's and each one's, p50/p95, errors, overbooked; CPU per
registration of the server, the local PostgreSQL server, the client and the whole machine;
granian's rate over gunicorn's; and where one request's time goes, measured in this process
through Django's test client (the same WSGI stack).

`run()` commits its data (the server is other processes) and deletes it at the end.
"""

import cProfile
import importlib.util
import os
import pstats
import secrets
import statistics
import tempfile
import time
from collections import namedtuple
from pathlib import Path

import psutil
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from events.models import Event, Registration
from participants.models import ApiToken, Municipality, Person
from participants.services import _token_digest
from tests.bench import http_clients
from tests.factories import EventFactory, MunicipalityFactory, in_days

ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = 200
SEATS = 30
CLIENTS = 16
WORKERS = 4
TARGETS = {"sqlite": 200, "postgresql": 500}
PROFILED = 60  # requests timed in-process, and as many profiled
WARM = 3
# Registrations (of other people, at another event) each server makes before the surges: every
# worker runs the registration's statements more than five times.
WARM_REGISTRATIONS = 10 * WORKERS
# Surges one after another on one server; the median is the figure: on a shared machine the
# neighbours move one surge, not three.
SURGES = 3

_spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
serve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)


def _teachers(municipality, count, tag):
    """`count` people with an account and an API token each; their raw tokens."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-{tag}-{n}-{secrets.token_hex(3)}", password="!")
        for n in range(count))
    Person.objects.bulk_create(
        Person(municipality=municipality, user=user, last_name=f"Учитель{n}", first_name="Анна",
               email=f"bench-{tag}-{n}@school.example") for n, user in enumerate(users))
    raws = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name="бенчмарк", prefix=raw[:8], digest=_token_digest(raw))
        for user, raw in zip(users, raws, strict=True))
    return raws


def _event(municipality, title):
    return EventFactory(municipality=municipality, capacity=SEATS, title=title,
                        starts_at=in_days(5, hour=10), ends_at=in_days(5, hour=12))


def _request(event_id, token):
    return http_clients.request_bytes(
        "POST", f"/api/v1/events/{event_id}/registrations",
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, b"{}")


def _surge(port, event_id, tokens):
    """Everyone at once from CLIENTS connections; (seconds, sorted latencies, errors)."""
    requests = [_request(event_id, token) for token in tokens]
    return http_clients.run(port, CLIENTS, requests,
                            lambda conn, request: conn.exchange(request)[0],
                            expected=201, connection=http_clients.Lean)


def _warm(port, tokens, event_id):
    """Every worker imports the app, connects and registers a few people before the clock
    starts, as a server that has run a while has: on PostgreSQL a connection prepares a
    statement the fifth time it runs it (config/settings.py). Sent as the surge is, from
    CLIENTS connections at once, so that every worker gets its share."""
    requests = [_request(event_id, token) for token in tokens]
    _seconds, _latencies, errors = http_clients.run(
        port, CLIENTS, requests, lambda conn, request: conn.exchange(request)[0],
        expected=201, connection=http_clients.Lean)
    if errors:
        raise RuntimeError(f"warming up: {errors[:3]}")


def _cpu(process):
    """CPU seconds of the server's worker processes so far."""
    total = 0.0
    for child in process.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _database_processes():
    """The local PostgreSQL server's processes (its backends, WAL writer...): on this machine
    they take their CPU from the same two cores. All of them, whatever database they serve (on
    an idle machine: this run's), less a backend that ends during the surge (the web workers'
    connections are kept). None on SQLite or a server elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        backend = psutil.Process(pid)
        return psutil.Process(backend.ppid())
    except psutil.Error:
        return None


def _machine_busy():
    """CPU seconds the whole machine has spent busy so far (every process and the kernel's own
    work: the network between client, server and database, interrupts); not the time the
    hypervisor gave to other machines (steal)."""
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))


def _over_http(server_name, surges, warm_event, warm_tokens):
    """Each (event, tokens) of `surges` in turn on one server; for each: seconds, latencies,
    errors, and CPU seconds of the server, the database server, the client and the machine."""
    env = {**os.environ, "DEBUG": "0", "PLAIN_HTTP": "1", "RATELIMIT_ENABLE": "0",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "INFO",
           "Q_LOG_LEVEL": "INFO", "LOG_FORMAT": "json"}
    port = http_clients.free_port()
    measured = []
    with tempfile.TemporaryFile() as log:
        web = serve.start_web(server_name, "127.0.0.1", port, env=env, workers=WORKERS,
                              threads=1, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while not serve.answers("127.0.0.1", port):
                if time.monotonic() > deadline or web.poll() is not None:
                    raise RuntimeError(f"{server_name} did not start")
                time.sleep(0.2)
            _warm(port, warm_tokens, warm_event.pk)
            server, database = psutil.Process(web.pid), _database_processes()
            for event, tokens in surges:
                before = (_cpu(server), _cpu(database) if database else None,
                          time.process_time(), _machine_busy())
                seconds, latencies, errors = _surge(port, event.pk, tokens)
                after = (_cpu(server), _cpu(database) if database else None,
                         time.process_time(), _machine_busy())
                spent = [None if b is None else a - b for a, b in zip(after, before, strict=True)]
                measured.append(Surge(event, seconds, latencies, errors, *spent))
        finally:
            serve.stop_group(web, serve.WEB_GRACE)
    return measured


Surge = namedtuple("Surge", "event seconds latencies errors server database client machine")


# What one request is made of: (label, module and function whose cumulative time it is).
PARTS = (
    ("auth by Bearer token (incl. token touch)", "participants/auth.py", "authenticate"),
    ("the registration (event locked, standing, insert)", "events/services.py",
     "register_once"),
    ("  of which: feed, event locked, standing (sent together)", "events/registration_sql.py",
     "event_with_standing"),
    ("  of which: the row sent (its key read with the COMMIT)", "config/rows.py",
     "send_insert"),
    ("  of which: letter, reminders", "events/services.py", "announce"),
    ("after commit: delivery task started", "notifications/services.py", "_start_delivery"),
    ("response schema and JSON", "ninja/operation.py", "_result_to_response"),
)


def _cumulative(stats, path, function):
    return sum(row[3] for (file, _line, name), row in stats.stats.items()
               if name == function and file.endswith(path))


def _in_process(event, tokens):
    """Per request, one after another through the test client: wall and CPU ms, queries, and
    ms per part under cProfile (which inflates every part alike, so read them as shares).

    CPU time is the figure to compare between runs: on a machine shared with other work the
    wall time measures the neighbours as much as the request.
    """
    client = Client(HTTP_HOST="127.0.0.1")
    path = f"/api/v1/events/{event.pk}/registrations"

    def post(token):
        response = client.post(path, data="{}", content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.content

    for token in tokens[:WARM]:  # imports, URL resolver, schema: not a request's cost
        post(token)
    queries = []  # counted by a wrapper: the request's start resets Django's own query log

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        post(tokens[WARM])
    timed = tokens[WARM + 1:WARM + 1 + PROFILED]
    started, cpu = time.perf_counter(), time.thread_time()
    for token in timed:
        post(token)
    wall = (time.perf_counter() - started) / len(timed)
    cpu = (time.thread_time() - cpu) / len(timed)
    profiled = tokens[WARM + 1 + PROFILED:]
    profile = cProfile.Profile()
    profile.enable()
    for token in profiled:
        post(token)
    profile.disable()
    stats = pstats.Stats(profile)
    whole = _cumulative(stats, "django/test/client.py", "request") / len(profiled)
    parts = [(label, _cumulative(stats, path, function) / len(profiled))
             for label, path, function in PARTS]
    return {"wall": wall, "cpu": cpu, "queries": len(queries), "whole": whole, "parts": parts}


def _tally(event):
    statuses = list(event.registrations.values_list("status", "person_id"))
    confirmed = sum(status == Registration.Status.CONFIRMED for status, _p in statuses)
    people = [person for _s, person in statuses]
    return confirmed, len(people) - len(set(people))


def _cleanup(municipality):
    users = list(Person.objects.filter(municipality=municipality).values_list("user", flat=True))
    Event.objects.filter(municipality=municipality).delete()
    Person.objects.filter(municipality=municipality).delete()
    get_user_model().objects.filter(pk__in=users).delete()
    Municipality.objects.filter(pk=municipality.pk).delete()


def _p(latencies, n):
    return statistics.quantiles(latencies, n=100)[n - 1] if len(latencies) > 1 else latencies[0]


def _commit_ms(event, count=200):
    """ms of one committed write of the event's row, one after another.

    A seminar's registrations hold its row lock until their commit is durable, so they commit
    one at a time; on PostgreSQL (synchronous_commit on) each waits for its WAL flush to the
    disk. 1000 / this is what one seminar can take on this machine, whatever the web side does.
    """
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for _ in range(count):
            cursor.execute("UPDATE events_event SET capacity = capacity WHERE id = %s",
                           [event.pk])
    return (time.perf_counter() - started) / count * 1000


def _surge_rows(server_name, municipality, warm_event, target):
    """SURGES surges served by `server_name`, one after another: its rows, and its
    registrations per second (the median surge's)."""
    vendor = connection.vendor
    surges = [(_event(municipality, f"Популярный семинар ({server_name}, {n + 1})"),
               _teachers(municipality, ATTEMPTS, f"{server_name}{n}")) for n in range(SURGES)]
    warm_tokens = _teachers(municipality, WARM_REGISTRATIONS, f"{server_name}-warm")
    measured = _over_http(server_name, surges, warm_event, warm_tokens)
    rates = [len(one.latencies) / one.seconds for one in measured]
    rate = statistics.median(rates)
    latencies = sorted(latency for one in measured for latency in one.latencies)
    errors = [error for one in measured for error in one.errors]
    tallies = [_tally(one.event) for one in measured]
    waitlisted = [one.event.registrations.filter(status=Registration.Status.WAITLISTED).count()
                  for one in measured]
    first_error = f" (first: {errors[0]!r})"[:60] if errors else ""
    label = f"registration over HTTP ({vendor}, {server_name} {WORKERS} workers, {CLIENTS} clients)"

    def per_registration(part):
        return f"{statistics.median(getattr(one, part) for one in measured) / ATTEMPTS * 1000:.2f}"

    rows = [
        (f"{label}: teachers / seats, surges one after another", f"{ATTEMPTS} / {SEATS}, {SURGES}"),
        (f"{label}: per second, median surge (target ≥ {target}); each surge",
         f"{rate:.0f} ({'в норме' if rate >= target else 'МЕДЛЕННО'}); "
         + ", ".join(f"{one:.0f}" for one in rates)),
        (f"{label}: p50 / p95 (ms)",
         f"{_p(latencies, 50) * 1000:.0f} / {_p(latencies, 95) * 1000:.0f}"),
        (f"{label}: errors", f"{len(errors)}{first_error}"),
        (f"{label}: confirmed / waitlisted, each surge",
         ", ".join(f"{confirmed} / {waiting}" for (confirmed, _), waiting
                   in zip(tallies, waitlisted, strict=True))),
        (f"{label}: overbooked / registered twice",
         f"{max(max(0, confirmed - SEATS) for confirmed, _ in tallies)} / "
         f"{max(doubled for _, doubled in tallies)}"),
        (f"{label}: CPU per registration (ms): server", per_registration("server")),
    ]
    if measured[0].database is not None:
        rows.append((f"{label}: CPU per registration (ms): database server, same machine",
                     per_registration("database")))
    rows += [
        (f"{label}: CPU per registration (ms): client", per_registration("client")),
        (f"{label}: CPU per registration (ms): the whole machine, kernel included (of "
         f"{2000 / target:.1f} that {target}/s leaves on 2 cores)", per_registration("machine")),
    ]
    return rows, rate


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    vendor = connection.vendor
    target = TARGETS.get(vendor, TARGETS["sqlite"])
    municipality = MunicipalityFactory(name="Бенчмарк записи по HTTP")
    rows, rates = [], {}
    try:
        warm_event = _event(municipality, "Прогрев")
        for server_name in serve.SERVERS:
            server_rows, rates[server_name] = _surge_rows(server_name, municipality,
                                                          warm_event, target)
            rows += server_rows
        profiled = _teachers(municipality, WARM + 1 + 2 * PROFILED, "profile")
        alone = _in_process(_event(municipality, "Профиль"), profiled)
        commit_ms = _commit_ms(warm_event)
    finally:
        _cleanup(municipality)
    rows += [
        (f"registration over HTTP ({vendor}): granian / gunicorn per second",
         f"{rates['granian'] / rates['gunicorn']:.2f}"),
        (f"{vendor}: one committed write of the event's row (ms) → at most per second for "
         "one seminar", f"{commit_ms:.2f} → {1000 / commit_ms:.0f}"),
        ("registration request in-process, one after another: wall / CPU (ms)",
         f"{alone['wall'] * 1000:.1f} / {alone['cpu'] * 1000:.1f}"),
        ("registration request in-process: database queries", str(alone["queries"])),
        ("registration request under cProfile (ms, 100 %)", f"{alone['whole'] * 1000:.1f}"),
    ]
    rows += [(f"registration request: {part} (ms, share)",
              f"{ms * 1000:.1f}, {ms / alone['whole']:.0%}") for part, ms in alone["parts"]]
    return rows
