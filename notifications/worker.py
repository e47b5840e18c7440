"""A django-q2 cluster that stops cleanly on SIGTERM, to its main process or to its group.

django-q2 1.11 stops badly in two ways (both seen here, and django-q2 issue #346):
- its main process calls `Event.set()` and `join()` inside the signal handler; a signal that
  lands while the interrupted code holds the event's lock deadlocks it, and systemd waits
  for TimeoutStopSec;
- the sentinel and all workers keep the default SIGTERM action, so SIGTERM to the whole group
  (what systemd sends) kills a worker in the middle of a letter, and the sentinel's death
  leaves workers orphaned, blocked on their queue for ever.

Here every signal handler only sets a flag. A thread (not the handler) turns the main
process's flag into the cluster's stop event; the sentinel relays a stop to its workers as
SIGTERM; a worker's handler asks delivery (notifications.shutdown) to finish the letter in
flight and give the rest of its batch back. The main process waits STOP_GRACE_SECONDS for an
orderly stop, then kills what is left, so the cluster is gone within a bound.
"""

import logging
import os
import signal
import threading
import time

import django_q.cluster as cluster_module
from django.conf import settings
from django_q.cluster import Cluster, Sentinel

from notifications import shutdown

logger = logging.getLogger(__name__)


def stop_grace():
    """Seconds the main process waits for an orderly stop before it kills the rest."""
    return getattr(settings, "Q_STOP_GRACE_SECONDS", 8)


def _watch(flag, then, *, poll=0.1):
    """Run `then()` in a daemon thread once `flag()` is true."""

    def loop():
        while not flag():
            time.sleep(poll)
        then()

    threading.Thread(target=loop, daemon=True, name="stop-watcher").start()


class GracefulSentinel(Sentinel):
    """The sentinel: SIGTERM starts its orderly stop, and each worker is told to stop."""

    def __init__(self, *args):
        self.term = False
        super().__init__(*args, start=False)  # its __init__ sets SIGTERM back to the default
        signal.signal(signal.SIGTERM, self._on_signal)
        _watch(lambda: self.term or self.stop_event.is_set(), self._stop_workers)
        self.start()

    def _on_signal(self, signum, frame):
        self.term = True

    def _stop_workers(self):
        for process in list(self.pool):
            try:
                os.kill(process.pid, signal.SIGTERM)
            except (ProcessLookupError, TypeError):
                pass
        self.stop_event.set()


class GracefulCluster(Cluster):
    """The main process: a signal sets a flag; a thread stops the cluster, bounded in time."""

    def __init__(self, broker=None):
        self.term = False
        super().__init__(broker)

    def sig_handler(self, signum, frame):
        self.term = True

    def start(self):
        # django-q2's start() spawns the class its module names Sentinel: ours, for this call.
        cluster_module.Sentinel = GracefulSentinel
        try:
            pid = super().start()
        finally:
            cluster_module.Sentinel = Sentinel
        _watch(lambda: self.term, self._stop)
        return pid

    def _stop(self):
        sentinel, stop_event = self.sentinel, self.stop_event
        if sentinel is None or stop_event is None:
            return
        logger.info("Q Cluster %s stopping.", self.name)
        stop_event.set()
        sentinel.join(stop_grace())
        if sentinel.is_alive():
            logger.warning("Q Cluster %s did not stop in %s s: killing it", self.name,
                           stop_grace())
            kill_tree(sentinel.pid)
            sentinel.join(2)


def kill_tree(pid):
    """SIGKILL a process and all of its descendants."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def on_worker_spawn(sender=None, **kwargs):
    """In each new worker: SIGTERM means «finish the letter, then stop»; then catch up on
    rows left by a worker that died (this one may be its reincarnation)."""
    signal.signal(signal.SIGTERM, shutdown.request)
    from notifications import tasks

    try:
        tasks.recover_stuck()
    except Exception:  # a database that is down now: the every-minute sweep tries again
        logger.exception("notifications: recovering rows of dead workers failed")
