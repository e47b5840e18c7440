"""A real qcluster through outages of what it depends on: the SMTP server, the Redis broker.

Letters wait, nothing is lost, nothing goes twice, and the queue drains as soon as the part is
back, not when a backoff (set to 10 minutes here) runs out.
"""

import json
import os
import subprocess
import time
from collections import Counter

import pytest

from tests.notifications.cluster import (
    MESSAGES,
    cluster_environment,
    scratch_database,
    start_cluster,
    step,
    stop,
    wait_until,
)
from tests.notifications.smtp import LocalSMTPServer, free_port

pytestmark = pytest.mark.faults

BACKOFF = 600  # seconds: longer than the test, so only catching up can deliver in time
DRAIN_BOUND = 90  # seconds from the part's return: the every-minute schedule, and sending


def tally(server, expected):
    letters = Counter(server.mailbox.message_ids())
    return expected - len(letters), sum(n - 1 for n in letters.values())


def test_smtp_down_then_back_drains_the_queue_at_once(tmp_path, verdict):
    server = LocalSMTPServer()  # its port is chosen, but nobody listens yet
    with scratch_database(tmp_path) as url, open(tmp_path / "qcluster.log", "wb") as log:
        env = cluster_environment(server, url, send_delay=0)
        env["NOTIFY_TEST_RETRY_SECONDS"] = str(BACKOFF)
        step(env, "setup", str(MESSAGES))
        cluster = start_cluster(env, log)
        try:
            waiting = wait_until(lambda: int(step(env, "waiting")) == MESSAGES, timeout=90)
            assert waiting, step(env, "status")  # each tried once, then waits out a backoff

            server.controller.start()  # the server is back
            began = time.monotonic()
            step(env, "kick")  # what the every-minute schedule does
            server.mailbox.wait_for(MESSAGES, timeout=DRAIN_BOUND)
            took = time.monotonic() - began
            time.sleep(1)
        finally:
            stop(cluster)
            server.controller.stop()
        status = json.loads(step(env, "status"))
    lost, doubled = tally(server, MESSAGES)
    verdict(lost=lost, doubled=doubled, drained_seconds=round(took, 1))

    assert lost == 0 and doubled == 0
    assert status == {"sent": MESSAGES}
    assert took < BACKOFF / 2


def start_redis(port):
    process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--bind", "127.0.0.1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    assert wait_until(lambda: _pings(client), timeout=10), "redis-server did not start"
    return process


def _pings(client):
    try:
        return client.ping()
    except Exception:
        return False


@pytest.mark.skipif(not os.path.exists("/usr/bin/redis-server"), reason="no redis-server")
def test_redis_down_while_letters_are_written_loses_nothing(tmp_path, verdict):
    port = free_port()  # a Redis of this test's own: stopping it disturbs nobody
    redis_server = start_redis(port)
    with LocalSMTPServer() as server, scratch_database(tmp_path) as url, \
            open(tmp_path / "qcluster.log", "wb") as log:
        env = cluster_environment(server, url, f"redis://127.0.0.1:{port}/0", send_delay=0)
        step(env, "setup", "2")
        cluster = start_cluster(env, log)
        try:
            assert server.mailbox.wait_for(2, timeout=60) == 2
            redis_server.terminate()  # the broker goes away …
            redis_server.wait()
            step(env, "more", str(MESSAGES), "outage")  # … while registrations go on
            time.sleep(15)  # «a minute», shortened
            assert len(server.mailbox.messages) == 2  # nothing could be handed to a worker
            redis_server = start_redis(port)  # … and comes back
            began = time.monotonic()
            server.mailbox.wait_for(MESSAGES + 2, timeout=DRAIN_BOUND + 60)
            took = time.monotonic() - began
            time.sleep(1)
        finally:
            stop(cluster)
            redis_server.terminate()
            redis_server.wait()
        status = json.loads(step(env, "status"))
    lost, doubled = tally(server, MESSAGES + 2)
    verdict(lost=lost, doubled=doubled, caught_up_seconds=round(took, 1))

    assert lost == 0 and doubled == 0
    assert status == {"sent": MESSAGES + 2}
