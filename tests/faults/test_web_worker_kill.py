"""A web worker SIGKILLed during a burst of registrations over HTTP.

gunicorn with 4 worker processes (as scripts/serve.py starts it) on a PostgreSQL of the test's
own; 200 registrations for 30 seats from 20 client threads. When a third of them have been
answered, one worker process (not the arbiter) gets SIGKILL; if no request was in flight on
it, another one, until one dies mid-request. A client that loses its connection repeats the
request, as a browser or an integration would (registration is idempotent: 200 with the same
registration). Verdict: nothing lost (every success is in the database), nothing doubled (no
person twice, no letter twice), nothing overbooked, nothing half-written (a registration without
its letter or a letter without its registration), and the arbiter replaced the worker.
"""

import importlib.util
import os
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from tests.faults.registrations_over_http import register, scenario
from tests.notifications.cluster import ROOT, wait_until
from tests.notifications.smtp import free_port

pytestmark = pytest.mark.faults

PEOPLE, SEATS, CLIENTS, WORKERS = 200, 30, 20, 4
RETRIES = 5

_spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
serve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)


def _workers(web):
    return [child for child in psutil.Process(web.pid).children() if child.is_running()]


class Burst:
    """The clients: each registration retried after a lost connection; what they saw."""

    def __init__(self, base, setup):
        self.base, self.setup = base, setup
        self.answered = 0
        self.interrupted = []  # person ids whose connection broke without an answer
        self.lock = threading.Lock()

    def one(self, person_id):
        for _attempt in range(RETRIES):
            status, _retry_after, body = register(self.base, self.setup["event_id"], person_id,
                                                  self.setup["token"])
            if status != 0:
                with self.lock:
                    self.answered += 1
                return person_id, status, body
            with self.lock:
                self.interrupted.append(person_id)
            time.sleep(0.2)
        return person_id, 0, {}


def _serving(worker, port):
    """Whether the worker holds a client's connection now: it is answering a request."""
    try:
        return any(c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
                   for c in worker.net_connections(kind="tcp"))
    except psutil.Error:
        return False


def _kill_mid_burst(web, port, burst, killed):
    """SIGKILL a worker that is answering a request once a third is answered; again while no
    request broke (max 3). A broken connection shows at once: a worker picked blindly was
    sometimes between requests, and a second one a second later found the burst over."""
    wait_until(lambda: burst.answered >= PEOPLE // 3, timeout=120, poll=0.01)
    for _ in range(3):
        before = len(burst.interrupted)
        workers = _workers(web)
        victim = next((w for w in workers if _serving(w, port)), workers[0])
        os.kill(victim.pid, signal.SIGKILL)
        killed.append(victim.pid)
        if wait_until(lambda before=before: len(burst.interrupted) > before, timeout=0.3,
                      poll=0.01):
            return


def test_web_worker_killed_during_a_registration_burst(private_postgres, verdict):
    url, _ctl = private_postgres
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
                "SECRET_KEY": "faults-only", "PLAIN_HTTP": "1", "ALLOWED_HOSTS": "127.0.0.1",
                "RATELIMIT_ENABLE": "0", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)})
    setup = scenario(env, "setup", str(PEOPLE), str(SEATS))
    port = free_port()
    burst, killed = Burst(f"http://127.0.0.1:{port}", setup), []
    with tempfile.TemporaryFile() as log:
        web = serve.start_web("gunicorn", "127.0.0.1", port, env=env, workers=WORKERS,
                              threads=1, stdout=log, stderr=log)
        try:
            assert wait_until(lambda: len(_workers(web)) == WORKERS
                              and register(burst.base, 0, 0, "x")[0] != 0, timeout=60)
            killer = threading.Thread(target=_kill_mid_burst,
                                      args=(web, port, burst, killed))
            killer.start()
            with ThreadPoolExecutor(CLIENTS) as pool:
                results = list(pool.map(burst.one, setup["person_ids"]))
            killer.join()
            replaced = wait_until(lambda: len(_workers(web)) == WORKERS
                                  and not set(killed) & {w.pid for w in _workers(web)},
                                  timeout=30)
        finally:
            serve.stop_group(web, serve.WEB_GRACE)
    state = scenario(env, "state")

    confirmed = state["statuses"].get("confirmed", 0)
    registered = set(state["people"])
    succeeded = {pk for pk, status, _body in results if status in (200, 201)}
    unanswered = [pk for pk, status, _body in results if status not in (200, 201)]
    lost = len(succeeded - registered) + len(unanswered)
    doubled = (len(state["people"]) - len(registered)) + state["doubled_letters"]
    overbooked = max(0, confirmed - SEATS)
    half_written = state["without_letter"] + state["letter_without_registration"]
    verdict(lost=lost, doubled=doubled, overbooked=overbooked, half_written=half_written,
            workers_killed=len(killed), requests_cut=len(burst.interrupted),
            committed_but_cut=sum(status == 200 for pk, status, _b in results
                                 if pk in burst.interrupted))

    assert killed and burst.interrupted, "no request was in flight on a killed worker"
    assert replaced, "the arbiter did not replace the killed worker"
    assert lost == 0 and doubled == 0 and overbooked == 0 and half_written == 0, state
    assert confirmed == SEATS and len(registered) == PEOPLE
