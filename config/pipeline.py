"""Statements sent together: on PostgreSQL, several statements for one wait on the server.

Inside `together()` a PostgreSQL statement is sent without waiting for its result (psycopg's
pipeline mode); reading a result with fetch*() waits once for everything sent before it. The
server still runs the statements one after another, in order, each in a snapshot of its own
(READ COMMITTED), so a statement sent after a row lock sees what was committed before the
lock was granted. What saves is the waiting: a registration's lock, feed and standing cost one
round trip instead of two or three, and the event's row stays locked that much less.

Elsewhere (SQLite) each statement runs when executed, as always: code written for the block
reads the same results in the same order. Only statements whose results are read by fetch*()
belong inside: a cursor's rowcount is not known there until something is read, so the ORM's
update() returns nothing true and save() of a stored instance, finding no row updated, tries
an INSERT.
"""

from contextlib import contextmanager

from django.db import connection
from psycopg import pq


def is_open():
    """Whether statements are being sent together now (inside together() on PostgreSQL)."""
    return (connection.vendor == "postgresql" and connection.connection is not None
            and connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)


@contextmanager
def together():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor():  # connected and health-checked as for any statement
        pass
    # An error of a statement sent in the block is raised when it is read or at the end of the
    # block, outside Django's cursor: converted here as the cursor would convert it.
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
