"""Waking delivery up: one django-q2 task per short moment and process, not one per commit.

A surge of 200 registrations used to enqueue 200 delivery tasks: each a signed, pickled payload
written to the broker inside the request (with the ORM broker an INSERT that waits its turn at
SQLite's write lock), and 200 tasks for the worker, of which one would have found the letters.
Here a commit only raises a flag; a thread of the process (config.background) enqueues one
task, pauses, and enqueues again only if commits came meanwhile: a commit made after a task was
enqueued gets a task of its own, so no letter waits for the every-minute schedule (which covers
a broker that was down). NOTIFICATIONS_START_COALESCE_SECONDS = 0 enqueues at each commit in
the caller's thread (the test suite's setting: it looks at the queue at once).
"""

import threading

from django.conf import settings
from django.db import close_old_connections

from config.background import Coalescer

DEFAULT_COALESCE = 0.2


def coalesce_seconds():
    return float(getattr(settings, "NOTIFICATIONS_START_COALESCE_SECONDS", DEFAULT_COALESCE))


def start_task():
    """Enqueue one delivery task now."""
    from django_q.tasks import async_task

    async_task("notifications.tasks.deliver_due", task_name="notifications: deliver due")


def _start_in_thread():
    close_old_connections()  # a connection the database dropped (a restart) is not reused
    start_task()


_waker = None
_guard = threading.Lock()


def wake():
    """Start delivery after a commit: at once (coalesce 0), or through the process's thread."""
    global _waker
    coalesce = coalesce_seconds()
    if coalesce <= 0:
        start_task()
        return
    if _waker is None:
        with _guard:
            if _waker is None:
                _waker = Coalescer(_start_in_thread, coalesce, name="delivery-waker")
    _waker.request()
