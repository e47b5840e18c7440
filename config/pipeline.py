"""Statements sent together: on PostgreSQL, several statements for one wait on the server.

Inside `together()` a PostgreSQL statement is sent without waiting for its result (psycopg's
pipeline mode); reading a result with fetch*() waits once for everything sent before it. The
server still runs the statements one after another, in order, each in a snapshot of its own
(READ COMMITTED), so a statement sent after a row lock sees what was committed before the
lock was granted. What saves is the waiting: a registration's lock, feed and standing cost one
round trip instead of two or three, and the event's row stays locked that much less.

Every wait costs: psycopg ends a block by a Sync, one more round trip, and starts a transaction
inside one by BEGIN and a Sync. So `atomic()` sends a whole transaction together, its COMMIT
with the statements before it: a transaction whose results are read at N moments waits N + 3
times (its BEGIN, the reads, the COMMIT, the block's end), and holds its row locks for only N + 1
of them. A block inside a block is part of it (it adds no wait of its own).

Elsewhere (SQLite) each statement runs when executed, as always: code written for the block
reads the same results in the same order. Only statements whose results are read by fetch*()
belong inside: a cursor's rowcount is not known there until something is read, so the ORM's
update() returns nothing true and save() of a stored instance, finding no row updated, tries
an INSERT.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from psycopg import pq


def is_open():
    """Whether statements are being sent together now (inside together() on PostgreSQL)."""
    return (connection.vendor == "postgresql" and connection.connection is not None
            and connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)


@contextmanager
def together():
    if connection.vendor != "postgresql" or is_open():
        yield
        return
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
    (rows.send_insert) after the block: it comes with the COMMIT."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with together(), transaction.atomic():  # a savepoint's RELEASE goes with the rest
            yield
        return
    block = transaction.atomic()
    # Begun before sending together: inside, psycopg would first wait for a Sync to learn that
    # no transaction is open. Ended inside, so that the COMMIT goes with the last statements.
    block.__enter__()
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
                ending.__exit__(None, None, None)
    except BaseException as error:
        if block is not None:  # sending together did not start: the transaction ends here
            block.__exit__(type(error), error, error.__traceback__)
        raise
