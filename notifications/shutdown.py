"""Whether this process was asked to stop: delivery finishes the letter in flight, then stops.

Set from a signal handler, so it is a plain assignment: nothing that takes a lock (django-q2
#346 deadlocks a cluster by calling Event.set() inside its handler).
"""

_requested = False


def request(signum=None, frame=None):
    """Ask delivery in this process to stop after the current letter; usable as a handler."""
    global _requested
    _requested = True


def requested():
    return _requested


def reset():
    """For tests that ask for a stop and go on in the same process."""
    global _requested
    _requested = False
