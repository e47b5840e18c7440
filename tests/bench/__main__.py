"""`python -m tests.bench`: every tests/bench/bench_*.py on a fresh SQLite file, one table.

The database is a temporary file, never the project's: production settings (DEBUG off, WAL,
IMMEDIATE transactions) with a throwaway secret key, migrated from scratch in this run.
"""

import importlib
import os
import secrets
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _configure(workdir):
    # Forced, not defaulted: a DATABASE_URL from the environment must never be benchmarked on.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    os.environ["SECRET_KEY"] = f"bench-only-{secrets.token_hex(16)}"
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # one log line per registration drowns the table
    # WhiteNoise warns once per handler that `collectstatic` has not been run; no bench needs it.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


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


def main():
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    with tempfile.TemporaryDirectory(prefix="mentoring-bench-") as workdir:
        _configure(workdir)
        from django.db import connections

        results = [_run_module(name) for name in names]
        connections.close_all()
    if not results:
        print("no tests/bench/bench_*.py found")
        return 1
    _print_table([rows for rows, _ok in results])
    return 0 if all(ok for _rows, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
