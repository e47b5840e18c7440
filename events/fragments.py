"""Rendered VEVENTs of the feeds, kept by revision, so that a feed of unchanged events is
assembled from bytes instead of rendered again.

The key holds every input of a VEVENT's bytes: the event's revision (its change time and
SEQUENCE), the change times of the rows whose names it shows (the same ones the feeds' ETag
reads), and what a personal feed adds (the DTSTAMP that a registration moves, the person's
SEQUENCE, waiting-list status). Any change makes a new key, so nothing is ever invalidated by
hand and a stale fragment cannot be served; old keys fall off the end of the LRU.

The store is per process: a fragment is a few hundred bytes, a lookup costs nothing, and a
shared cache (the database's on SQLite) would cost a query for what it saves.
"""

import threading
from collections import OrderedDict

from django.conf import settings

# About 1 KB each: a few megabytes per web process, enough for every event of a region's year.
LIMIT = 20_000

_store = OrderedDict()
_lock = threading.Lock()


def key(pk, updated_at, event_sequence, *, related, stamp, sequence, waitlisted,
        format_version, uid_domain):
    """Everything the VEVENT of an event (its pk, revision and SEQUENCE) in a feed is
    rendered from."""
    return (format_version, uid_domain, settings.SITE_URL, pk, updated_at, event_sequence,
            related, stamp, sequence, waitlisted)


def get(fragment_key):
    with _lock:
        fragment = _store.get(fragment_key)
        if fragment is not None:
            _store.move_to_end(fragment_key)
        return fragment


def put(fragment_key, fragment):
    with _lock:
        _store[fragment_key] = fragment
        _store.move_to_end(fragment_key)
        while len(_store) > LIMIT:
            _store.popitem(last=False)


def clear():
    """Forget every fragment (benchmarks measure a cold feed with it)."""
    with _lock:
        _store.clear()
