"""Writing the outbox: one row per trigger, and a delivery task only after the commit."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import OrmQ

from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.services import ROWS_IN_ONE_STATEMENT, cancel_pending, enqueue

pytestmark = pytest.mark.django_db


def test_enqueue_same_trigger_twice_is_one_row_and_one_message(person, notice):
    enqueue([notice(person, key="registration:7:confirmed:1")])
    enqueue([notice(person, key="registration:7:confirmed:1")])

    deliver_due()
    deliver_due()

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("count", [3, ROWS_IN_ONE_STATEMENT + 2])
def test_enqueue_keeps_the_first_of_keys_repeated_in_one_call(person, notice, count):
    """A few rows go in one statement, more one by one: either way, one row a key, the first."""
    first = notice(person, key="reminder:1")
    first.context = {"which": "first"}
    again = notice(person, key="reminder:1")
    again.context = {"which": "again"}
    others = [notice(person, key=f"reminder:{n}") for n in range(2, count)]

    assert enqueue([first, *others, again]) == count

    assert Notification.objects.count() == count - 1
    assert Notification.objects.get(dedup_key="reminder:1").context == {"which": "first"}


def test_enqueue_starts_one_delivery_after_commit(person, notice,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        enqueue([notice(person, key="a")])
        enqueue([notice(person, key="b")])

    assert len(callbacks) == 1


@pytest.mark.skipif("orm" not in django_settings.Q_CLUSTER, reason="the ORM broker's queue")
def test_enqueue_delivery_task_lands_in_the_queue(person, notice,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue([notice(person)])

    assert OrmQ.objects.count() == 1


def test_enqueue_of_later_messages_starts_no_delivery(person, notice,
                                                      django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue([notice(person, scheduled_at=later)])

    assert callbacks == []


def test_cancelled_pending_message_is_not_sent(person, notice):
    enqueue([notice(person, subject_key="event:3")])

    cancel_pending("event:3")
    deliver_due()

    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.CANCELLED


def test_cancel_pending_for_some_people_reads_their_rows_by_an_index():
    """Cancelling one person's unsent letters about an event reads through the partial index
    of pending rows by (subject, recipient), not the whole pending outbox."""
    pending = Notification.objects.filter(subject_key="event:3", status="pending",
                                          kind__in=["registration_confirmed"],
                                          recipient_id__in=[7]).order_by()
    sql, params = pending.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "notification_pending_about" in plan, plan
        else:
            # PostgreSQL's choice between two partial indexes of an empty test table depends on
            # the statistics earlier tests left; the index it has to choose from is checked.
            cursor.execute("SELECT indexdef FROM pg_indexes "
                           "WHERE indexname = 'notification_pending_about'")
            definition = cursor.fetchone()[0]
            assert "(subject_key, recipient_id)" in definition, definition
            assert "WHERE ((status)::text = 'pending'::text)" in definition, definition
