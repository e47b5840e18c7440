"""The one way to send anything: callers describe messages, the outbox keeps and delivers them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Conflict
from notifications import wakeup
from notifications.models import REQUESTED_KINDS, Notification, Preference


@dataclass(slots=True)
class Message:
    """A message to one person. `dedup_key` is unique for ever: the same trigger twice is one
    message. `context` is a JSON snapshot, so that a message says what was true when it was made.

    An attachment is either `attachment` (bytes kept in the row) or `attachment_source`, the
    dotted path of a function called with `attachment_args` when the letter is sent, which
    returns the bytes: an invitation's `.ics` costs its sender nothing at enqueue.
    """

    recipient_id: int
    kind: str
    dedup_key: str
    template: str
    context: dict = field(default_factory=dict)
    subject_key: str = ""
    scheduled_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None  # not sent from then on (skipped)
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = None
    attachment_source: str = ""
    attachment_args: dict | None = None


# Columns written by enqueue(), in the order of its INSERT's parameters.
_COLUMNS = ("recipient_id", "channel", "kind", "dedup_key", "template", "context",
            "subject_key", "scheduled_at", "expires_at", "attachment_name", "attachment_type",
            "attachment", "attachment_source", "attachment_args", "status", "attempts",
            "last_error", "claimed_by", "created_at")


# Up to this many rows go in one statement (a registration's letter and reminders); more are
# one statement executed per row (executemany: a program's 20,000 reminders).
ROWS_IN_ONE_STATEMENT = 8


def _insert_sql(connection, rows=1):
    table = connection.ops.quote_name(Notification._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in _COLUMNS)
    marks = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * rows)
    key = connection.ops.quote_name("dedup_key")
    return f"INSERT INTO {table} ({names}) VALUES {marks} ON CONFLICT ({key}) DO NOTHING"


class _Adapted:
    """A field's values adapted for the database once per distinct value.

    A program's reminders share one event snapshot and two instants: 20,000 rows, one
    serialisation. Dicts are told apart by identity (kept alive here, so an id is not reused).
    """

    def __init__(self, field_name, connection):
        field = Notification._meta.get_field(field_name)
        self.adapt = lambda value: field.get_db_prep_save(value, connection)
        self.seen = {}

    def __call__(self, value):
        key = id(value) if isinstance(value, dict) else value
        if key not in self.seen:
            self.seen[key] = (value, self.adapt(value))
        return self.seen[key][1]


def _params(messages, connection, now):
    context = _Adapted("context", connection)
    args = _Adapted("attachment_args", connection)
    empty = args({})
    stamp = _Adapted("scheduled_at", connection)
    created = stamp(now)
    binary = Notification._meta.get_field("attachment")
    pending, email = Notification.Status.PENDING, Notification.Channel.EMAIL
    for m in messages:
        attachment = (binary.get_db_prep_save(m.attachment, connection)
                      if m.attachment is not None else None)
        yield (m.recipient_id, email, m.kind, m.dedup_key, m.template, context(m.context),
               m.subject_key, stamp(m.scheduled_at) if m.scheduled_at else created,
               stamp(m.expires_at) if m.expires_at else None,
               m.attachment_name, m.attachment_type, attachment, m.attachment_source,
               args(m.attachment_args) if m.attachment_args else empty, pending, 0, "", "", created)


def enqueue(messages: Iterable[Message]) -> int:
    """Write messages into the outbox, skipping keys already there; returns how many were given.

    Call inside the transaction of the change that causes them. One statement for all rows
    (INSERT … ON CONFLICT (dedup_key) DO NOTHING) rather than model instances: a few rows in
    its VALUES, many by executing it per row; a program's 20,000 reminders are written in well
    under a second.
    """
    messages = list(messages)
    if not messages:
        return 0
    now = timezone.now()
    connection = transaction.get_connection()
    # No savepoint inside the caller's transaction: nothing here is to be recovered from
    # (conflicts are ignored), and a failure undoes the caller's change anyway.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        rows = _params(messages, connection, now)
        if len(messages) <= ROWS_IN_ONE_STATEMENT:
            cursor.execute(_insert_sql(connection, len(messages)),
                           [value for row in rows for value in row])
        else:
            cursor.executemany(_insert_sql(connection), rows)
        if any(m.scheduled_at is None or m.scheduled_at <= now for m in messages):
            deliver_after_commit()
    return len(messages)


# Keys looked up per statement: under SQLite's limit of bound parameters.
KEY_BATCH = 500


def enqueue_new(messages: Iterable[Message]) -> int:
    """enqueue() that reports how many messages were new (not already in the outbox).

    For callers that tell a person "N letters queued": a repeat of the same trigger says 0.
    Call inside the caller's transaction, which holds the lock that serialises the trigger.
    """
    messages = list({m.dedup_key: m for m in messages}.values())
    keys = [m.dedup_key for m in messages]
    known = set()
    for start in range(0, len(keys), KEY_BATCH):
        known.update(Notification.objects.filter(dedup_key__in=keys[start:start + KEY_BATCH])
                     .values_list("dedup_key", flat=True))
    new = [m for m in messages if m.dedup_key not in known]
    enqueue(new)
    return len(new)


def deliver_after_commit():
    """Start a delivery task once the current transaction commits (at once outside of one).

    Not before: a task started inside the transaction could look for the rows before they
    exist. One wake-up per transaction however many enqueue() calls it makes, and the process
    coalesces the wake-ups of a surge into a few tasks (notifications/wakeup.py); later
    messages (reminders) are picked up by the every-minute schedule.
    """
    connection = transaction.get_connection()
    if any(callback is _start_delivery for _sids, callback, *_rest in connection.run_on_commit):
        return
    # robust: the change is committed; a broker that is down must not turn it into an error
    # page. The schedule delivers the rows within a minute anyway.
    transaction.on_commit(_start_delivery, robust=True)


def _start_delivery():
    wakeup.wake()


def cancel_pending(subject_key, *, kinds=None, recipient_ids=None):
    """Cancel messages about one object that are not sent yet (e.g. reminders of a moved event)."""
    pending = Notification.objects.filter(subject_key=subject_key,
                                          status=Notification.Status.PENDING)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    if recipient_ids is not None:
        pending = pending.filter(recipient_id__in=recipient_ids)
    return pending.update(status=Notification.Status.CANCELLED)



def set_aside(*, created_since, reason):
    """Keep the pending messages written since a moment unsent: skipped, with the reason.

    For letters nobody should receive, such as those the demo data writes to its invented
    people; they stay in the outbox to be looked at. Letters a person asked for (sign-in) still
    go. Returns {kind: count} of what was set aside.
    """
    rows = (Notification.objects.filter(status=Notification.Status.PENDING,
                                        created_at__gte=created_since)
            .exclude(kind__in=REQUESTED_KINDS))
    with transaction.atomic():
        counts = dict(rows.values_list("kind").annotate(n=Count("id")).order_by())
        rows.update(status=Notification.Status.SKIPPED, last_error=reason, locked_until=None)
    return counts

# --- preferences ------------------------------------------------------------------------------

def ensure_preferences(people):
    """Each person's Preference by person id, creating the missing ones in one bulk insert.

    Uses `person.notification_preference` when it was fetched with select_related.
    """
    found, missing = {}, set()
    for person in people:
        try:
            found[person.pk] = person.notification_preference
        except Preference.DoesNotExist:
            missing.add(person.pk)
    if missing:
        Preference.objects.bulk_create([Preference(person_id=pk) for pk in missing],
                                       ignore_conflicts=True)
        found.update({pref.person_id: pref
                      for pref in Preference.objects.filter(person_id__in=missing)})
    return found


def unsubscribe(preference):
    """Stop every message to this person (the one-click link in each letter)."""
    Preference.objects.filter(pk=preference.pk).update(unsubscribed_all=True)
    preference.unsubscribed_all = True
    return preference


def update_preferences(preference, *, muted_kinds, unsubscribed_all):
    """Save which kinds the person does not want, and whether they want nothing at all."""
    preference.muted_kinds = sorted(set(muted_kinds))
    preference.unsubscribed_all = unsubscribed_all
    preference.save(update_fields=["muted_kinds", "unsubscribed_all"])
    return preference


def mark_bounced(preference, email):
    """Remember that this address refuses mail, so that nothing more is tried on it."""
    now = timezone.now()
    Preference.objects.filter(pk=preference.pk).update(email_bounced_at=now, bounced_email=email)
    preference.email_bounced_at, preference.bounced_email = now, email
    return preference


def clear_bounce(preference):
    """Try the address again (a curator checked it, or the mailbox is back)."""
    Preference.objects.filter(pk=preference.pk).update(email_bounced_at=None, bounced_email="")
    preference.email_bounced_at, preference.bounced_email = None, ""
    return preference


# --- resending --------------------------------------------------------------------------------

RESENDABLE = (Notification.Status.FAILED, Notification.Status.SKIPPED)


def resend(notification, *, by):
    """Send a failed or skipped notification again, as the same message (same Message-ID).

    A curator asks for it after fixing the cause, so a bounce mark on the person is lifted;
    an unsubscribed person or a muted kind is still respected by delivery.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status__in=RESENDABLE).update(
            status=Notification.Status.PENDING, attempts=0, scheduled_at=now, locked_until=None,
            last_error="", resent_at=now, resent_by=by)
        if not updated:
            raise Conflict(_("Снова отправить можно только неотправленное уведомление."),
                           code="not_resendable")
        Preference.objects.filter(person_id=notification.recipient_id).update(
            email_bounced_at=None, bounced_email="")
        deliver_after_commit()
    notification.refresh_from_db()
    return notification
