"""config.sqlite: writers of different processes queue on a lock file instead of meeting SQLite's
busy handler.

The waiting connection here has SQLite's busy timeout at 0: had it reached `BEGIN IMMEDIATE`
while another process held SQLite's write lock, it would fail at once with "database is
locked". It passes only by waiting in the queue until the other process has committed.
The other process is a fork of this one, started after this process opened its own lock file:
a descriptor shared across the fork would let both hold the lock at once.
"""

import contextlib
import fcntl
import multiprocessing
import os
import shutil
import signal
import sqlite3
import tempfile

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connection,
)
from django.db.backends.base.base import BaseDatabaseWrapper

from config.sqlite.base import DatabaseWrapper, close_writer, lock_file

HELD = 0.3  # seconds the other process keeps its write transaction open


def _database(path, *, busy_timeout=0, queue_timeout=30):
    settings = {**connection.settings_dict, "NAME": str(path), "OPTIONS": {
        "timeout": busy_timeout, "write_queue_timeout": queue_timeout,
        "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}}
    return DatabaseWrapper(settings, alias=f"queue-{os.getpid()}")


def _in_transaction(database, sql, params=()):
    """Run `sql` in a write transaction of its own; the first column of its first row."""
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        row = database.cursor().execute(sql, params).fetchone()
        database.commit()
    except BaseException:
        database.rollback()
        raise
    finally:
        database.set_autocommit(True)
    return row[0] if row else None


def _write(database, value):
    _in_transaction(database, "INSERT INTO marks (value) VALUES (%s)", [value])


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


@contextlib.contextmanager
def _sqlite(path):
    """A plain sqlite3 connection, committed and closed at the end: one left to the garbage
    collector would keep the WAL file when the writer closes."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        yield db


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker):
    # Files of these tests only, never the test database: pytest-django's block does not apply.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "queue.sqlite3"
    with _sqlite(path) as db:
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
    with _sqlite(path) as db:
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


# --- the process's writer connection ---------------------------------------------------------


def test_write_transactions_of_every_connection_keep_one_page_cache(path):
    # SQLite changes a connection's data_version (and drops its page cache) when another
    # connection has committed. All write transactions of a process run on its writer, so
    # writes of other threads' connections leave the next write's cache as it was.
    first, second = _database(path), _database(path)
    before = _in_transaction(first, "PRAGMA data_version")
    _write(second, "by another connection of this process")
    after = _in_transaction(first, "PRAGMA data_version")

    assert after == before
    assert first.connection is not second.connection  # reads stay on their own connections
    first.close()
    second.close()


def test_a_write_of_another_process_is_still_seen_by_the_writer(path, other_process):
    database = _database(path)
    _write(database, "here")
    process, _release = other_process(seconds=0)
    process.join(10)

    assert _in_transaction(database, "SELECT COUNT(*) FROM marks") == 2
    database.close()


def test_foreign_key_checks_switched_off_stay_off_in_the_transaction(path):
    # Django's schema editor switches them off on its thread's connection for a migration;
    # the writer, where they are on, must not run that migration.
    with _sqlite(path) as db:
        db.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
        db.execute("CREATE TABLE children (parent_id INTEGER REFERENCES parents (id))")
    database = _database(path)
    assert database.disable_constraint_checking()
    _in_transaction(database, "INSERT INTO children (parent_id) VALUES (42)")
    database.enable_constraint_checking()

    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        _in_transaction(database, "INSERT INTO children (parent_id) VALUES (43)")
    database.close()
    with _sqlite(path) as db:
        assert db.execute("SELECT parent_id FROM children").fetchall() == [(42,)]


def test_a_cursor_follows_its_thread_across_begin_and_commit(path):
    # Django's own feature checks open a cursor, then a transaction, then execute.
    database = _database(path)
    before = database.cursor()
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    inside = database.cursor()
    before.execute("INSERT INTO marks (value) VALUES ('rolled back with the transaction')")
    assert inside.execute("SELECT COUNT(*) FROM marks").fetchone()[0] == 1
    database.rollback()
    database.set_autocommit(True)
    inside.execute("INSERT INTO marks (value) VALUES ('after')")  # autocommit, in the queue

    other = _database(path)
    _write(other, "next")  # nothing left holding SQLite's or the queue's lock
    assert _values(path) == ["after", "next"]
    database.close()
    other.close()


def test_rows_left_unread_across_commit_raise_instead_of_reading_another_transaction(path):
    database, other = _database(path), _database(path)
    _write(database, "one")
    _write(database, "two")
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    cursor = database.cursor()
    cursor.execute("SELECT value FROM marks ORDER BY rowid")
    assert cursor.fetchone() == ("one",)
    database.commit()
    database.set_autocommit(True)
    other.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    other.cursor().execute("UPDATE marks SET value = 'not committed'")  # on the writer now

    with pytest.raises(ProgrammingError, match="read after it ended"):
        cursor.fetchall()
    with pytest.raises(ProgrammingError, match="read after it ended"):
        next(iter(cursor))
    other.rollback()
    other.set_autocommit(True)
    database.close()
    other.close()


def test_a_failed_rollback_does_not_leave_the_writer_in_its_transaction(path, monkeypatch):
    # Atomic closes a connection whose rollback failed; the writer is not that connection.
    database = _database(path)
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    database.cursor().execute("INSERT INTO marks (value) VALUES ('never committed')")

    def failing_rollback(self):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(BaseDatabaseWrapper, "_rollback", failing_rollback)
    with pytest.raises(DatabaseError):
        database.rollback()
    database.close()
    monkeypatch.undo()

    other = _database(path, queue_timeout=1)
    _write(other, "next")  # neither "cannot start a transaction within a transaction" nor locked
    other.close()
    assert _values(path) == ["next"]


def test_a_database_file_made_again_gets_a_new_writer(path):
    database = _database(path)
    _write(database, "in the old file")
    database.close()
    for leftover in path.parent.glob(f"{path.name}*"):
        leftover.unlink()
    with _sqlite(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE marks (value TEXT)")

    database = _database(path)
    _write(database, "in the new file")
    database.close()
    assert _values(path) == ["in the new file"]


def test_closing_the_writer_removes_the_wal_as_the_last_connection_does(path):
    # Django's test teardown and the process's exit close it, or the -wal file stays behind.
    database = _database(path)
    _write(database, "one")
    database.close()
    wal = path.parent / f"{path.name}-wal"
    assert wal.exists()  # the writer is still open

    close_writer(path)

    assert not wal.exists()
    assert _values(path) == ["one"]


def test_a_destroyed_test_database_leaves_no_wal_behind(path):
    # Django deletes the test database's file; closed after that, the writer leaves its WAL.
    database = _database(path)
    _write(database, "one")
    database.close()

    database.creation._destroy_test_db(str(path), verbosity=0)

    assert sorted(leftover.name for leftover in path.parent.iterdir()) == [
        f"{path.name}.write-lock"]


def test_closing_inside_a_transaction_rolls_it_back_and_frees_the_queue(path):
    database = _database(path)
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    database.cursor().execute("INSERT INTO marks (value) VALUES ('never committed')")
    database.close()

    other = _database(path, queue_timeout=1)
    _write(other, "next")
    other.close()
    assert _values(path) == ["next"]


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
