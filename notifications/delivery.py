"""Delivery of the outbox: claim due rows, send each one, record the outcome right after.

The outbox row, not the task queue, is the record of what must be sent. Tasks only say «look
now»: running deliver_due twice, or in two workers at once, sends nothing twice, because a row
is claimed (pending → sending, with a lease) in a transaction before it is sent.

Never lost, never twice — as far as SMTP allows:
- A row is marked "sent" in its own statement right after the SMTP server accepted the
  message. A worker that dies (SIGKILL, out of memory, django-q2's timeout, a power cut) leaves
  its claimed rows "sending" with a lease in the past.
- recover_stuck() puts such rows back to "pending", and they are sent again with the same
  Message-ID. Most likely they were never sent: the worker died while waiting to send or
  talking to the server. Only if it died in the instant between the server's «250 accepted»
  and the UPDATE to "sent" (a millisecond or so per message) does the person get the letter a
  second time, and then with the same Message-ID, which mail clients and servers that
  de-duplicate recognise as the same letter. SMTP offers no way to ask the server whether it
  already took a message, so choosing «maybe twice, recognisably» over «maybe never» is the
  choice left; we make the window as small as one UPDATE.
- A live worker never races the sweep: it starts a message only while at least
  NOTIFICATIONS_SEND_MARGIN_SECONDS of its lease remain, and the lease (5 minutes) outlasts
  django-q2's task timeout (60 s), after which the task is killed anyway.
"""

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import services
from notifications.channels import PermanentFailure, get_channel
from notifications.models import REQUESTED_KINDS, Notification
from notifications.rendering import render

logger = logging.getLogger(__name__)
Status = Notification.Status

DEFAULTS = {
    "BATCH_SIZE": 20,  # rows claimed at a time: a small batch keeps a dead worker's debt small
    "LEASE_SECONDS": 300,
    "SEND_MARGIN_SECONDS": 60,  # two SMTP timeouts: a message started then finishes in time
    "MAX_ATTEMPTS": 8,
    "RETRY_SECONDS": 60,  # first retry; each next one waits twice as long (1, 2, 4 … 64 min)
    "MAX_RETRY_SECONDS": 6 * 3600,
}


def option(name):
    """A delivery setting: NOTIFICATIONS_<name> in the settings, or the default above."""
    return getattr(settings, f"NOTIFICATIONS_{name}", DEFAULTS[name])


def backoff(attempts):
    """How long to wait before the next attempt after `attempts` failed ones."""
    seconds = option("RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, option("MAX_RETRY_SECONDS")))


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0  # claimed, but given back unsent: the time of this run was up
    more: bool = False  # stopped at the limit or the time budget while rows were still due

    @property
    def handled(self):
        return self.sent + self.retried + self.failed + self.skipped + self.released

    def as_dict(self):
        return asdict(self)


def deliver_due(limit=500, *, budget=None):
    """Send up to `limit` due notifications in small batches; call outside a transaction.

    `budget` (seconds) stops it from claiming more once spent; by default half of django-q2's
    task timeout, so that a task finishes before the cluster kills it.
    """
    if budget is None:
        budget = settings.Q_CLUSTER.get("timeout", 60) / 2
    deadline = time.monotonic() + budget
    outcome = Outcome()
    while outcome.handled < limit:
        if time.monotonic() >= deadline:
            outcome.more = True
            return outcome
        rows = claim(min(option("BATCH_SIZE"), limit - outcome.handled))
        if not rows:
            return outcome
        deliver_batch(rows, outcome, deadline=deadline)
        if outcome.released:
            # Out of time (or a lease shorter than the margin): claiming again would only
            # give back the same rows. Another task goes on if the budget was the reason.
            outcome.more = time.monotonic() >= deadline
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
            status=Status.SENDING, attempts=F("attempts") + 1,
            locked_until=now + datetime.timedelta(seconds=option("LEASE_SECONDS")),
        )
        return list(Notification.objects.filter(id__in=ids).order_by("scheduled_at", "id")
                    .select_related("recipient__municipality",
                                    "recipient__notification_preference"))


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
                if not time_left(row, deadline):
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
        retry_or_fail(row, f"{type(exc).__name__}: {exc}", outcome)
    else:
        # Right after the server's acceptance, one statement and so one short transaction of
        # its own: what stands between «accepted» and «recorded» is this UPDATE alone.
        Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), locked_until=None, last_error="")
        outcome.sent += 1


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
    ).update(status=Status.PENDING, locked_until=None, attempts=F("attempts") - 1)


def recover_stuck():
    """Put rows whose worker died while sending back in line (see the module's docstring).

    A row that has used up its attempts this way fails instead: something about it kills
    workers, and the curator should look at it.
    """
    now = timezone.now()
    stuck = Notification.objects.filter(status=Status.SENDING, locked_until__lt=now)
    note = "обработчик остановился во время отправки; письмо уйдёт снова с тем же Message-ID"
    with transaction.atomic():
        failed = stuck.filter(attempts__gte=option("MAX_ATTEMPTS")).update(
            status=Status.FAILED, locked_until=None, last_error=note)
        requeued = stuck.update(status=Status.PENDING, scheduled_at=now, locked_until=None,
                                last_error=note)
    if requeued or failed:
        logger.warning("notifications: %s stuck rows requeued, %s failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}
