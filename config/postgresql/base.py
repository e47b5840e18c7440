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

Times with a zone are read by psycopg's own loader (C, with psycopg-binary) where Django would
put its Python subclass: that one parses the text in Python and then sets the zone Django wants.
The session's zone is UTC (Django sets it on connecting) and so is Django's with USE_TZ, so
psycopg's values are the same datetimes, zone included, at a tenth of the cost: a registration
reads a dozen such columns. Where Django wants another zone, its loader is put on the cursor.
"""

import functools
import select
from datetime import UTC

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import get_adapters_template, register_tzloader
from psycopg import adapt, adapters, pq

_USABLE = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)
_TIMESTAMPTZ = adapters.types["timestamptz"].oid
_PSYCOPG_LOADER = adapters.get_loader(_TIMESTAMPTZ, pq.Format.TEXT)


@functools.lru_cache
def _adapters(use_tz, zone):
    """Django's adapters, with psycopg's own loader of times when Django wants them in UTC."""
    template = get_adapters_template(use_tz, zone)
    if not (use_tz and zone == UTC):
        return template
    ours = adapt.AdaptersMap(template)
    ours.register_loader(_TIMESTAMPTZ, _PSYCOPG_LOADER)
    return ours


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params["context"] = _adapters(settings.USE_TZ, self.timezone)
        return params

    def create_cursor(self, name=None):
        if self.connection.adapters.get_loader(_TIMESTAMPTZ, pq.Format.TEXT) is not \
                _PSYCOPG_LOADER:
            return super().create_cursor(name)
        # Django's create_cursor() asks the connection's loader for its zone, which psycopg's C
        # class does not tell: the cursor is made here as Django makes it.
        if not name:
            cursor = self.connection.cursor()
        elif self.settings_dict["OPTIONS"].get("server_side_binding") is not True:
            cursor = base.ServerSideCursor(self.connection, name=name, scrollable=False,
                                           withhold=self.connection.autocommit)
        else:
            cursor = self.connection.cursor(name, scrollable=False,
                                            withhold=self.connection.autocommit)
        if self.timezone != UTC:  # the settings changed since connecting (tests)
            register_tzloader(self.timezone, cursor)
        return cursor

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
