"""Times with a zone read by psycopg's own loader (config/postgresql): the same values Django's
loader gives, where Django wants UTC; Django's where it wants another zone."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import override_settings

from events.models import CalendarFeed
from tests.factories import PersonFactory

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
              pytest.mark.django_db]

MOMENTS = ("SELECT '2026-03-01 12:00:00.123456+03'::timestamptz, '0001-01-01 00:00:00+00'"
           "::timestamptz, NULL::timestamptz")


def _read(cursor):
    cursor.execute(MOMENTS)
    return cursor.fetchone()


def test_the_connection_reads_times_with_psycopgs_own_loader():
    from psycopg import adapters, pq

    connection.ensure_connection()
    oid = adapters.types["timestamptz"].oid
    ours = connection.connection.adapters.get_loader(oid, pq.Format.TEXT)
    assert ours is adapters.get_loader(oid, pq.Format.TEXT)
    if pq.__impl__ == "binary":  # what the project installs (pyproject.toml)
        assert ours.__module__.startswith("psycopg_binary")


def test_times_are_the_ones_djangos_loader_gives_zone_included():
    with connection.cursor() as cursor:
        ours = _read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor
        djangos = _read(cursor)
    assert ours == djangos
    assert ours[0] == datetime.datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC)
    assert [moment.tzinfo for moment in ours[:2]] == [datetime.UTC, datetime.UTC]
    assert ours[2] is None


def test_a_server_side_cursor_reads_them_too(municipality):
    person = PersonFactory(municipality=municipality)
    CalendarFeed.objects.create(person=person, token="t" * 32)
    (made,) = [feed.created_at for feed in CalendarFeed.objects.all().iterator(chunk_size=10)]
    assert made.tzinfo is datetime.UTC
    assert made == CalendarFeed.objects.get().created_at


def test_where_django_wants_local_naive_times_its_loader_reads_them():
    with override_settings(USE_TZ=False, TIME_ZONE="Europe/Moscow"):
        with connection.cursor() as cursor:
            moment = _read(cursor)[0]
    assert moment == datetime.datetime(2026, 3, 1, 12, 0, 0, 123456)  # naive, in Moscow
    with connection.cursor() as cursor:
        assert _read(cursor)[0].tzinfo is datetime.UTC  # and back
