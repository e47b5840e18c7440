"""Statements sent together (config.pipeline) and the PostgreSQL health check without a round
trip (config/postgresql): what they promise, checked on the database that runs the suite, and
on PostgreSQL from the server's side (pg_stat_activity)."""

import contextlib
import time

import psycopg
import pytest
from django.db import IntegrityError, NotSupportedError, connection, connections, transaction
from django.db.transaction import TransactionManagementError

from config import pipeline, rows
from events.models import CalendarFeed
from participants.models import Person
from tests.factories import PersonFactory

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def test_statements_sent_together_read_their_own_results_in_order(municipality):
    people = PersonFactory.create_batch(2, municipality=municipality)
    with transaction.atomic(), pipeline.together():
        with connection.cursor() as first, connection.cursor() as second:
            first.execute("SELECT last_name FROM participants_person WHERE id = %s",
                          [people[0].pk])
            second.execute("SELECT last_name FROM participants_person WHERE id = %s",
                           [people[1].pk])
            assert pipeline.is_open() == (connection.vendor == "postgresql")
            assert second.fetchone() == (people[1].last_name,)
            assert first.fetchone() == (people[0].last_name,)
    assert not pipeline.is_open()


def test_a_row_inserted_with_statements_sent_together_gets_its_key_when_read(municipality):
    person = PersonFactory(municipality=municipality)
    feed = CalendarFeed(person=person, token="t" * 32)
    with transaction.atomic(), pipeline.together():
        read_key = rows.send_insert(feed)
        if connection.vendor == "postgresql":
            assert feed.pk is None  # sent, not yet read
        with connection.cursor() as cursor:
            cursor.execute("UPDATE participants_person SET first_name = %s WHERE id = %s",
                           ["Вера", person.pk])
        assert read_key() is feed and feed.pk is not None
    assert CalendarFeed.objects.get(person=person).pk == feed.pk
    person.refresh_from_db()
    assert person.first_name == "Вера"


@pytest.mark.django_db(transaction=True)
def test_a_transaction_sent_together_commits_and_its_new_key_comes_with_the_commit(
        municipality):
    person = PersonFactory(municipality=municipality)
    feed = CalendarFeed(person=person, token="t" * 32)
    with pipeline.atomic():
        assert connection.in_atomic_block
        assert pipeline.is_open() == (connection.vendor == "postgresql")
        read_key = rows.send_insert(feed)
        with pipeline.together():  # inside: part of the same block
            Person.objects.filter(pk=person.pk).update(first_name="Вера")
    assert not connection.in_atomic_block and not pipeline.is_open()
    assert connection.get_autocommit()
    assert read_key().pk == CalendarFeed.objects.get(person=person).pk
    assert Person.objects.get(pk=person.pk).first_name == "Вера"


@pytest.mark.django_db(transaction=True)
def test_a_transaction_sent_together_is_undone_by_an_error_in_it(municipality):
    person = PersonFactory(municipality=municipality)
    with pytest.raises(ValueError), pipeline.atomic():
        rows.send_insert(CalendarFeed(person=person, token="t" * 32))
        Person.objects.filter(pk=person.pk).update(first_name="Вера")
        raise ValueError("передумали")
    assert not CalendarFeed.objects.exists()
    assert Person.objects.get(pk=person.pk).first_name != "Вера"
    assert not connection.in_atomic_block and connection.get_autocommit()


@pytest.mark.django_db(transaction=True)
def test_a_statement_failing_with_the_commit_undoes_the_transaction(municipality):
    person = PersonFactory(municipality=municipality)
    CalendarFeed.objects.create(person=person, token="a" * 32)
    with pytest.raises(IntegrityError), pipeline.atomic():
        Person.objects.filter(pk=person.pk).update(first_name="Вера")
        rows.send_insert(CalendarFeed(person=person, token="b" * 32))  # one feed a person
    assert Person.objects.get(pk=person.pk).first_name != "Вера"
    assert CalendarFeed.objects.count() == 1  # and the connection serves on
    assert not connection.in_atomic_block and connection.get_autocommit()


def test_a_failed_statement_sent_together_inside_another_transaction_leaves_it_usable(
        municipality):
    """The test's own transaction is outside: the error undoes the savepoint only."""
    person = PersonFactory(municipality=municipality)
    CalendarFeed.objects.create(person=person, token="a" * 32)
    with pytest.raises(IntegrityError), pipeline.atomic():
        Person.objects.filter(pk=person.pk).update(first_name="Вера")
        rows.send_insert(CalendarFeed(person=person, token="b" * 32))  # never read
    assert CalendarFeed.objects.count() == 1  # the outer transaction goes on
    assert Person.objects.get(pk=person.pk).first_name != "Вера"
    with pytest.raises(IntegrityError), pipeline.atomic(), pipeline.atomic():
        rows.send_insert(CalendarFeed(person=person, token="c" * 32))
    assert CalendarFeed.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_what_waits_for_the_commit_runs_after_it_as_without_sending_together(municipality):
    person = PersonFactory(municipality=municipality)
    seen = []

    def after():
        seen.append((pipeline.is_open(),
                     Person.objects.filter(pk=person.pk).update(first_name="Вера")))

    def failing():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    with pipeline.atomic():
        read_key = rows.send_insert(CalendarFeed(person=person, token="t" * 32))
        transaction.on_commit(after)
        transaction.on_commit(failing, robust=True)  # logged, the registration stands
    assert seen == [(False, 1)]
    assert read_key().pk == CalendarFeed.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_a_transaction_sent_together_that_was_marked_for_rollback_says_so(municipality):
    person = PersonFactory(municipality=municipality)
    with pytest.raises(TransactionManagementError), pipeline.atomic():
        rows.send_insert(CalendarFeed(person=person, token="t" * 32))
        with contextlib.suppress(ValueError), transaction.atomic(savepoint=False):
            raise ValueError("поймано внутри")
    assert not CalendarFeed.objects.exists()
    assert not connection.in_atomic_block and connection.get_autocommit()


def test_a_transaction_sent_together_inside_another_is_a_savepoint(municipality):
    person = PersonFactory(municipality=municipality)
    with pytest.raises(ValueError), pipeline.atomic():
        rows.send_insert(CalendarFeed(person=person, token="t" * 32))
        raise ValueError("передумали")
    assert not CalendarFeed.objects.exists()  # the test's transaction goes on
    feed = CalendarFeed(person=person, token="u" * 32)
    with pipeline.atomic():
        read_key = rows.send_insert(feed)
    assert read_key().pk == CalendarFeed.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_an_error_sent_together_is_djangos_and_undoes_the_transaction(municipality):
    person = PersonFactory(municipality=municipality)
    CalendarFeed.objects.create(person=person, token="a" * 32)
    with pytest.raises(IntegrityError), transaction.atomic(), pipeline.together():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE participants_person SET first_name = %s WHERE id = %s",
                           ["Вера", person.pk])
            cursor.execute("INSERT INTO events_calendarfeed (person_id, token, created_at) "
                           "VALUES (%s, %s, %s)", [person.pk, "b" * 32, "2026-12-01"])
    person.refresh_from_db()
    assert person.first_name != "Вера"
    assert CalendarFeed.objects.count() == 1  # and the connection serves on


# --- the health check ------------------------------------------------------------------------

def _other_connection():
    """A connection of its own, to be broken without breaking the test's."""
    other = connections.create_connection("default")
    other.ensure_connection()
    return other


def _last_statement(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return None if row is None else row[0]


def _marked(other):
    with other.cursor() as cursor:
        cursor.execute("SELECT 'marker', pg_backend_pid()")
        return cursor.fetchone()[1]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_live_connection_is_found_usable_without_a_statement():
    other = _other_connection()
    try:
        pid = _marked(other)
        assert other.is_usable()
        assert _last_statement(pid) == "SELECT 'marker', pg_backend_pid()"
        other.errors_occurred = True  # after an error: replaced, with its prepared statements
        assert not other.is_usable()
    finally:
        other.close()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_found_unusable_and_replaced():
    other = _other_connection()
    try:
        pid = _marked(other)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while _last_statement(pid) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)  # the server's goodbye reaches the socket
        assert not other.is_usable()
        # What Django does before a request's first statement: closes it, then connects anew.
        other.health_check_enabled, other.health_check_done = True, False
        other.close_if_health_check_failed()
        assert _marked(other) != pid
    finally:
        other.close()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_before_a_migration_changed_its_table_costs_one_error():
    """A migration run while the site serves (the update procedure) changes a column's type
    under a statement the site's connection has prepared."""
    other = _other_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE test_prepared (id int PRIMARY KEY, name varchar(10))")
        for _ in range(6):  # prepared after psycopg's threshold
            with other.cursor() as cursor:
                cursor.execute("SELECT name FROM test_prepared WHERE id = %s", [1])
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE test_prepared ALTER COLUMN name TYPE text")
        with pytest.raises(NotSupportedError), other.cursor() as cursor:
            cursor.execute("SELECT name FROM test_prepared WHERE id = %s", [1])
        # What Django does at the next request's start: the connection is replaced.
        other.close_if_unusable_or_obsolete()
        with other.cursor() as cursor:
            cursor.execute("SELECT name FROM test_prepared WHERE id = %s", [1])
            assert cursor.fetchall() == []
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS test_prepared")


@on_postgres
@pytest.mark.django_db
def test_a_connection_in_a_failed_transaction_is_unusable():
    other = _other_connection()
    try:
        other.set_autocommit(False)
        with pytest.raises(psycopg.errors.DivisionByZero):
            other.connection.execute("SELECT 1 / 0")
        assert not other.is_usable()
    finally:
        other.close()
