"""Helpers to run a real django-q2 cluster in subprocesses against a scratch database.

The cluster runs as `manage.py qcluster` with the ORM broker on a database of its own (an SQLite
file, or a fresh PostgreSQL database when DATABASE_URL names one), or the Redis broker, and
sends through a slow SMTP backend to an aiosmtpd server in the test's process.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

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


def cluster_environment(server, database_url, redis_url=None, *, send_delay=SEND_DELAY):
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # ORM broker
    if redis_url:
        env["REDIS_URL"] = redis_url  # the Redis broker: it drops tasks a dead worker held
    env.update(server.environment())
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.notifications.cluster_settings",
        "DATABASE_URL": database_url, "SECRET_KEY": "qcluster-test-only", "DEBUG": "0",
        "EMAIL_BACKEND": "tests.notifications.backends.SlowSMTPBackend",
        "NOTIFY_TEST_SEND_DELAY": str(send_delay), "LOG_LEVEL": "WARNING",
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



def wait_until(predicate, timeout, poll=0.1):
    """Poll until predicate() is true or the timeout passed; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(poll)
