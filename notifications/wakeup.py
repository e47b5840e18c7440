"""Waking delivery up: one django-q2 task per short moment and process, not one per commit.

A surge of 200 registrations used to enqueue 200 delivery tasks: each a signed, pickled payload
written to the broker inside the request (with the ORM broker an INSERT that waits its turn at
SQLite's write lock), and 200 tasks for the worker, of which one would have found the letters.
Here a commit only raises a flag; a thread of the process enqueues one task, waits a moment
(COALESCE) and enqueues again only if commits raised the flag meanwhile. The flag is lowered
before each enqueue, so a commit made after that moment wakes another task: no letter waits
for the every-minute schedule. NOTIFICATIONS_START_COALESCE_SECONDS = 0 enqueues at each
commit in the caller's thread (the test suite's setting: it looks at the queue at once).
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)

DEFAULT_COALESCE = 0.2


def coalesce_seconds():
    return float(getattr(settings, "NOTIFICATIONS_START_COALESCE_SECONDS", DEFAULT_COALESCE))


def start_task():
    """Enqueue one delivery task now."""
    from django_q.tasks import async_task

    async_task("notifications.tasks.deliver_due", task_name="notifications: deliver due")


class Waker:
    """Coalesces wake-ups of one process; `start` is what a wake-up does (start_task)."""

    def __init__(self, start, coalesce):
        self.start, self.coalesce = start, coalesce
        self.flag = threading.Event()
        self.guard = threading.Lock()
        self.thread, self.pid = None, None

    def request(self):
        """Ask for a delivery task soon; returns at once."""
        self.flag.set()
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            self._ensure_thread()

    def _ensure_thread(self):
        with self.guard:
            # After a fork (gunicorn workers) the parent's thread does not exist here.
            if self.thread is not None and self.pid == os.getpid() and self.thread.is_alive():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="delivery-waker",
                                           daemon=True)
            self.thread.start()

    def _run(self):
        while True:
            self.flag.wait()
            self._once()
            time.sleep(self.coalesce)

    def _once(self, *, at_exit=False):
        self.flag.clear()
        try:
            self.start()
        except Exception:  # the broker down: the every-minute schedule delivers anyway
            if not at_exit:  # at exit the database may be gone with the process's purpose
                log.warning("could not start a delivery task", exc_info=True)

    def flush(self):
        """At exit: a wake-up still waiting is enqueued rather than left to the schedule."""
        if self.flag.is_set() and self.pid == os.getpid():
            self._once(at_exit=True)


_waker = None
_waker_guard = threading.Lock()


def _start_in_thread():
    close_old_connections()  # a connection the database dropped (a restart) is not reused
    start_task()


def wake():
    """Start delivery after a commit: at once (coalesce 0), or through the process's waker."""
    global _waker
    coalesce = coalesce_seconds()
    if coalesce <= 0:
        start_task()
        return
    if _waker is None:
        with _waker_guard:
            if _waker is None:
                _waker = Waker(_start_in_thread, coalesce)
                atexit.register(_waker.flush)
    _waker.request()
