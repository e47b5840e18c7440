"""`make load`: the site under load on this machine, every part real, one command.

PostgreSQL (a fresh database, a generated region at LOAD_SCALE), Redis (db LOAD_REDIS_DB,
flushed), gunicorn with 4 sync workers, one qcluster with 2 workers; then three locust runs,
headless and bounded, one after another:

1. 2,000 subscribed calendar clients (each knows its feed's ETag) polling their personal
   feeds with If-None-Match every FEED_POLL_SECONDS (60; real clients poll every 15 minutes or
   less often), each at a phase of its own, kept from poll to poll (locustfile.PhasedUser:
   with locust's constant_pacing every client's second poll came in the same few seconds);
2. 500 teachers registering for one seminar of 100 seats, each at a random moment of 10 s
   (locustfile.Teacher; spawned 50 a second, users that stopped after one request were
   replaced at once and came in bursts of ~100 at one instant);
3. 1,000 survey answers, one every SURVEY_PACING_SECONDS per respondent, each at a phase of
   its own (about a minute).

Prints p50/p95/p99, throughput and errors of each request kind against its target, and what
the database holds afterwards (0 overbooked, no duplicate registration). The brakes
(django-ratelimit) are off: every locust client comes from 127.0.0.1, so a per-address limit
would measure the brake, not the site. Everything started here is stopped by its PID.
"""

import csv
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "load"
PY = sys.executable

TARGETS_MS = {  # p95 targets of issue 13
    "feed: poll with ETag": 50,
    "registration (API)": 500, "survey: post": 300,
}


def _env():
    base = os.environ.get("LOAD_DATABASE_URL",
                          "postgres://mentoring:mentoring@127.0.0.1:5432/mentoring_load")
    redis = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
    return dict(os.environ, DATABASE_URL=base, REDIS_URL=redis,
                DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", SECURE_SSL_REDIRECT="0",
                SECRET_KEY=os.environ.get("SECRET_KEY", "load-" + secrets.token_hex(16)),
                ALLOWED_HOSTS="127.0.0.1,localhost", RATELIMIT_ENABLE="0",
                # Production settings over plain HTTP: a Secure CSRF cookie would never come
                # back over http://127.0.0.1 and every survey post would be refused.
                PLAIN_HTTP="1", LOG_FORMAT="json",
                LOG_LEVEL="WARNING", Q_LOG_LEVEL="WARNING", Q_WORKERS="2",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _manage(env, *args, **kwargs):
    return subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, check=True, **kwargs)


def _fresh_database(env):
    import psycopg

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _flush_redis(env):
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def _start(env, args, log):
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(process, grace=10):
    """SIGTERM to the process group, then SIGKILL (a qcluster may linger, django-q2 #346)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn не ответил на порту {port}")


def _drain_outbox(env, seconds=180):
    """Wait until the worker has sent what the generated region left due: ~2,000 letters sent
    while a scenario runs would be measured as that scenario's slowness."""
    import psycopg

    deadline = time.monotonic() + seconds
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while time.monotonic() < deadline:
            due = conn.execute("SELECT count(*) FROM notifications_notification WHERE status IN "
                               "('pending', 'sending') AND scheduled_at <= now()").fetchone()[0]
            if not due:
                return
            time.sleep(2)
    print(f"    (в очереди писем ещё {due} к отправке — прогон всё равно начат)", flush=True)


def _locust(env, host, user_class, users, rate, seconds, prefix):
    args = [PY, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
            "--host", host, "-u", str(users), "-r", str(rate), "--run-time", f"{seconds}s",
            "--stop-timeout", "10", "--csv", str(OUT / prefix), "--only-summary",
            "--loglevel", "WARNING", user_class]
    subprocess.run(args, env=env, cwd=ROOT, check=False)
    with open(OUT / f"{prefix}_stats.csv", encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["Name"] != "Aggregated"]
    return [{"name": row["Name"], "requests": int(row["Request Count"]),
             "failures": int(row["Failure Count"]), "rps": float(row["Requests/s"]),
             "p50": float(row["50%"]), "p95": float(row["95%"]), "p99": float(row["99%"])}
            for row in rows]


def _server_times(path, prefix):
    """p50/p95 of the time gunicorn itself spent on each request, per method, in ms."""
    times = {}
    for line in path.read_text().splitlines():
        method, _status, micros = line.split()
        times.setdefault(f"{prefix} {method}", []).append(int(micros) / 1000)
    return {name: (len(values), statistics.quantiles(values, n=100)[49],
                   statistics.quantiles(values, n=100)[94])
            for name, values in times.items() if len(values) > 1}


def _print(results, outcome, load):
    print(f"\n{'запрос':30} {'запросов':>8} {'ошибок':>6} {'в с':>7} {'p50':>6} {'p95':>6} "
          f"{'p99':>6}  цель p95")
    for row in results:
        target = TARGETS_MS.get(row["name"])
        verdict = "" if target is None else (
            f"≤ {target} мс: {'да' if row['p95'] <= target else 'НЕТ'}")
        print(f"{row['name']:30} {row['requests']:>8} {row['failures']:>6} {row['rps']:>7.1f} "
              f"{row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f}  {verdict}")
    print("\nв базе после прогона:", json.dumps(outcome, ensure_ascii=False))
    print("средняя загрузка машины (1, 5, 15 мин):", load)


def main():
    env = _env()
    OUT.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("LOAD_PORT", "8013"))
    host = f"http://127.0.0.1:{port}"
    scale = os.environ.get("LOAD_SCALE", "0.1")
    print(f"==> база {env['DATABASE_URL'].rsplit('/', 1)[1]}: миграции, регион ×{scale}…",
          flush=True)
    _fresh_database(env)
    _flush_redis(env)
    _manage(env, "migrate", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _manage(env, "generate_region", "--scale", scale, stdout=subprocess.DEVNULL)
    subjects = OUT / "subjects.json"
    _manage(env, "prepare_load", "--out", str(subjects))
    env["LOAD_SUBJECTS"] = str(subjects)
    log = open(OUT / "servers.log", "w")  # noqa: SIM115 — closed in finally
    worker = _start(env, [PY, "manage.py", "qcluster"], log)
    poll = env.setdefault("FEED_POLL_SECONDS", "60")
    scenarios = [
        (f"2000 подписанных календарей опрашивают ленты с ETag раз в {poll} с",
         ("FeedClient", 2000, 400, 120, "feeds")),
        ("500 педагогов записываются на один семинар за 10 с",
         ("Teacher", 500, 500, 30, "registration")),
        ("1000 ответов на анкету за минуту", ("Respondent", 50, 50, 75, "survey")),
    ]
    results, server_times = [], {}
    try:
        print("==> обработчик отправляет письма, оставшиеся от генерации региона…", flush=True)
        _drain_outbox(env)
        for title, (user_class, users, rate, seconds, prefix) in scenarios:
            # A fresh web server for each load: requests a load left queued in the listen
            # backlog must not be served, and timed, in the next one.
            print(f"==> {title}…", flush=True)
            (OUT / f"{prefix}_access.log").unlink(missing_ok=True)  # gunicorn appends
            # The access log holds method, status and the server's own time only (no
            # address: feed and survey addresses carry tokens).
            web = _start(env, [PY, "-m", "gunicorn", "config.wsgi:application", "--workers",
                               "4", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
                               "--no-control-socket", "--preload",
                               "--access-logfile", str(OUT / f"{prefix}_access.log"),
                               "--access-logformat", "%(m)s %(s)s %(D)s"], log)
            try:
                _wait_for_port(port)
                results += _locust(env, host, user_class, users, rate, seconds, prefix)
            finally:
                _stop(web)
            server_times.update(_server_times(OUT / f"{prefix}_access.log", prefix))
        time.sleep(5)  # the worker's share of the registrations (enqueued mail)
    finally:
        _stop(worker)
        log.close()
    data = json.loads(subjects.read_text())
    outcome = json.loads(_manage(
        env, "shell", "-c",
        "import json; from loadtest.subjects import outcome; "
        f"print(json.dumps(outcome({data['event_id']}, {data['round_id']})))",
        capture_output=True, text=True).stdout.strip().splitlines()[-1])
    _print(results, outcome, " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print("\nвремя самого сервера (gunicorn, без очереди и клиента), мс:")
    for name, (count, p50, p95) in server_times.items():
        print(f"  {name:24} запросов {count:>5}  p50 {p50:6.1f}  p95 {p95:6.1f}")
    (OUT / "results.json").write_text(json.dumps({"requests": results, "outcome": outcome},
                                                 ensure_ascii=False, indent=1))
    failed = any(row["failures"] for row in results) or outcome["overbooked"] \
        or outcome["duplicate_registrations"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
