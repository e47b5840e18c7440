"""Behind nginx the brakes and django-axes see the client's address, and nobody else sets it."""

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.test import RequestFactory

from operations.proxy import TrustedProxyMiddleware


def _seen_address(settings, trusted, remote, real):
    settings.TRUSTED_PROXIES = trusted
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_REAL_IP=real)
    TrustedProxyMiddleware(view)(request)
    return seen["addr"]


def test_the_trusted_proxy_names_the_client(settings):
    assert _seen_address(settings, ["127.0.0.1"], "127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_a_client_that_is_not_the_proxy_cannot_name_another_address(settings):
    assert _seen_address(settings, ["127.0.0.1"], "198.51.100.2", "203.0.113.7") == \
        "198.51.100.2"


def test_a_malformed_header_from_the_proxy_leaves_the_address(settings):
    assert _seen_address(settings, ["127.0.0.1"], "127.0.0.1", "1.2.3.4, evil") == "127.0.0.1"


def test_without_trusted_proxies_the_middleware_is_off(settings):
    settings.TRUSTED_PROXIES = []
    with pytest.raises(MiddlewareNotUsed):
        TrustedProxyMiddleware(lambda request: None)
