"""`python -m tests.bench [name ...]`: tests/bench/bench_*.py (all, or those named) on a fresh
database, one table.

The database is never the project's: a temporary SQLite file (production settings: DEBUG off,
WAL, IMMEDIATE transactions), or — when DATABASE_URL points at PostgreSQL — a throwaway database
created on that server for this run and dropped after it (the role needs CREATEDB). Either way it
is migrated from scratch, with a throwaway secret key. Benchmarks whose targets are stated for
PostgreSQL (the themes page) say which database they measured.
"""

import importlib
import os
import re
import secrets
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent


def _postgres_url():
    """The PostgreSQL server of DATABASE_URL, or None when it names another database engine."""
    url = os.environ.get("DATABASE_URL", "")
    return url if re.match(r"postgres(ql)?://", url) else None


def _throwaway_postgres(url):
    """A new, empty database on the server of `url`; its URL and a function that drops it."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'mentoring'}_bench_{secrets.token_hex(4)}"
    server = {"host": parts.hostname, "port": parts.port, "user": unquote(parts.username or ""),
              "password": unquote(parts.password or ""), "autocommit": True}

    def run(sql):
        with psycopg.connect(dbname="postgres", **server) as maintenance:
            maintenance.execute(sql)

    run(f'CREATE DATABASE "{name}"')
    return (urlunsplit(parts._replace(path=f"/{name}")),
            lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _configure(workdir):
    # Forced, not defaulted: a DATABASE_URL from the environment must never be benchmarked on;
    # its PostgreSQL server is used for a database of this run only.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    drop = None
    postgres = _postgres_url()
    if postgres:
        os.environ["DATABASE_URL"], drop = _throwaway_postgres(postgres)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    os.environ["SECRET_KEY"] = f"bench-only-{secrets.token_hex(16)}"
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # one log line per registration drowns the table
    os.environ.setdefault("Q_LOG_LEVEL", "WARNING")  # and django-q2 logs each task it enqueues
    # WhiteNoise warns once per handler that `collectstatic` has not been run; no bench needs it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return drop


def _run_module(name):
    """The module's rows, and a row with its wall time; a failure becomes a row, not a crash."""
    short = name.removeprefix("bench_")
    started = time.perf_counter()
    try:
        rows = [(str(metric), str(value))
                for metric, value in importlib.import_module(f"tests.bench.{name}").run()]
        ok = True
    except Exception:
        traceback.print_exc()
        rows, ok = [(f"{short}: FAILED", "see the traceback above")], False
    rows.append((f"{short}: whole benchmark, setup included (s)",
                 f"{time.perf_counter() - started:.1f}"))
    return rows, ok


def _print_table(sections):
    rows = [row for section in sections for row in section]
    width = max(len(metric) for metric, _value in rows)
    value_width = max(len(value) for _metric, value in rows)
    rule = f"+{'-' * (width + 2)}+{'-' * (value_width + 2)}+"
    print(rule)
    print(f"| {'metric'.ljust(width)} | {'value'.ljust(value_width)} |")
    for section in sections:
        print(rule)
        for metric, value in section:
            print(f"| {metric.ljust(width)} | {value.rjust(value_width)} |")
    print(rule)


def main(argv=()):
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if argv:
        unknown = [a for a in argv if f"bench_{a.removeprefix('bench_')}" not in names]
        if unknown:
            print(f"unknown benchmark: {', '.join(unknown)}; known: "
                  f"{', '.join(n.removeprefix('bench_') for n in names)}")
            return 2
        names = [n for n in names if n.removeprefix("bench_") in
                 {a.removeprefix("bench_") for a in argv}]
    with tempfile.TemporaryDirectory(prefix="mentoring-bench-") as workdir:
        drop = _configure(workdir)
        from django.db import connections

        from config import background

        try:
            results = [_run_module(name) for name in names]
        finally:
            background.flush_all()  # token uses, delivery wake-ups: into this database, not after
            connections.close_all()
            if drop:
                drop()
    if not results:
        print("no tests/bench/bench_*.py found")
        return 1
    _print_table([rows for rows, _ok in results])
    return 0 if all(ok for _rows, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
