"""A real django-q2 cluster, killed in the middle of a batch and restarted: every letter once.

The cluster runs as `manage.py qcluster` subprocesses with the ORM broker on a database of
their own (an SQLite file, or a fresh PostgreSQL database when DATABASE_URL names one) and
sends through a slow SMTP backend to an aiosmtpd server in this process, which counts letters
by Message-ID.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.notifications.smtp import LocalSMTPServer

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 12
SEND_DELAY = 0.5  # seconds per message: the kill lands inside a send, not between two
LEASE = 4  # tests/notifications/cluster_settings.py


@contextmanager
def scratch_database(tmp_path):
    """A database URL for the cluster: SQLite in tmp_path, or a throwaway PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'cluster.sqlite3'}"
        return
    import psycopg

    name = f"qcluster_test_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cluster_environment(server, database_url, redis_url=None):
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # ORM broker
    if redis_url:
        env["REDIS_URL"] = redis_url  # the Redis broker: it drops tasks a dead worker held
    env.update(server.environment())
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.notifications.cluster_settings",
        "DATABASE_URL": database_url, "SECRET_KEY": "qcluster-test-only", "DEBUG": "0",
        "EMAIL_BACKEND": "tests.notifications.backends.SlowSMTPBackend",
        "NOTIFY_TEST_SEND_DELAY": str(SEND_DELAY), "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    })
    return env


def step(env, *args):
    """Run one cluster_scenario step; its standard output."""
    done = subprocess.run([sys.executable, "-m", "tests.notifications.cluster_scenario", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_cluster(env, log):
    # A session of its own: the cluster's workers are its children, and a kill must reach them.
    return subprocess.Popen([sys.executable, "manage.py", "qcluster"], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill(cluster):
    """What a crash does: every process of the cluster dies at once, mid-send."""
    try:
        os.killpg(cluster.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    cluster.wait()


def stop(cluster, grace=3.0):
    """SIGTERM, a grace period, then SIGKILL: a qcluster told to stop may log and linger."""
    if cluster.poll() is None:
        os.killpg(cluster.pid, signal.SIGTERM)
        try:
            cluster.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    kill(cluster)  # also any worker left behind by its parent


# .ci/run starts a Redis server and sets TEST_REDIS_URL; without one the Redis case is skipped.
BROKERS = [
    pytest.param(None, id="orm-broker"),
    pytest.param(os.environ.get("TEST_REDIS_URL"), id="redis-broker",
                 marks=pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"),
                                          reason="TEST_REDIS_URL is not set")),
]


@pytest.mark.qcluster
@pytest.mark.parametrize("redis_url", BROKERS)
def test_worker_killed_mid_batch_and_restarted_sends_each_message_once(tmp_path, redis_url):
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
    assert max(letters.values()) == 1, letters.most_common(3)
