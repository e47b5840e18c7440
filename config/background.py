"""Work a request asks for but need not wait for: done by a thread of the process, coalesced.

A request calls `Coalescer.request()` (it only raises a flag). The process's thread runs the
action, pauses, and runs it again only if requests came meanwhile. The flag is lowered before
the action runs, so a request made after that moment gets a run of its own: nothing asked for
is left undone, and a surge of requests costs a few runs. The thread is made on first use in
each process (gunicorn forks workers after import), and at exit a request still waiting is run.
"""

import atexit
import logging
import os
import threading
import time
import weakref

log = logging.getLogger(__name__)
_made = weakref.WeakSet()


def flush_all():
    """Run every waiting request now (before the database goes away, as at exit)."""
    for coalescer in list(_made):
        coalescer.flush()


class Coalescer:
    """Runs `action` in a thread of the process, at most once per `pause` seconds."""

    def __init__(self, action, pause, *, name):
        self.action, self.pause, self.name = action, pause, name
        self.flag = threading.Event()
        self.guard = threading.Lock()
        self.thread, self.pid = None, None
        self.exit_hooked = False
        _made.add(self)

    def request(self):
        """Ask for a run soon; returns at once."""
        self.flag.set()
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            self._ensure_thread()

    def _ensure_thread(self):
        with self.guard:
            # After a fork the parent's thread does not exist in the child.
            if self.thread is not None and self.pid == os.getpid() and self.thread.is_alive():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self.thread.start()
            if not self.exit_hooked:
                atexit.register(self.flush)
                self.exit_hooked = True

    def _run(self):
        while True:
            self.flag.wait()
            self._once()
            time.sleep(self.pause)

    def _once(self, *, at_exit=False):
        self.flag.clear()
        try:
            self.action()
        except Exception:  # each user of this says what covers a missed run
            if not at_exit:  # at exit the database may be gone with the process's purpose
                log.warning("%s: the background run failed", self.name, exc_info=True)

    def flush(self):
        """Run now if a request is waiting (at exit: rather than leave it undone)."""
        if self.flag.is_set() and self.pid == os.getpid():
            self._once(at_exit=True)
