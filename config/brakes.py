"""Brakes on guessing: how many tries each door allows, counted in the shared cache.

django-ratelimit does the counting (fixed windows in Django's cache, see CACHES in the
settings); this module names the doors and their limits in one place. A rate is
"<count>/<period>", e.g. "5/15m". Keys are hashed by django-ratelimit before they reach the
cache, so no address is stored in it.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _
from django_ratelimit import core
from django_ratelimit.core import get_usage

# Sign-in link requests: per address (one mailbox is not flooded) and per client address.
SIGNIN_PER_EMAIL = "3/15m"
SIGNIN_PER_CLIENT = "20/h"
# Answers to a questionnaire: a page is posted a few times at most by a person.
SURVEY_POSTS_PER_CLIENT = "60/10m"
SURVEY_POSTS_PER_LINK = "20/10m"
# Wrong check-in codes per person and event; then only the organiser can mark them.
CHECKIN_WRONG_CODES = "5/3h"
# Unknown certificate codes per client address (the codes themselves are 130 random bits).
CERTIFICATE_UNKNOWN_CODES = "30/h"
# Wrong API tokens per client address.
API_TOKEN_FAILURES = "20/10m"


def client_key(request):
    """The client's address as the brakes see it (REMOTE_ADDR, set right by the proxy)."""
    return request.META.get("REMOTE_ADDR", "")


def _usage(request, door, key, rate, *, count):
    usage = get_usage(request, group=door, key=lambda _group, _request: str(key), rate=rate,
                      increment=count)
    return usage  # None when the brakes are switched off (RATELIMIT_ENABLE=0)


def take(request, door, key, rate):
    """Count one try at this door; False once the tries of the window are used up."""
    usage = _usage(request, door, key, rate, count=True)
    return usage is None or not usage["should_limit"]


def is_locked(request, door, key, rate):
    """Whether the failures counted by `fail` have reached the limit (counts nothing).

    One cache read. get_usage(increment=False) would first `add` a zero counter: a cache write
    on every API request, and with the database cache a write transaction that waits its turn
    at SQLite's write lock. The key is django-ratelimit's own, made by its helpers.
    """
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    limit, period = core._split_rate(rate)
    value = str(key)
    cache_key = core._make_cache_key(door, core._get_window(value, period), rate, value,
                                     core.ALL)
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    return cache.get(cache_key, 0) >= limit


def fail(request, door, key, rate):
    """Count one failure at a door that locks after a number of them."""
    _usage(request, door, key, rate, count=True)


def wait_message():
    return _("Слишком много попыток. Подождите немного и попробуйте снова.")
