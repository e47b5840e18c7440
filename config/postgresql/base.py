"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django asks a kept connection before each request's first statement
whether it still works, by running SELECT 1: one of a registration's few round trips, and as
much work for the server as a small query. An idle connection has nothing waiting on its
socket; a server that has ended the session (a restart, pg_terminate_backend,
idle_session_timeout) has sent its last message and closed the socket. So: nothing waiting and
the connection idle → usable, without asking; anything waiting (that goodbye, a notice) →
Django's SELECT 1 decides. A server that vanished without closing the socket (a cut network)
is not found before the request: its first statement fails instead (a 503 with a retry hint).

After a database error the connection is replaced rather than asked: its prepared statements
(config/settings.py) may be planned for a table a migration has changed since, and such a
statement fails on every run ("cached plan must not change result type") while SELECT 1 works.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

_USABLE = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if self.errors_occurred:
            return False
        if _waiting(pgconn.socket):
            return super().is_usable()
        return pgconn.transaction_status in _USABLE


def _waiting(fd):
    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poll.poll(0))
