"""PostgreSQL restarted during a burst of registrations over HTTP.

A PostgreSQL of the test's own (initdb in a temporary directory, its own port: the machine's
server is not touched) serves the web app (`manage.py runserver`). 200 registrations for 30 seats
arrive from 20 threads while the database restarts. Each request either succeeds or gets a
Russian 503 with Retry-After; the clients then repeat the refused ones. Nothing is half-written
(a registration without its letter), nothing overbooked, no success lost.
"""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.postgres import as_postgres
from tests.faults.registrations_over_http import register, scenario
from tests.notifications.cluster import ROOT, wait_until
from tests.notifications.smtp import free_port

pytestmark = pytest.mark.faults

PEOPLE, SEATS = 200, 30


def test_postgres_restart_during_a_registration_burst(private_postgres, tmp_path, verdict):
    url, ctl = private_postgres
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
                "SECRET_KEY": "faults-only", "PLAIN_HTTP": "1", "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
                # runserver starts a thread per request: kept connections would pile up
                "CONN_MAX_AGE": "0"})
    setup = scenario(env, "setup", str(PEOPLE), str(SEATS))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "web.log", "wb") as log:
        web = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}",
                                "--noreload"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
        try:
            assert wait_until(lambda: register(base, 0, 0, "x")[0] != 0, timeout=60)
            restarted = threading.Event()

            def restart():
                time.sleep(0.5)
                as_postgres(ctl, "-m", "fast", "restart")
                restarted.set()

            restarter = threading.Thread(target=restart)
            restarter.start()
            with ThreadPoolExecutor(20) as pool:
                first = list(pool.map(lambda pk: (pk, *register(base, setup["event_id"], pk,
                                                               setup["token"])),
                                      setup["person_ids"]))
            restarter.join()
            refused = [row for row in first if row[1] != 200 and row[1] != 201]
            # Clients do what Retry-After says (sooner here): the refused ones again.
            retried = [(pk, *register(base, setup["event_id"], pk, setup["token"]))
                       for pk, *_rest in refused]
        finally:
            web.terminate()
            web.wait(timeout=20)
    state = scenario(env, "state")

    unclean = [row for row in first if row[1] not in (200, 201, 503)]
    bad_503 = [row for row in first if row[1] == 503 and (
        row[2] is None or "повторите" not in row[3].get("message", ""))]
    confirmed = state["statuses"].get("confirmed", 0)
    registered = set(state["people"])
    succeeded = {row[0] for row in first + retried if row[1] in (200, 201)}
    overbooked = max(0, confirmed - SEATS)
    lost = len(succeeded - registered)
    half_written = state["without_letter"] + state["letter_without_registration"]
    verdict(lost=lost, doubled=0, overbooked=overbooked, half_written=half_written,
            refused_503=sum(row[1] == 503 for row in first), unclean=len(unclean),
            still_failing=sum(row[1] not in (200, 201) for row in retried))

    assert restarted.is_set()
    assert not unclean, unclean[:3]
    assert not bad_503, bad_503[:3]
    assert overbooked == 0 and lost == 0 and half_written == 0, state
    assert all(row[1] in (200, 201) for row in retried), retried[:3]
    assert confirmed == SEATS and len(registered) == PEOPLE
