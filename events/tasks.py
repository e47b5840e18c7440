"""django-q2 entry points of the events app: thin, safe to run twice."""

import datetime

from django.utils import timezone

from events import digest


def send_curator_digests(day=None):
    """Write today's curator digests into the outbox (the delivery task sends them)."""
    day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return digest.enqueue_curator_digests(day)
