"""A real django-q2 cluster, killed in the middle of a batch and restarted: every letter sent,
none doubled but the ones in flight at the kill.

The cluster runs as `manage.py qcluster` subprocesses with the ORM broker on a database of
their own (an SQLite file, or a fresh PostgreSQL database when DATABASE_URL names one) and
sends through a slow SMTP backend to an aiosmtpd server in this process, which counts letters
by Message-ID.
"""

import json
import os
import time
from collections import Counter

import pytest

from tests.notifications.cluster import (
    LEASE,
    MESSAGES,
    SEND_DELAY,
    cluster_environment,
    kill,
    scratch_database,
    start_cluster,
    step,
    stop,
)
from tests.notifications.smtp import LocalSMTPServer

# .ci/run starts a Redis server and sets TEST_REDIS_URL; without one the Redis case is skipped.
BROKERS = [
    pytest.param(None, id="orm-broker"),
    pytest.param(os.environ.get("TEST_REDIS_URL"), id="redis-broker",
                 marks=pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"),
                                          reason="TEST_REDIS_URL is not set")),
]


@pytest.mark.qcluster
@pytest.mark.parametrize("redis_url", BROKERS)
def test_killed_mid_batch_and_restarted_sends_all_doubling_only_in_flight(tmp_path, redis_url):
    with LocalSMTPServer() as server, scratch_database(tmp_path) as url, \
            open(tmp_path / "qcluster.log", "wb") as log:
        env = cluster_environment(server, url, redis_url)
        step(env, "setup", str(MESSAGES))  # its enqueue starts one delivery task
        step(env, "kick")  # and a second one: both workers claim batches side by side
        cluster = start_cluster(env, log)
        try:
            server.mailbox.wait_for(4, timeout=30)
            time.sleep(SEND_DELAY / 2)  # well inside the next message's pause
            kill(cluster)
            at_kill = len(server.mailbox.messages)
            after_kill = json.loads(step(env, "status"))
            time.sleep(LEASE)  # the dead workers' leases run out
            cluster = start_cluster(env, log)
            step(env, "recover")  # the every-5-minutes sweep, asked for now
            server.mailbox.wait_for(MESSAGES, timeout=30)
            time.sleep(1)  # a doubled letter would arrive now
        finally:
            stop(cluster)
        final = json.loads(step(env, "status"))

    letters = Counter(server.mailbox.message_ids())
    log_text = (tmp_path / "qcluster.log").read_text(errors="replace")[-3000:]
    assert 4 <= at_kill < MESSAGES, log_text
    assert after_kill.get("sending", 0) >= 1, after_kill  # the kill left rows mid-send
    assert final == {"sent": MESSAGES}, log_text
    assert len(letters) == MESSAGES
    # A letter the server took in the instant before the kill, not yet marked sent, goes again:
    # at most one per worker (two), the SMTP limit of RFC 1047; every other letter goes once.
    doubled = sum(count - 1 for count in letters.values())
    assert doubled <= 2 and max(letters.values()) <= 2, letters.most_common(3)
