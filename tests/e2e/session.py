"""Helpers shared by the browser tests of teachers and mentors."""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from notifications.delivery import deliver_due
from tests.factories import make_user


def user_with_role(username, role, municipality):
    """make_user for live-server tests: a transactional test flushes the groups of the
    migrations, so the role's group is made again first."""
    Group.objects.get_or_create(name=role)
    return make_user(username, role=role, municipality=municipality)


def sign_in(context, user, live_server):
    """Give a browser context the session of `user`, for steps that are not about signing in."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def signin_link_from_mail(address):
    """Run the outbox delivery the worker would run, then take the link from the letter."""
    deliver_due()
    letters = [m for m in mail.outbox if address in m.to]
    assert letters, f"письмо для {address} не отправлено"
    return re.search(r"https?://\S+/signin/link/\S+", letters[-1].body).group(0)

