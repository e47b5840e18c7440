"""Each web worker process on a core of its own (gunicorn's hooks in config/gunicorn.py).

Python threads of one process take turns on the GIL (gunicorn's gthread workers: `make run`).
When the threads of a web worker run on different cores, every turn (a thread waking for the
write lock, a database call that lets the GIL go) wakes a thread on the other core, which on a
virtual machine costs tens of microseconds each: under a burst of registrations the worker
spent a third more CPU than the same registrations one after another. With each worker on one
core the turns stay on it, and the workers, one or more a core, still use every core (measured
by `make bench BENCH=registration` and `registration_http`, README «Запуск»). A worker of one
thread (the sync workers of deploy/) is left to the kernel: two busy ones could share a core
while the other idles. WEB_PIN_CPUS=0 switches it off.
"""

import collections
import logging
import os

logger = logging.getLogger(__name__)


def enabled():
    return (os.environ.get("WEB_PIN_CPUS", "1") != "0" and hasattr(os, "sched_setaffinity")
            and len(cpus()) > 1)


def cpus():
    """The cores this process may run on, in order."""
    return sorted(os.sched_getaffinity(0))


def least_used(taken):
    """The core with the fewest of `taken` (the cores of the workers alive), the first of equals."""
    counts = collections.Counter(taken)
    return min(cpus(), key=lambda core: counts[core])


def pin(core):
    """Keep the calling thread, and the threads it starts later, on `core`: called before a
    worker starts its threads, that is the whole worker."""
    try:
        os.sched_setaffinity(0, {core})
    except OSError as exc:  # the core was taken away (a container's set changed): run anywhere
        logger.warning("Процесс не закреплён за ядром %s: %s", core, exc)
