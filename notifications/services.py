"""The one way to send anything: callers describe messages, the outbox keeps and delivers them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

BATCH_SIZE = 1000


@dataclass(frozen=True)
class Message:
    """A message to one person. `dedup_key` is unique for ever: the same trigger twice is one
    message. `context` is a JSON snapshot, so that a message says what was true when it was made.
    """

    recipient_id: int
    kind: str
    dedup_key: str
    template: str
    context: dict = field(default_factory=dict)
    subject_key: str = ""
    scheduled_at: datetime.datetime | None = None
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = None


def enqueue(messages: Iterable[Message]) -> int:
    """Write messages into the outbox in batches, skipping keys already there; returns how many
    were given. Call inside the transaction of the change that causes them."""
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=m.recipient_id, kind=m.kind, dedup_key=m.dedup_key,
            template=m.template, context=m.context, subject_key=m.subject_key,
            scheduled_at=m.scheduled_at or now, attachment_name=m.attachment_name,
            attachment_type=m.attachment_type, attachment=m.attachment,
        )
        for m in messages
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(rows)


def cancel_pending(subject_key, *, kinds=None, recipient_ids=None):
    """Cancel messages about one object that are not sent yet (e.g. reminders of a moved event)."""
    pending = Notification.objects.filter(subject_key=subject_key,
                                          status=Notification.Status.PENDING)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    if recipient_ids is not None:
        pending = pending.filter(recipient_id__in=recipient_ids)
    return pending.update(status=Notification.Status.CANCELLED)
