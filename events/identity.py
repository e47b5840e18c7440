"""The installation's calendar identity: the domain of every UID it hands out.

Stored once (events.CalendarIdentity, created by migration 0006), never derived from SITE_URL
at reading time: a site that moves keeps its UIDs, and installations left on the default address
draw a random domain each, so their UIDs never meet in one person's calendar.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings

# Addresses that name no installation: every developer's machine has them.
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}

_domain = None


def initial_uid_domain():
    """The site's host when it is a real one (the UIDs handed out so far), else a random one."""
    host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        # .invalid (RFC 2606) can never be someone else's real domain.
        return f"{secrets.token_hex(8)}.mentoring.invalid"
    return host


def uid_domain():
    """The stored UID domain; read once per process, since it never changes once stored."""
    global _domain
    if _domain is None:
        from events.models import CalendarIdentity

        row = CalendarIdentity.objects.order_by("pk").first()
        if row is None:  # a database emptied after migrating (tests that flush)
            row = CalendarIdentity.objects.create(uid_domain=initial_uid_domain())
        _domain = row.uid_domain
    return _domain


def forget():
    """Read the domain from the database again (after it was replaced, in tests)."""
    global _domain
    _domain = None
