"""Each web worker process on a core of its own (gunicorn's hooks in config/gunicorn.py).

Python threads of one process take turns on the GIL. When the threads of a web worker run on
different cores, every turn (a thread waking for the write lock, a database call that lets the
GIL go) wakes a thread on the other core, which on a virtual machine costs tens of
microseconds each: under a burst of registrations the worker spent a third more CPU than the
same registrations one after another. With each worker on one core the turns stay on it, and
the workers, one or more a core, still use every core (measured by `make bench
BENCH=registration` and `registration_http`, README «Запуск»). WEB_PIN_CPUS=0 switches it off.
"""

import collections
import os


def enabled():
    return os.environ.get("WEB_PIN_CPUS", "1") != "0" and len(cpus()) > 1


def cpus():
    """The cores this process may run on, in order."""
    return sorted(os.sched_getaffinity(0))


def least_used(taken):
    """The core with the fewest of `taken` (the cores of the workers alive), the first of equals."""
    counts = collections.Counter(taken)
    return min(cpus(), key=lambda core: counts[core])


def pin(core):
    """Keep the calling process (its thread, and the threads it starts later) on `core`."""
    os.sched_setaffinity(0, {core})
