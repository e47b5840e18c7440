"""config.sqlite: writers of different processes queue on a lock file instead of meeting SQLite's
busy handler.

The waiting connection here has SQLite's busy timeout at 0: had it reached `BEGIN IMMEDIATE`
while another process held SQLite's write lock, it would fail at once with "database is
locked". It passes only by waiting in the queue until the other process has committed.
The other process is a fork of this one, started after this process opened its own lock file:
a descriptor shared across the fork would let both hold the lock at once.
"""

import fcntl
import multiprocessing
import os
import shutil
import signal
import sqlite3
import tempfile

import pytest
from django.db import NotSupportedError, OperationalError, connection

from config.sqlite.base import DatabaseWrapper, lock_file

HELD = 0.3  # seconds the other process keeps its write transaction open


def _database(path, *, busy_timeout=0, queue_timeout=30):
    settings = {**connection.settings_dict, "NAME": str(path), "OPTIONS": {
        "timeout": busy_timeout, "write_queue_timeout": queue_timeout,
        "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}}
    return DatabaseWrapper(settings, alias=f"queue-{os.getpid()}")


def _write(database, value):
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        database.cursor().execute("INSERT INTO marks (value) VALUES (%s)", [value])
        database.commit()
    except BaseException:
        database.rollback()
        raise
    finally:
        database.set_autocommit(True)


def _hold(path, holding, release, seconds):
    """In the forked process: write, keep the transaction open until told (or `seconds`)."""
    database = _database(path, busy_timeout=10)
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    database.cursor().execute("INSERT INTO marks (value) VALUES ('other process')")
    holding.set()
    release.wait(seconds)
    database.commit()
    database.set_autocommit(True)
    database.close()


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker):
    # Files of these tests only, never the test database: pytest-django's block does not apply.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "queue.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE marks (value TEXT)")
    return path


@pytest.fixture
def other_process(path):
    """Start a process that holds a write transaction; (process, release event)."""
    context = multiprocessing.get_context("fork")
    started = []

    def start(seconds=HELD):
        holding, release = context.Event(), context.Event()
        process = context.Process(target=_hold, args=(path, holding, release, seconds))
        process.start()
        assert holding.wait(10), "the other process did not start its transaction"
        started.append(process)
        return process, release

    yield start
    for process in started:
        process.kill()
        process.join(5)


def _values(path):
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT value FROM marks ORDER BY rowid")]


def test_a_writer_waits_for_another_process_instead_of_failing(path, other_process):
    database = _database(path)
    _write(database, "before")  # this process's lock file is open before the fork
    process, _release = other_process(seconds=HELD)
    _write(database, "after the other process")
    process.join(10)
    assert _values(path) == ["before", "other process", "after the other process"]
    database.close()


def test_the_wait_ends_in_database_is_locked_after_the_queue_timeout(path, other_process):
    database = _database(path, queue_timeout=0.2)
    _process, release = other_process(seconds=30)
    with pytest.raises(OperationalError, match="database is locked"):
        _write(database, "never")
    release.set()
    database.close()
    assert "never" not in _values(path)


def test_a_killed_writer_leaves_the_queue_free(path, other_process):
    process, _release = other_process(seconds=30)
    os.kill(process.pid, signal.SIGKILL)
    process.join(5)
    database = _database(path, busy_timeout=5)
    _write(database, "after the crash")
    database.close()
    assert _values(path) == ["after the crash"]  # the killed transaction never committed


def test_the_write_queue_releases_its_locks_after_commit_and_rollback(path, other_process):
    database = _database(path)
    _write(database, "one")
    with pytest.raises(ZeroDivisionError):
        database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        try:
            database.cursor().execute("INSERT INTO marks (value) VALUES ('rolled back')")
            1 / 0  # noqa: B018
        finally:
            database.rollback()
            database.set_autocommit(True)
    process, _release = other_process(seconds=0)  # it could take both locks: none is held here
    process.join(10)
    assert process.exitcode == 0
    assert _values(path) == ["one", "other process"]
    database.close()


# --- the lock file's owner and permissions -----------------------------------------------------

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="changes owners: needs root")
NOBODY = 65534


@needs_root
def test_the_lock_file_gets_the_database_files_owner_and_permissions(path):
    # As SQLite does for -wal and -shm: a `manage.py` run as root must not leave a lock file
    # the service's user cannot open.
    os.chown(path, 4321, 4321)
    os.chmod(path, 0o640)

    lock_file(path)

    made = os.stat(f"{path}.write-lock")
    assert (made.st_uid, made.st_gid, made.st_mode & 0o777) == (4321, 4321, 0o640)


def _lock_as_nobody(name):
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    fcntl.flock(lock_file(name), fcntl.LOCK_EX | fcntl.LOCK_NB)


@needs_root
def test_a_lock_file_another_user_made_is_still_taken(tmp_path):
    shared = tempfile.mkdtemp()  # pytest's own folders are closed to other users
    try:
        os.chmod(shared, 0o755)
        name = os.path.join(shared, "db.sqlite3")
        sqlite3.connect(name).close()
        os.chmod(name, 0o644)
        os.close(os.open(f"{name}.write-lock", os.O_RDWR | os.O_CREAT, 0o644))  # root's

        process = multiprocessing.get_context("fork").Process(target=_lock_as_nobody,
                                                              args=(name,))
        process.start()
        process.join(10)

        assert process.exitcode == 0
    finally:
        shutil.rmtree(shared)


def test_a_lock_file_that_cannot_be_opened_is_database_is_locked(tmp_path):
    with pytest.raises(OperationalError, match="database is locked"):
        lock_file(tmp_path / "no such folder" / "db.sqlite3")


def test_an_sqlite_without_returning_is_refused_at_connection(path, monkeypatch):
    database = _database(path)
    monkeypatch.setattr(database, "get_database_version", lambda: (3, 34, 1))

    with pytest.raises(NotSupportedError, match="SQLite 3.35 or later is required"):
        database.check_database_version_supported()
