"""A database that is away (restarting, failing over, locked) answers 503 with Retry-After.

Not a 500: nothing is wrong with the request, and repeating it in a moment will work. For the
API the error shape says so in Russian (config.api_errors); a page says it in the 503 page.
Django turns an exception anywhere in the stack (a view, the session or the auth middleware)
into a call of handler500, which is where the database's case is told apart.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.template import loader
from django.views import defaults

# Seconds a client should wait before repeating: about a PostgreSQL restart.
RETRY_AFTER = 30


def is_database_away(exc):
    """An error that says the database cannot be reached now (not that a query was wrong)."""
    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable_page(request):
    from django.http import HttpResponse

    response = HttpResponse(loader.render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 with Retry-After while the database is away, else Django's 500 page."""
    if is_database_away(sys.exc_info()[1]):
        return unavailable_page(request)
    return defaults.server_error(request, template_name)
