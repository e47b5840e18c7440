"""The worker heartbeat seen from the outside: a real qcluster makes the check pass, its death
makes it fail within seconds. Subprocesses on an SQLite file of their own (ORM broker)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="healthcheck-test",
               DEBUG="0", DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}",
               LOG_LEVEL="WARNING", Q_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    return env


def _check(env):
    done = subprocess.run([sys.executable, "manage.py", "healthcheck"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout)


def _wait_for(env, code, seconds):
    deadline = time.monotonic() + seconds
    while True:
        result = _check(env)
        if result[0] == code or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def test_healthcheck_follows_a_real_worker_starting_and_dying(tmp_path):
    env = _env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT,
                   check=True, timeout=300)
    code, before = _check(env)
    assert code == 1 and before["checks"]["worker"]["clusters"] == 0

    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        code, running = _wait_for(env, 0, 60)
        assert code == 0, running
        # A cluster counts from its first stat; its worker list may still be empty then.
        assert running["checks"]["worker"]["clusters"] == 1
    finally:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait()

    code, after = _wait_for(env, 1, 15)
    assert code == 1
    assert after["checks"]["worker"]["ok"] is False
