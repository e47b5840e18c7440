"""Delivery against faults seen from outside: a server back from an outage, a slow final reply,
a letter no longer worth sending, a worker gone, a stop asked for, one session per batch."""

import datetime
import smtplib

import pytest
from django.utils import timezone

from notifications import shutdown
from notifications.delivery import SERVER_DOWN, claim, deliver_due, recover_stuck
from notifications.models import Notification
from notifications.services import enqueue
from tests.notifications.smtp import free_port

pytestmark = pytest.mark.django_db
Status = Notification.Status


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def test_a_batch_is_one_smtp_session(person, notice, smtp_server):
    enqueue([notice(person, key=f"k{n}") for n in range(5)])

    assert deliver_due().sent == 5

    assert len(smtp_server.mailbox.messages) == 5
    assert len(smtp_server.mailbox.sessions) == 1


def test_letters_wait_out_an_outage_and_go_as_soon_as_the_server_answers(person, notice,
                                                                         settings):
    settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    enqueue([notice(person, key=f"down{n}") for n in range(3)])
    assert deliver_due().retried == 3
    waiting = Notification.objects.filter(status=Status.PENDING)
    assert all(row.scheduled_at > timezone.now() for row in waiting)
    assert all(row.last_error.startswith(SERVER_DOWN) for row in waiting)

    from tests.notifications.smtp import LocalSMTPServer

    with LocalSMTPServer() as server:  # the server is back
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        enqueue([notice(person, key="new")])
        outcome = deliver_due()  # the new letter goes, and the waiting ones are due again

    assert outcome.caught_up == 3 and outcome.sent == 4
    assert len(server.mailbox.messages) == 4


def test_a_refused_recipient_does_not_move_the_others_up(person, notice, smtp_server):
    smtp_server.mailbox.busy.add(person.email)  # 450: this mailbox, not the server
    enqueue([notice(person, key="busy")])
    deliver_due()
    smtp_server.mailbox.busy.clear()

    row = Notification.objects.get()
    assert row.status == Status.PENDING and not row.last_error.startswith(SERVER_DOWN)


def test_slow_reply_to_the_end_of_data_is_waited_for_not_sent_twice(person, notice,
                                                                   smtp_server, settings):
    settings.EMAIL_TIMEOUT = 1  # every other reply
    settings.EMAIL_FINAL_REPLY_TIMEOUT = 10  # RFC 5321 §4.5.3.2.6: 10 minutes in production
    smtp_server.mailbox.data_delay = 2  # the server stores the letter slowly
    enqueue([notice(person)])

    outcome = deliver_due()

    assert outcome.sent == 1 and outcome.retried == 0
    assert len(smtp_server.mailbox.messages) == 1


def test_final_reply_timeout_is_the_rfcs_ten_minutes_and_other_replies_thirty_seconds():
    from django.conf import settings

    from config import settings as production

    assert production.EMAIL_FINAL_REPLY_TIMEOUT == 600
    assert production.EMAIL_TIMEOUT == 30
    # django-q2 must not kill a worker that waits for that reply
    assert production.Q_CLUSTER["timeout"] > production.EMAIL_FINAL_REPLY_TIMEOUT
    assert production.Q_CLUSTER["retry"] > production.Q_CLUSTER["timeout"]
    assert settings.EMAIL_TIMEOUT  # the test settings keep one too


def test_smtp_timeout_before_the_end_of_data_is_the_short_one(settings):
    from notifications.smtp_backend import SMTP

    port = free_port()
    import socket

    with socket.socket() as listener:  # accepts, never greets: a frozen server
        listener.bind(("127.0.0.1", port))
        listener.listen()
        with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
            SMTP("127.0.0.1", port, timeout=0.5)


def test_a_letter_past_its_expiry_is_skipped_not_sent(person, notice, smtp_server):
    enqueue([notice(person, key="late", expires_at=later(seconds=-1)),
             notice(person, key="fine", expires_at=later(hours=1))])

    outcome = deliver_due()

    late = Notification.objects.get(dedup_key="late")
    assert outcome.sent == 1 and outcome.skipped == 1
    assert late.status == Status.SKIPPED and "устарело" in late.last_error
    assert len(smtp_server.mailbox.messages) == 1


def test_rows_of_a_dead_worker_on_this_host_are_recovered_before_the_lease_ends(person,
                                                                              notice):
    enqueue([notice(person)])
    claim(10)
    dead_pid = 2 ** 22 + 17  # above Linux's pid_max: no such process
    host = Notification.objects.get().claimed_by.rpartition(":")[0]
    Notification.objects.update(claimed_by=f"{host}:{dead_pid}", locked_until=later(minutes=5))

    assert recover_stuck() == {"requeued": 1, "failed": 0}
    assert Notification.objects.get().status == Status.PENDING


def test_rows_of_a_live_worker_are_left_alone(person, notice):
    enqueue([notice(person)])
    claim(10)  # claimed by this very process

    assert recover_stuck() == {"requeued": 0, "failed": 0}


def test_stop_asked_for_sends_nothing_more_and_gives_the_batch_back(person, notice,
                                                                  smtp_server):
    enqueue([notice(person, key=f"k{n}") for n in range(3)])
    shutdown.request()
    try:
        outcome = deliver_due()
    finally:
        shutdown.reset()

    assert outcome.sent == 0 and not outcome.more
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.PENDING, 0)}


def test_the_end_of_an_outage_is_noticed_without_a_new_letter(person, notice, settings):
    settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    enqueue([notice(person, key=f"down{n}") for n in range(2)])
    deliver_due()
    assert deliver_due().caught_up == 0  # still down: the probe leaves the backoff alone

    from tests.notifications.smtp import LocalSMTPServer

    with LocalSMTPServer() as server:
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        outcome = deliver_due()  # what the every-minute schedule runs

    assert outcome.caught_up == 2 and outcome.sent == 2
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}
