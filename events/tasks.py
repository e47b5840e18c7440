"""django-q2 entry points of the events app: thin, safe to run twice."""

import datetime

from django.utils import timezone

from events import digest


def send_curator_digests(day=None):
    """Write the curator digests of the municipalities where it is now eight in the morning
    (the hourly schedule); with `day` (ISO date), that day's digests for every municipality."""
    if day:
        return digest.enqueue_curator_digests(datetime.date.fromisoformat(day))
    return sum(digest.enqueue_curator_digests(local_day, municipality_ids=ids)
               for local_day, ids in digest.mornings(timezone.now()).items())
