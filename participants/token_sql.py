"""The statement every API call authenticated by a token runs, written once: the token, its
user, the person linked to the account and their municipality, in one query.

Composed with the ORM (select_related over four tables) it cost more Python than the rest of
a registration's reads together; see config/rows.py.
"""

import functools

from django.contrib.auth import get_user_model
from django.db import connection

from config.rows import Columns, read_row
from participants.models import ApiToken, Municipality, Person

_TOKEN = Columns(ApiToken, "t")
_USER = Columns(get_user_model(), "u")
_PERSON = Columns(Person, "p")
_MUNICIPALITY = Columns(Municipality, "m")


@functools.cache
def _statement():
    return f"""
        SELECT {_TOKEN.sql()}, {_USER.sql()}, {_PERSON.sql()}, {_MUNICIPALITY.sql()}
          FROM {ApiToken._meta.db_table} t
          JOIN {get_user_model()._meta.db_table} u ON u.id = t.user_id
          LEFT JOIN {Person._meta.db_table} p ON p.user_id = u.id
          LEFT JOIN {Municipality._meta.db_table} m ON m.id = p.municipality_id
         WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s
    """


def active_token(digest):
    """The unrevoked token of an active user with this digest and that user, or None.

    The user's person, with their municipality, is attached (`user.person`) and also returned
    as `token.person` (None when the account has no participant).
    """
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [digest, True])
        row = cursor.fetchone()
    if row is None:
        return None
    token, user, person, municipality = read_row(row, _TOKEN, _USER, _PERSON, _MUNICIPALITY)
    token.user, token.person = user, person
    if person is not None:
        person.municipality = municipality
        user.person = person
    return token
