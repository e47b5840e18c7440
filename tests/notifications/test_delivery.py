"""deliver_due, retries, bounces, skips, the sweep for dead workers and resending."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.errors import Conflict
from notifications.delivery import claim, deliver_due, recover_stuck
from notifications.models import Notification, Preference
from notifications.rendering import message_id
from notifications.services import enqueue, resend
from participants.models import Person
from tests.factories import PersonFactory
from tests.notifications.smtp import free_port

pytestmark = pytest.mark.django_db
Status = Notification.Status


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def test_deliver_due_sends_due_rows_and_not_future_ones(person, notice):
    enqueue([notice(person, key="now"), notice(person, key="tomorrow", scheduled_at=later(days=1))])

    outcome = deliver_due()

    assert outcome.sent == 1
    now_row, tomorrow_row = (Notification.objects.get(dedup_key=key) for key in ("now", "tomorrow"))
    assert now_row.status == Status.SENT and now_row.sent_at is not None
    assert now_row.attempts == 1
    assert tomorrow_row.status == Status.PENDING
    assert [message.to for message in mail.outbox] == [["maria@school.example"]]


def test_sent_message_carries_unsubscribe_headers_and_stable_message_id(person, notice):
    enqueue([notice(person)])

    deliver_due()

    row = Notification.objects.get()
    preference = Preference.objects.get(person=person)
    headers = mail.outbox[0].message()
    assert headers["Message-ID"] == message_id(row)
    assert headers["List-Unsubscribe"] == (
        f"<https://school.example/notifications/unsubscribe/{preference.unsubscribe_token}/>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Здравствуйте, Мария Петровна!" in mail.outbox[0].body


def test_message_id_depends_only_on_the_dedup_key(person):
    first = Notification(dedup_key="event:1:reminder:day:seq0:person:5", recipient=person)
    again = Notification(dedup_key="event:1:reminder:day:seq0:person:5", recipient=person)
    other = Notification(dedup_key="event:1:reminder:day:seq1:person:5", recipient=person)

    assert message_id(first) == message_id(again) != message_id(other)


def test_failing_smtp_retries_with_backoff_then_fails(person, notice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    enqueue([notice(person)])
    waits = []

    for _attempt in range(3):
        started = timezone.now()
        assert deliver_due().handled == 1
        assert deliver_due().handled == 0  # not again before its time
        row = Notification.objects.get()
        waits.append(round((row.scheduled_at - started).total_seconds() / 60))
        Notification.objects.update(scheduled_at=timezone.now())  # time passes

    assert row.status == Status.FAILED
    assert row.attempts == 3
    assert "SMTPServerDisconnected" in row.last_error
    assert waits[:2] == [1, 2]  # then it failed, so no further wait


def test_unreachable_smtp_server_is_retried(person, notice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    enqueue([notice(person)])

    outcome = deliver_due()

    row = Notification.objects.get()
    assert outcome.retried == 1
    assert row.status == Status.PENDING and row.scheduled_at > timezone.now()
    assert "ConnectionRefused" in row.last_error


def test_refused_recipient_is_marked_bounced_and_not_retried(person, notice, smtp_server):
    smtp_server.mailbox.refused.add(person.email)
    enqueue([notice(person, key="first")])

    outcome = deliver_due()

    row = Notification.objects.get()
    preference = Preference.objects.get(person=person)
    assert outcome.failed == 1
    assert row.status == Status.FAILED and row.attempts == 1
    assert "550" in row.last_error
    assert preference.email_bounced_at is not None
    assert preference.bounced_email == person.email


def test_bounced_address_is_skipped_until_the_email_changes(person, notice):
    Preference.objects.create(person=person, email_bounced_at=timezone.now(),
                              bounced_email=person.email)
    enqueue([notice(person, key="first")])
    deliver_due()
    person.email = "maria.new@school.example"
    person.save()
    enqueue([notice(person, key="second")])

    deliver_due()

    assert Notification.objects.get(dedup_key="first").status == Status.SKIPPED
    assert Notification.objects.get(dedup_key="second").status == Status.SENT
    assert [message.to for message in mail.outbox] == [["maria.new@school.example"]]


def test_temporary_refusal_is_retried_not_bounced(person, notice, smtp_server):
    smtp_server.mailbox.busy.add(person.email)
    enqueue([notice(person)])

    outcome = deliver_due()

    row = Notification.objects.get()
    assert outcome.retried == 1
    assert row.status == Status.PENDING and "450" in row.last_error
    assert Preference.objects.get(person=person).email_bounced_at is None


@pytest.mark.parametrize(("preference", "reason"), [
    ({"muted_kinds": ["event_reminder"]}, "отключил"),
    ({"unsubscribed_all": True}, "отписался"),
])
def test_muted_or_unsubscribed_person_is_skipped(person, notice, preference, reason):
    Preference.objects.create(person=person, **preference)
    enqueue([notice(person)])

    outcome = deliver_due()

    row = Notification.objects.get()
    assert outcome.skipped == 1 and mail.outbox == []
    assert row.status == Status.SKIPPED and reason in row.last_error


def test_person_without_email_is_skipped(municipality, notice):
    person = PersonFactory(municipality=municipality, email="")
    enqueue([notice(person)])

    deliver_due()

    assert Notification.objects.get().status == Status.SKIPPED


def test_muting_one_kind_keeps_the_others(person, notice):
    Preference.objects.create(person=person, muted_kinds=["event_reminder"])
    enqueue([notice(person, key="reminder"),
             notice(person, key="cancelled", kind="event_cancelled")])

    deliver_due()

    assert Notification.objects.get(dedup_key="cancelled").status == Status.SENT
    assert len(mail.outbox) == 1


def test_recover_stuck_resends_a_dead_workers_row_once_with_the_same_message_id(person, notice):
    enqueue([notice(person)])
    [row] = claim(10)  # a worker claimed it, then died before sending
    Notification.objects.update(locked_until=later(seconds=-1))  # its lease ran out

    result = recover_stuck()
    deliver_due()
    deliver_due()

    row.refresh_from_db()
    assert result == {"requeued": 1, "failed": 0}
    assert row.status == Status.SENT and row.attempts == 2
    assert [m.message()["Message-ID"] for m in mail.outbox] == [message_id(row)]


def test_recover_stuck_leaves_rows_whose_lease_runs(person, notice):
    enqueue([notice(person)])
    claim(10)

    assert recover_stuck() == {"requeued": 0, "failed": 0}
    assert deliver_due().handled == 0
    assert Notification.objects.get().status == Status.SENDING


def test_recover_stuck_fails_a_row_that_keeps_killing_workers(person, notice, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    enqueue([notice(person)])
    claim(10)
    Notification.objects.update(locked_until=later(seconds=-1))

    assert recover_stuck() == {"requeued": 0, "failed": 1}
    assert Notification.objects.get().status == Status.FAILED


def test_rows_are_given_back_when_the_lease_is_too_short_to_send(person, notice, settings):
    settings.NOTIFICATIONS_LEASE_SECONDS = 30
    settings.NOTIFICATIONS_SEND_MARGIN_SECONDS = 60
    enqueue([notice(person)])

    outcome = deliver_due()

    row = Notification.objects.get()
    assert outcome.released == 1 and mail.outbox == []
    assert row.status == Status.PENDING and row.attempts == 0


def test_resend_sends_a_failed_notification_again(person, notice, superuser):
    Preference.objects.create(person=person, email_bounced_at=timezone.now())
    enqueue([notice(person)])
    Notification.objects.update(status=Status.FAILED, attempts=8, last_error="550")

    resend(Notification.objects.get(), by=superuser)
    deliver_due()

    row = Notification.objects.get()
    assert row.status == Status.SENT and row.resent_by == superuser
    assert len(mail.outbox) == 1
    assert Preference.objects.get(person=person).email_bounced_at is None


def test_resend_of_a_sent_notification_is_refused(person, notice, superuser):
    enqueue([notice(person)])
    deliver_due()

    with pytest.raises(Conflict):
        resend(Notification.objects.get(), by=superuser)
    assert len(mail.outbox) == 1


def _queries_to_deliver(municipality, notice, count):
    people = PersonFactory.create_batch(count, municipality=municipality)
    enqueue([notice(person, key=f"n{count}:{person.pk}") for person in people])
    with CaptureQueriesContext(connection) as queries:
        outcome = deliver_due()
    assert outcome.sent == count
    return len(queries)


def test_deliver_due_queries_grow_by_a_fixed_number_per_message(municipality, notice):
    """First delivery creates the preferences (in bulk); per message, one UPDATE to "sent"."""
    two, four, six = (_queries_to_deliver(municipality, notice, n) for n in (2, 4, 6))

    assert six - four == four - two == 2


def test_person_awaiting_consent_gets_no_letter_but_a_signin_link(person, notice):
    Person.objects.filter(pk=person.pk).update(awaits_consent=True)
    enqueue([notice(person, key="reminder"),
             notice(person, key="signin", kind="signin_link")])

    deliver_due()

    reminder = Notification.objects.get(dedup_key="reminder")
    assert reminder.status == "skipped"
    assert reminder.last_error == "участник ещё не дал согласие на обработку персональных данных"
    assert Notification.objects.get(dedup_key="signin").status == "sent"
    assert len(mail.outbox) == 1


def test_signin_link_reaches_someone_who_unsubscribed_from_everything(person, notice):
    Preference.objects.create(person=person, unsubscribed_all=True)
    enqueue([notice(person, key="signin", kind="signin_link")])

    deliver_due()

    assert Notification.objects.get(dedup_key="signin").status == "sent"
