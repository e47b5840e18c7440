"""`make bench-region`: the pages of a region at a tenth of its size and at full size.

For each scale a PostgreSQL database of its own (`<base>_s010`, `<base>_s100`) is created,
migrated and filled by `manage.py generate_region`, unless it already holds a region (then it
is reused: generating the full region takes minutes). Each size is measured in a child process
(settings are per process) with production settings; the table shows the best of RUNS
requests after a warm-up (median in brackets), the queries of one request, and the growth
from the small to the full region (10× the data; 10× the time would be linear).

    python -m tests.bench.region [--scales 0.1,1] [--fresh]
    REGION_DATABASE_URL=postgres://mentoring:mentoring@127.0.0.1:5432/mentoring_region
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://mentoring:mentoring@127.0.0.1:5432/mentoring_region"
RUNS = 7
SLOW_RUNS = 3  # a file of seconds: fewer runs, still the best of several


def _url(base, scale):
    return f"{base}_s{round(scale * 100):03d}"


def _env(url):
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings",
               DEBUG="0", SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING",
               ALLOWED_HOSTS="testserver,localhost")
    env.setdefault("SECRET_KEY", "region-bench-" + secrets.token_hex(8))
    return env


def _admin_sql(base, sql):
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") \
            else conn.execute(sql)


def _prepare(base, scale, fresh, env_secret):
    url = _url(base, scale)
    name = url.rsplit("/", 1)[1]
    exists = _admin_sql(base, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    env = dict(_env(url), SECRET_KEY=env_secret)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if exists and not fresh:
        print(f"[{scale}] база {name} уже есть — использую её", flush=True)
        # Generated with older code: the migrations since then (data migrations included)
        # bring it to the schema being measured.
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        return url
    _admin_sql(base, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(base, f'CREATE DATABASE "{name}"')
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run([*manage, "generate_region", "--scale", str(scale)], env=env, check=True,
                   cwd=ROOT)
    print(f"[{scale}] сгенерировано за {time.perf_counter() - started:.0f} с", flush=True)
    subprocess.run([*manage, "shell", "-c",
                    "from django.db import connection; connection.cursor().execute('ANALYZE')"],
                   env=env, check=True, cwd=ROOT)
    return url


def _subjects():
    """The curator of the largest municipality and the busiest things of it."""
    from django.db.models import Count

    from events.models import Attendance, CalendarFeed, Event, Program, Registration
    from participants.models import Person

    curator = (Person.objects.filter(user__username__startswith="region-curator-")
               .select_related("user", "municipality").order_by("municipality__name").first())
    muni = curator.municipality
    program = (Program.objects.filter(municipality=muni).annotate(n=Count("events"))
               .order_by("-n").first())
    sheet_event = (Event.objects.filter(municipality=muni).annotate(n=Count("registrations"))
                   .order_by("-n").first())
    busiest = (Registration.objects.filter(event__municipality=muni).values("person_id")
               .annotate(n=Count("id")).order_by("-n").first())
    feed = CalendarFeed.objects.get(person_id=busiest["person_id"])
    sizes = {
        "teachers of the municipality": Person.objects.filter(municipality=muni).count(),
        "events of the program": program.n,
        "people on the sheet": sheet_event.n,
        "events in the personal feed": busiest["n"],
        "attendance rows of the program": Attendance.objects.filter(
            event__program=program).count(),
    }
    return curator.user, program, sheet_event, feed, sizes


def _measure():
    """Child process: time each page; prints one JSON object."""
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # The manifest of collected static files is not needed to measure the pages.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=storages).enable()

    user, program, event, feed, sizes = _subjects()
    pages = {
        "personal feed (.ics)": (f"/calendar/{feed.token}.ics", False),
        "program feed (.ics)": (f"/calendar/programs/{program.pk}.ics", False),
        "events list": ("/events/", True),
        "attendance sheet": (f"/events/{event.pk}/attendance/", True),
        "evaluation form of a program": (f"/evaluation/program/{program.pk}/", True),
        "indicators": ("/indicators/", True),
        "attendance report of a program": (f"/attendance/program/{program.pk}/", True),
        # The files a curator sends upward, made in the request like the pages.
        "evaluation form of a program (PDF)": (f"/evaluation/program/{program.pk}.pdf", True),
        "attendance report of a program (PDF)": (f"/attendance/program/{program.pk}.pdf", True),
    }
    results = {}
    for label, (url, staff) in pages.items():
        client = Client()
        if staff:
            client.force_login(user)
        first = client.get(url)
        if first.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {first.status_code}")
        times = []
        for _ in range(SLOW_RUNS if url.endswith(".pdf") else RUNS):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # The best of the runs: other work on a shared machine only ever adds time.
        results[label] = {"ms": min(times) * 1000, "median_ms": statistics.median(times) * 1000,
                          "queries": len(queries)}
    print(json.dumps({"pages": results, "sizes": sizes}))


def _run_child(url):
    out = subprocess.run([sys.executable, "-m", "tests.bench.region", "--child"],
                         env=_env(url), check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(scales, results):
    small, large = results[scales[0]], results[scales[-1]]
    header = f"| {'страница':38} | " + " | ".join(
        f"{f'{s:g}×N: мс (медиана) запросов':>30}" for s in scales) + " | рост |"
    print(header)
    print("|" + "-" * (len(header) - 2) + "|")
    for label in small["pages"]:
        pages = [results[s]["pages"][label] for s in scales]
        cells = " | ".join(f"{page['ms']:>9.1f} ({page['median_ms']:>7.1f}) {page['queries']:>10}"
                           for page in pages)
        ratio = large["pages"][label]["ms"] / small["pages"][label]["ms"]
        print(f"| {label:38} | {cells} | {ratio:4.1f}× |")
    print()
    for label in small["sizes"]:
        print(f"  {label}: " + " → ".join(str(results[s]["sizes"][label]) for s in scales))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--fresh", action="store_true", help="пересоздать базы регионов")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return _measure()
    base = os.environ.get("REGION_DATABASE_URL", DEFAULT_URL)
    scales = [float(s) for s in args.scales.split(",")]
    secret = "region-bench-" + secrets.token_hex(8)
    results = {}
    for scale in scales:
        url = _prepare(base, scale, args.fresh, secret)
        results[scale] = _run_child(url)
    _table(scales, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
