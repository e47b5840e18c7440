"""Django's SQLite backend whose writers wait in line instead of in SQLite's busy handler.

With `BEGIN IMMEDIATE` every transaction takes SQLite's write lock at its start. A second writer
does not wait on that lock: SQLite's busy handler makes it sleep with a back-off of up to 100 ms
and try again, so under a burst of threads a 15 ms registration waited seconds for a lock that
was free most of the time. Here a thread takes a `threading.Lock` of its process before `BEGIN`
and gives it back at `COMMIT`/`ROLLBACK`: writers of one process wait in line and the next
starts the moment the previous commits. Only a program that does not use this backend (the
sqlite3 shell, a backup) still meets SQLite's own lock, where the busy timeout applies.

Across processes (gunicorn's workers, the qcluster beside them) the writer that holds the
thread lock then takes an exclusive `flock` on `<database>.write-lock` before `BEGIN`. A waiting
process tries again within 2 ms of the previous one's commit, where SQLite's busy handler would
let it sleep 10–100 ms while the database is free (measured by `make bench
BENCH=registration_http`). The kernel drops a killed process's lock; the waits of both queues
together end, like SQLite's busy timeout, in "database is locked" after `write_queue_timeout`.

The write transactions of one process all run on one SQLite connection of their own, the
process's writer, lent to the thread that holds the write lock from `BEGIN` to `COMMIT`. SQLite
drops a connection's page cache whenever another connection has committed, so with a connection
per thread each write began by reading its pages again; the writer's cache stays warm (measured
by `make bench BENCH=registration`). A thread's own connection serves its reads, and its
writes while it has switched off foreign-key checks (Django's schema editor), a setting of that
connection alone. A cursor follows the thread: one opened before `BEGIN` runs its statements in
the transaction (Django's own feature checks open the cursor first), one opened inside runs
them on the thread's connection after `COMMIT`, as when both were one connection. Rows of a
statement left unread across `BEGIN` or `COMMIT` raise instead of coming from the writer in
another thread's transaction. One difference stays: while a statement on the thread's own
connection is unfinished (a `.iterator()` read outside a transaction), that connection keeps
its snapshot, so its reads do not see what the thread wrote meanwhile on the writer; read the
rows first, or iterate inside the transaction (every `.iterator()` of this project does).

Single statements in autocommit (an `UPDATE` outside `atomic()`) take the same lock around the
statement, on the thread's own connection. An in-memory database (the test suite's) is left
alone: its shared-cache connections fail at once instead of waiting, which tests rely on, and a
test's own transaction would hold the lock for the whole test.
"""

import atexit
import fcntl
import os
import threading
import time

from django.db import OperationalError, ProgrammingError
from django.db.backends.sqlite3 import base, creation, features

# database file → its lock; made under _registry so two threads never make two locks for one file
_locks = {}
# (process, database file) → descriptor of its lock file. A forked child opens its own: a flock
# belongs to the open file, so one shared with the parent would let both hold it at once.
_lock_files = {}
_registry = threading.Lock()
# (process, database file) → (the process's writer connection, the file's identity when opened)
_writers = {}
# How long a writer waits in the queues before failing like SQLite's busy timeout does.
DEFAULT_QUEUE_TIMEOUT = 30.0
# Between tries for another process's lock: short, since a registration holds it for a few ms.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.0002, 0.002
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH")


def write_lock(name):
    """The process-wide write lock of one database file."""
    with _registry:
        return _locks.setdefault(str(name), threading.Lock())


def lock_file(name):
    """This process's descriptor of the database's cross-process lock file."""
    key = (os.getpid(), str(name))
    with _registry:
        if key not in _lock_files:
            _lock_files[key] = _open_lock_file(name)
        return _lock_files[key]


def _open_lock_file(name):
    """The lock file, made like SQLite makes its -wal and -shm files: with the database's
    permissions and, when made by root (a `manage.py` run as root), its owner, so that the
    service's user can open it afterwards. flock needs no write access to the file."""
    path = f"{name}.write-lock"
    try:
        database = os.stat(name)
    except OSError:
        database = None
    mode = database.st_mode & 0o666 if database else 0o600
    try:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, mode)
        except PermissionError:  # made by another user: reading is enough for flock
            return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise OperationalError(f"database is locked (its lock file cannot be opened: {exc})"
                               ) from exc
    if database and os.geteuid() == 0 and os.fstat(descriptor).st_uid != database.st_uid:
        os.fchown(descriptor, database.st_uid, database.st_gid)
    return descriptor


def _take_file_lock(descriptor, deadline):
    pause = _FIRST_PAUSE
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OperationalError(
                    "database is locked (waited for another process's writer)") from None
            time.sleep(pause)
            pause = min(2 * pause, _LONGEST_PAUSE)


def _file_identity(name):
    try:
        status = os.stat(name)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _drop_writer(key, writer):
    if _writers.get(key, (None,))[0] is writer:
        del _writers[key]
    try:
        writer.close()  # SQLite rolls back what was left open
    except Exception:  # noqa: S110 - forgotten either way; the next writer is a new connection
        pass


def close_writer(name):
    """Close this process's writer of the database file `name`, as Django closes its own
    connections: the last connection to close checkpoints the WAL and removes the -wal and -shm
    files. A writer in another thread's transaction (its lock taken) is left alone."""
    key = (os.getpid(), str(name))
    writer, _identity = _writers.get(key, (None, None))
    if writer is not None and write_lock(name).acquire(blocking=False):
        try:
            _drop_writer(key, writer)
        finally:
            write_lock(name).release()


@atexit.register
def _close_writers():
    for pid, name in list(_writers):
        if pid == os.getpid():
            close_writer(name)


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        close_writer(test_database_name)  # before its file goes, or its WAL stays behind
        super()._destroy_test_db(test_database_name, verbosity)


class DatabaseFeatures(features.DatabaseFeatures):
    # Hand-written statements (config/rows.py, events/registration_sql.py) use RETURNING,
    # which SQLite has since 3.35; Django alone asks for 3.31.
    minimum_database_version = (3, 35)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    creation_class = DatabaseCreation
    # Benchmarks switch it off to show SQLite's busy handler alone (tests/bench).
    queue_writers = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._holds_write_lock = False
        # The thread's own connection while the process's writer is lent to it.
        self._own_connection = None
        self._foreign_keys_off = False
        self._cursor_class = _cursor_class(self)

    def get_connection_params(self):
        params = super().get_connection_params()
        self._queue_timeout = float(
            params.pop("write_queue_timeout", DEFAULT_QUEUE_TIMEOUT))
        return params

    def _queues(self):
        return self.queue_writers and not self.is_in_memory_db()

    def acquire_write_lock(self):
        if self._holds_write_lock or not self._queues():
            return
        name = self.settings_dict["NAME"]
        deadline = time.monotonic() + self._queue_timeout
        if not write_lock(name).acquire(timeout=self._queue_timeout):
            raise OperationalError("database is locked (waited in the write queue)")
        try:
            _take_file_lock(lock_file(name), deadline)
        except BaseException:
            write_lock(name).release()
            raise
        self._holds_write_lock = True

    def _writer(self):
        """The process's writer connection; called with the write lock held."""
        name = self.settings_dict["NAME"]
        key, identity = (os.getpid(), name), _file_identity(name)
        writer, opened_on = _writers.get(key, (None, None))
        if writer is not None and (opened_on != identity or writer.in_transaction):
            # The file was replaced (a test's database made again): never write to the old one.
            _drop_writer(key, writer)
            writer = None
        if writer is None:
            with self.wrap_database_errors:
                writer = self.get_new_connection(self.get_connection_params())
            writer.isolation_level = None  # autocommit between transactions, like Django's
            _writers[key] = writer, _file_identity(name)
        return writer

    def _give_back_writer(self):
        writer = self.connection
        self.connection, self._own_connection = self._own_connection, None
        if writer.in_transaction:
            # A COMMIT or ROLLBACK failed, or the thread closed its connection mid-transaction:
            # the next thread must not find SQLite's write lock taken and a transaction open.
            try:
                writer.rollback()
            except Exception:
                _drop_writer((os.getpid(), self.settings_dict["NAME"]), writer)

    def release_write_lock(self):
        if self._own_connection is not None:
            self._give_back_writer()
        if self._holds_write_lock:
            self._holds_write_lock = False
            name = self.settings_dict["NAME"]
            try:
                fcntl.flock(lock_file(name), fcntl.LOCK_UN)
            finally:
                write_lock(name).release()

    def _start_transaction_under_autocommit(self):
        self.acquire_write_lock()
        try:
            if self._holds_write_lock and not self._foreign_keys_off:
                self._own_connection, self.connection = self.connection, self._writer()
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            # A failed COMMIT leaves the transaction open; Atomic rolls it back next.
            if self.connection is None or self.connection.in_transaction is False:
                self.release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_write_lock()

    def _close(self):
        try:
            if self._own_connection is not None:  # closed inside a transaction on the writer
                self.release_write_lock()
        finally:
            try:
                super()._close()
            finally:
                self.release_write_lock()

    def init_connection_state(self):
        super().init_connection_state()
        self._foreign_keys_off = False  # a new connection has them on (get_new_connection)

    def disable_constraint_checking(self):
        disabled = super().disable_constraint_checking()
        self._foreign_keys_off = self._foreign_keys_off or disabled
        return disabled

    def enable_constraint_checking(self):
        super().enable_constraint_checking()
        self._foreign_keys_off = False

    def create_cursor(self, name=None):
        return _FollowingCursor(self)


def _cursor_class(wrapper):
    """A cursor class bound to its connection wrapper, for autocommit writes."""

    class QueuedCursor(base.SQLiteCursorWrapper):
        def execute(self, query, params=None):
            with _autocommit_write(wrapper, query):
                return super().execute(query, params)

        def executemany(self, query, param_list):
            with _autocommit_write(wrapper, query):
                return super().executemany(query, param_list)

    return QueuedCursor


class _FollowingCursor:
    """A cursor that runs each statement on its wrapper's connection of the moment: the
    writer inside a write transaction, the thread's own outside it."""

    __slots__ = ("_wrapper", "_cursor")

    def __init__(self, wrapper):
        self._wrapper = wrapper
        self._cursor = wrapper.connection.cursor(factory=wrapper._cursor_class)

    def _current(self):
        connection = self._wrapper.connection
        if self._cursor.connection is not connection:
            self._cursor.close()
            self._cursor = connection.cursor(factory=self._wrapper._cursor_class)
        return self._cursor

    def execute(self, query, params=None):
        return self._current().execute(query, params)

    def executemany(self, query, param_list):
        return self._current().executemany(query, param_list)

    def executescript(self, script):
        return self._current().executescript(script)

    def _rows(self):
        if self._cursor.connection is not self._wrapper.connection:
            raise ProgrammingError(
                "Rows of a statement run inside a write transaction are read after it ended "
                "(or the other way round): read them before COMMIT (config.sqlite).")
        return self._cursor

    def fetchone(self):
        return self._rows().fetchone()

    def fetchmany(self, size=None):
        rows = self._rows()
        return rows.fetchmany() if size is None else rows.fetchmany(size)

    def fetchall(self):
        return self._rows().fetchall()

    def close(self):
        self._cursor.close()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._rows())

    def __getattr__(self, name):  # description, rowcount, lastrowid, connection…
        return getattr(self._cursor, name)


class _autocommit_write:
    """Hold the write lock around one writing statement run outside a transaction."""

    __slots__ = ("wrapper", "taken")

    def __init__(self, wrapper, query):
        self.wrapper = wrapper
        self.taken = (not wrapper._holds_write_lock and wrapper._queues()
                      and not wrapper.connection.in_transaction
                      and not query.lstrip()[:7].upper().startswith(_READS))

    def __enter__(self):
        if self.taken:
            self.wrapper.acquire_write_lock()

    def __exit__(self, *exc):
        if self.taken:
            self.wrapper.release_write_lock()
