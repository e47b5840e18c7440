"""Delivery of the outbox: claim due rows, send each one, record the outcome right after.

The outbox row, not the task queue, is the record of what must be sent. Tasks only say «look
now»: running deliver_due twice, or in two workers at once, sends nothing twice, because a row
is claimed (pending → sending, with a lease and the claiming process's name) in a transaction
before it is sent.

Never lost, never twice — as far as SMTP allows:
- A row is marked "sent" in its own statement right after the SMTP server accepted the
  message. A worker that dies (SIGKILL, out of memory, django-q2's timeout, a power cut) leaves
  its claimed rows "sending".
- While a worker sends a batch, a thread renews the batch's lease every third of it, so a
  lease can be short (30 s) and still outlast a slow server: a worker alive is never taken
  for dead. A dead worker's rows are put back by recover_stuck() once the lease runs out, or at
  once when the worker that claimed them is visibly gone from this host (each new worker
  process looks, so a reincarnated or restarted cluster catches up within seconds).
- Rows put back are sent again with the same Message-ID. Only if the worker died between the
  server's «250 accepted» and the UPDATE to "sent" does the person get the letter twice, and
  then with the same Message-ID, which mail clients and servers that de-duplicate recognise.
  SMTP offers no way to ask whether the server already took a message (RFC 1047), so the
  messages in flight at a crash are the most that can be doubled.
- SIGTERM (notifications.shutdown) lets the letter in flight finish and gives the rest of the
  batch back unsent, with its attempt uncounted.
"""

import datetime
import logging
import os
import smtplib
import socket
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications import services, shutdown
from notifications.channels import PermanentFailure, get_channel
from notifications.models import REQUESTED_KINDS, Notification
from notifications.rendering import render

logger = logging.getLogger(__name__)
Status = Notification.Status

DEFAULTS = {
    "BATCH_SIZE": 50,  # rows claimed at a time; one SMTP session each
    "LEASE_SECONDS": 30,  # renewed every third of it while the batch is sent
    "SEND_MARGIN_SECONDS": 5,  # a letter is started only with this much of the lease left
    "MAX_ATTEMPTS": 8,
    "RETRY_SECONDS": 60,  # first retry; each next one waits twice as long (1, 2, 4 … 64 min)
    "MAX_RETRY_SECONDS": 6 * 3600,
    "TASK_BUDGET_SECONDS": 60,  # a delivery task claims no more after this; the next goes on
}

# last_error of a row whose server did not answer: moved up as soon as a letter goes out again.
SERVER_DOWN = "сервер не отвечает: "


def server_down(exc):
    """Whether a failure says the server is away (not that it refused this one letter).

    smtplib's errors are OSErrors too; of them only a lost or refused session counts.
    """
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def option(name):
    """A delivery setting: NOTIFICATIONS_<name> in the settings, or the default above."""
    return getattr(settings, f"NOTIFICATIONS_{name}", DEFAULTS[name])


def backoff(attempts):
    """How long to wait before the next attempt after `attempts` failed ones."""
    seconds = option("RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, option("MAX_RETRY_SECONDS")))


def worker_name():
    """This process as a claim names it: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0  # claimed, but given back unsent: time was up, or a stop was asked for
    more: bool = False  # stopped at the limit or the time budget while rows were still due
    caught_up: int = 0  # rows waiting out a backoff moved up because the server answered

    @property
    def handled(self):
        return self.sent + self.retried + self.failed + self.skipped + self.released

    def as_dict(self):
        return asdict(self)


def deliver_due(limit=2000, *, budget=None):
    """Send up to `limit` due notifications in batches; call outside a transaction.

    `budget` (seconds) stops it from claiming more once spent, so that a task ends well
    before django-q2's timeout and other tasks get a worker.
    """
    if budget is None:
        budget = option("TASK_BUDGET_SECONDS")
    deadline = time.monotonic() + budget
    outcome = Outcome()
    probed = False
    while outcome.handled < limit:
        if shutdown.requested():
            return outcome
        if time.monotonic() >= deadline:
            outcome.more = True
            return outcome
        rows = claim(min(option("BATCH_SIZE"), limit - outcome.handled))
        if not rows and not probed:
            # Nothing due, but letters may wait out an outage: if the server answers now,
            # they are due at once (the every-minute schedule is how an outage's end is seen).
            probed = True
            outcome.caught_up += probe_outage()
            rows = claim(min(option("BATCH_SIZE"), limit - outcome.handled))
        if not rows:
            return outcome
        with Lease(rows):
            deliver_batch(rows, outcome, deadline=deadline)
        if outcome.released:
            # Out of time or asked to stop: claiming again would only give back the same
            # rows. Another task goes on if the budget was the reason.
            outcome.more = time.monotonic() >= deadline and not shutdown.requested()
            return outcome
    outcome.more = Notification.objects.due().exists()
    return outcome


def claim(size):
    """Mark up to `size` due rows "sending" with a lease and one more attempt; return them.

    PostgreSQL: FOR UPDATE SKIP LOCKED lets workers claim different rows side by side. SQLite:
    the IMMEDIATE transaction holds the database's write lock, so claims run one at a time.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(Notification.objects.due(now).order_by("scheduled_at", "id")
                   .select_for_update(skip_locked=True).values_list("id", flat=True)[:size])
        if not ids:
            return []
        Notification.objects.filter(id__in=ids).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_by=worker_name(),
            locked_until=now + datetime.timedelta(seconds=option("LEASE_SECONDS")),
        )
        return list(Notification.objects.filter(id__in=ids).order_by("scheduled_at", "id")
                    .select_related("recipient__municipality",
                                    "recipient__notification_preference"))


class Lease:
    """While a batch is sent, renew its rows' lease every third of it from a thread.

    The thread has its own database connection; it stops with the batch, and dies with the
    process, which is how a dead worker's lease runs out.
    """

    def __init__(self, rows):
        self.ids = [row.pk for row in rows]
        self.rows = {row.pk: row for row in rows}
        self.done = threading.Event()
        self.thread = None

    def __enter__(self):
        if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("",
                                                                                 ":memory:"):
            return self  # an in-memory database is not shared between threads (tests)
        if connection.in_atomic_block:
            return self  # a test's transaction: nothing outside it could see the rows
        self.thread = threading.Thread(target=self._renew, daemon=True, name="lease")
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.done.set()
        if self.thread is not None:
            self.thread.join()

    def _renew(self):
        lease = option("LEASE_SECONDS")
        try:
            while not self.done.wait(lease / 3):
                until = timezone.now() + datetime.timedelta(seconds=lease)
                Notification.objects.filter(id__in=self.ids, status=Status.SENDING).update(
                    locked_until=until)
                for row in self.rows.values():
                    row.locked_until = until
        except Exception:  # the database is away: the batch goes on, the sweep may step in
            logger.exception("notifications: renewing a lease failed")
        finally:
            connection.close()  # this thread's own


def deliver_batch(rows, outcome, *, deadline):
    """Send claimed rows channel by channel; skipped ones are recorded together at the end."""
    preferences = services.ensure_preferences([row.recipient for row in rows])
    skipped = defaultdict(list)  # reason → ids
    by_channel = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    for name, group in by_channel.items():
        try:
            channel = get_channel(name)
        except KeyError:
            for row in group:
                fail(row, f"неизвестный канал «{name}»", outcome)
            continue
        try:
            for index, row in enumerate(group):
                if shutdown.requested() or not time_left(row, deadline):
                    release(group[index:], outcome)
                    break
                preference = preferences[row.recipient_id]
                address = channel.address(row.recipient)
                reason = skip_reason(row, preference, address)
                if reason:
                    skipped[reason].append(row.pk)
                    continue
                send_one(row, channel, preference, address, outcome)
        finally:
            channel.close()
    for reason, ids in skipped.items():
        outcome.skipped += Notification.objects.filter(id__in=ids, status=Status.SENDING).update(
            status=Status.SKIPPED, last_error=reason, locked_until=None)


def time_left(row, deadline):
    """Whether a message may still be started: the lease has margin and the run has time."""
    margin = datetime.timedelta(seconds=option("SEND_MARGIN_SECONDS"))
    return timezone.now() + margin < row.locked_until and time.monotonic() < deadline


def skip_reason(row, preference, address):
    """Why this notification must not be sent to this person, or "" when it may."""
    if row.expires_at is not None and row.expires_at <= timezone.now():
        return "устарело: срок, до которого письмо имело смысл, прошёл"
    if row.kind not in REQUESTED_KINDS:
        if preference.unsubscribed_all:
            return "получатель отписался от всех писем"
        if row.kind in preference.muted_kinds:
            return "получатель отключил уведомления этого вида"
        if row.recipient.awaits_consent:
            return "участник ещё не дал согласие на обработку персональных данных"
    if not address:
        return "у получателя нет адреса для этого канала"
    if row.channel == Notification.Channel.EMAIL and preference.is_bounced(address):
        return "адрес не принимает почту"
    return ""


def send_one(row, channel, preference, address, outcome):
    try:
        channel.send(row, render(row, preference))
    except PermanentFailure as exc:
        if exc.bounced:
            services.mark_bounced(preference, address)
        fail(row, str(exc), outcome)
    except Exception as exc:  # any other failure is worth another attempt later
        logger.warning("notification %s: attempt %s failed: %r", row.pk, row.attempts, exc)
        prefix = SERVER_DOWN if server_down(exc) else ""
        retry_or_fail(row, f"{prefix}{type(exc).__name__}: {exc}", outcome)
    else:
        # Right after the server's acceptance, one statement and so one short transaction of
        # its own: what stands between «accepted» and «recorded» is this UPDATE alone.
        Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), locked_until=None, last_error="")
        outcome.sent += 1
        if outcome.sent == 1:
            outcome.caught_up += catch_up(row.channel)


def catch_up(channel):
    """The server answers again: rows that wait out a backoff because it did not are due now.

    Otherwise an hour's outage leaves letters waiting up to an hour after it ends.
    """
    now = timezone.now()
    moved = Notification.objects.filter(
        status=Status.PENDING, attempts__gt=0, scheduled_at__gt=now, channel=channel,
        last_error__startswith=SERVER_DOWN,
    ).update(scheduled_at=now)
    if moved:
        logger.info("notifications: the server answers again; %s letters due now", moved)
    return moved


def probe_outage():
    """For each channel with letters waiting because its server did not answer: connect, and
    if it answers now, make them due (catch_up). No letter's attempt is spent on the probe."""
    now = timezone.now()
    waiting = (Notification.objects.filter(status=Status.PENDING, attempts__gt=0,
                                           scheduled_at__gt=now,
                                           last_error__startswith=SERVER_DOWN)
               .values_list("channel", flat=True).distinct())
    moved = 0
    for name in list(waiting):
        try:
            channel = get_channel(name)
        except KeyError:
            continue
        if channel.reachable():  # else still down: the letters keep their backoff
            moved += catch_up(name)
    return moved


def retry_or_fail(row, error, outcome):
    if row.attempts >= option("MAX_ATTEMPTS"):
        fail(row, error, outcome)
        return
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.PENDING, scheduled_at=timezone.now() + backoff(row.attempts),
        locked_until=None, last_error=error[:2000])
    outcome.retried += 1


def fail(row, error, outcome):
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.FAILED, locked_until=None, last_error=error[:2000])
    outcome.failed += 1


def release(rows, outcome):
    """Give claimed rows back unsent: the attempt did not happen, so it is not counted."""
    outcome.released += Notification.objects.filter(
        id__in=[row.pk for row in rows], status=Status.SENDING,
    ).update(status=Status.PENDING, locked_until=None, claimed_by="",
             attempts=F("attempts") - 1)


def _dead_here():
    """Names ("host:pid") of claims held by processes of this host that no longer run."""
    host = socket.gethostname()
    holders = (Notification.objects.filter(status=Status.SENDING,
                                           claimed_by__startswith=f"{host}:")
               .values_list("claimed_by", flat=True).distinct())
    dead = []
    for holder in holders:
        pid = holder.rpartition(":")[2]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(holder)
        except PermissionError:
            pass  # alive, someone else's
    return dead


def recover_stuck():
    """Put rows of dead workers back in line (see the module's docstring).

    Dead: the lease ran out, or the claiming process is gone from this host. A row that has
    used up its attempts this way fails instead: something about it kills workers, and the
    curator should look at it.
    """
    now = timezone.now()
    stuck = Notification.objects.filter(Q(locked_until__lt=now) | Q(claimed_by__in=_dead_here()),
                                        status=Status.SENDING)
    note = "обработчик остановился во время отправки; письмо уйдёт снова с тем же Message-ID"
    with transaction.atomic():
        failed = stuck.filter(attempts__gte=option("MAX_ATTEMPTS")).update(
            status=Status.FAILED, locked_until=None, last_error=note)
        requeued = stuck.update(status=Status.PENDING, scheduled_at=now, locked_until=None,
                                claimed_by="", last_error=note)
    if requeued or failed:
        logger.warning("notifications: %s stuck rows requeued, %s failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}
