"""Benchmark: the two WSGI servers `make run` can use, on loopback, in the same run.

gunicorn (gthread) and granian (WSGI, blocking threads) each serve config.wsgi with the same
shape as `make run` (scripts/serve.py: 2 processes × 4 threads) on the bench runner's SQLite
file; 8 client threads with keep-alive connections ask for a personal feed (100 events) and the
public events page. Requests per second and p95 per server; the faster one is `make run`'s
default (gunicorn unless the table says otherwise).

`run()` commits its data (the servers are other processes) and deletes it at the end.
"""

import http.client
import importlib.util
import os
import statistics
import time
from pathlib import Path

from django.core.management import call_command

from events import services
from events.models import Event, Registration
from participants.models import Municipality, Person
from tests.bench import http_clients
from tests.factories import EventFactory, MunicipalityFactory, PersonFactory, in_days

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
REQUESTS = 120  # per kind of request and server
FEED_EVENTS = 100

_spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
serve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк серверов")
    person = PersonFactory(municipality=municipality, organisation=None)
    events = [EventFactory(municipality=municipality, title=f"Семинар № {n}",
                           starts_at=in_days(n % 60 + 1, hour=10),
                           ends_at=in_days(n % 60 + 1, hour=12))
              for n in range(FEED_EVENTS)]
    Registration.objects.bulk_create(Registration(event=event, person=person)
                                     for event in events)
    return municipality, f"/calendar/{services.feed_for(person).token}.ics"


def _cleanup(municipality):
    Event.objects.filter(municipality=municipality).delete()
    Person.objects.filter(municipality=municipality).delete()
    Municipality.objects.filter(pk=municipality.pk).delete()


def _get(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


def _load(port, path):
    """CLIENTS connections, REQUESTS in all; (seconds, sorted latencies, errors)."""
    return http_clients.run(port, CLIENTS, [path] * (REQUESTS // CLIENTS * CLIENTS), _get,
                            expected=200)


def _p95(latencies):
    return statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]


def _serve(server, paths):
    env = {**os.environ, "RATELIMIT_ENABLE": "0"}
    # A free port: a fixed one may be served by another checkout's bench on this machine.
    port = http_clients.free_port()
    web = serve.start_web(server, "127.0.0.1", port, env=env)
    try:
        deadline = time.monotonic() + 60
        while not serve.answers("127.0.0.1", port):
            if time.monotonic() > deadline or web.poll() is not None:
                raise RuntimeError(f"{server} did not start")
            time.sleep(0.2)
        for path in paths.values():  # warm both workers: imports, templates, connections
            _load_few(port, path)
        return {kind: _load(port, path) for kind, path in paths.items()}
    finally:
        serve.stop_group(web, serve.WEB_GRACE)


def _load_few(port, path):
    for _ in range(CLIENTS):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    call_command("collectstatic", interactive=False, verbosity=0)  # what `make run` does
    municipality, feed = _seed()
    try:
        paths = {"feed": feed, "page": "/events/"}
        results = {server: _serve(server, paths) for server in serve.SERVERS}
    finally:
        _cleanup(municipality)
    rows = [("servers: shape, clients", f"{serve.WORKERS} × {serve.THREADS} threads, "
                                         f"{CLIENTS} clients")]
    rates = {}
    for server, kinds in results.items():
        for kind, (seconds, latencies, errors) in kinds.items():
            rate = len(latencies) / seconds
            rates[(server, kind)] = rate
            rows.append((f"servers: {server}, {kind}: requests/s, p95 (ms), errors",
                         f"{rate:.0f}, {_p95(latencies) * 1000:.0f}, {len(errors)}"))
    for kind in paths:
        ratio = rates[("granian", kind)] / rates[("gunicorn", kind)]
        rows.append((f"servers: {kind}, granian / gunicorn requests/s", f"{ratio:.2f}"))
    return rows
