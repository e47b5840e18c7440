"""Statements sent together: on PostgreSQL, several statements for one wait on the server.

Inside `together()` a PostgreSQL statement is sent without waiting for its result (psycopg's
pipeline mode); reading a result with fetch*() waits once for everything sent before it. The
server still runs the statements one after another, in order, each in a snapshot of its own
(READ COMMITTED), so a statement sent after a row lock sees what was committed before the
lock was granted. What saves is the waiting: a registration's lock, feed and standing cost one
round trip instead of two or three, and the event's row stays locked that much less.

Every wait costs: psycopg ends a block by a Sync, one more round trip, and starts a transaction
inside one by BEGIN and a Sync. So `atomic()` sends a whole transaction together, its COMMIT
with the statements before it: a transaction whose results are read at N moments waits N + 4
times (its BEGIN, the reads, the COMMIT, psycopg's check that the transaction is over when
Django turns autocommit back on, the block's end), and holds its row locks for only N + 1 of
them. A `together()` inside a block is part of it (it adds no wait of its own).

Elsewhere (SQLite) each statement runs when executed, as always: code written for the block
reads the same results in the same order. Inside, nothing may rely on a statement's row count:
it is not known until something is read, so the ORM's update() returns nothing true and save()
of a stored instance, finding no row updated, tries an INSERT. Results are read with fetch*().
"""

from contextlib import contextmanager

from django.db import connection, transaction
from psycopg import pq


def is_open():
    """Whether statements are being sent together now (inside together() on PostgreSQL)."""
    return (connection.vendor == "postgresql" and connection.connection is not None
            and connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)


@contextmanager
def together(*, own=False):
    """Statements of the block sent together. Inside another block it is part of that one; with
    `own`, a psycopg block of its own even there (its end waits for everything sent in it)."""
    if connection.vendor != "postgresql" or (is_open() and not own):
        yield
        return
    if not is_open():
        with connection.cursor():  # connected and health-checked as for any statement
            pass
    # An error of a statement sent in the block is raised when it is read or at the end of the
    # block, outside Django's cursor: converted here as the cursor would convert it.
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


@contextmanager
def atomic():
    """transaction.atomic() whose statements are sent together, its COMMIT with the last of them
    (on PostgreSQL; elsewhere transaction.atomic()). Read the key of a row inserted inside
    (rows.send_insert) after the block: it comes with the COMMIT. What waits for the commit
    (transaction.on_commit) runs after the block, as it would after transaction.atomic().

    Unlike transaction.atomic(), a transaction marked for rollback by an error caught inside
    raises TransactionManagementError at its end rather than end quietly undone: its caller is
    about to read keys of rows that are not there.
    """
    if connection.vendor != "postgresql":
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            yield
            undone = outermost and connection.needs_rollback
        if undone:
            raise _undone()
        return
    if connection.in_atomic_block or is_open():
        # A savepoint: its RELEASE or ROLLBACK TO must follow the Sync that reports the errors
        # of the statements sent, so it ends outside them (a psycopg block of its own).
        with transaction.atomic(), together(own=True):
            yield
        return
    block = transaction.atomic()
    # Begun before sending together: inside, psycopg would first wait for a Sync to learn that
    # no transaction is open. Ended inside, so that the COMMIT goes with the last statements.
    block.__enter__()
    hooks = None
    try:
        with together():
            try:
                yield
            except BaseException as error:
                ending, block = block, None
                if not ending.__exit__(type(error), error, error.__traceback__):
                    raise
            else:
                ending, block = block, None
                undone = connection.needs_rollback
                # Run after sending together ends, not inside it where Django would run them.
                hooks, connection.run_on_commit = connection.run_on_commit, []
                ending.__exit__(None, None, None)
                if undone:
                    hooks = None
                    raise _undone()
    except BaseException as error:
        if block is not None:  # sending together did not start: the transaction ends here
            block.__exit__(type(error), error, error.__traceback__)
        raise
    if hooks:
        connection.run_on_commit = hooks
        connection.run_and_clear_commit_hooks()


def _undone():
    return transaction.TransactionManagementError(
        "The transaction was rolled back: an error was caught inside it.")
