"""The client's address behind nginx: REMOTE_ADDR from X-Real-IP, only from a trusted proxy.

Behind a reverse proxy every request reaches the web server from 127.0.0.1; the brakes
(config/brakes.py) and django-axes count tries per REMOTE_ADDR, so without this every visitor
would share one count. Only addresses listed in TRUSTED_PROXIES may name the client: anyone
else sending X-Real-IP is ignored, or a guesser could pick a new address for every try.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = set(settings.TRUSTED_PROXIES)
        if not self.trusted:
            raise MiddlewareNotUsed

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in self.trusted:
            real = _address(request.META.get("HTTP_X_REAL_IP", ""))
            if real:
                request.META["REMOTE_ADDR"] = real
        return self.get_response(request)
