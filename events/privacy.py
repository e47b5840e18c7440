"""What events forget of a person (registered with participants.erasure)."""

from events.models import CalendarFeed, EventChange
from participants.erasure import scrub


def forget_person(traces):
    """Registrations and attendance stay on the anonymised row (they only count); the personal
    calendar link goes, and change history loses any mention."""
    CalendarFeed.objects.filter(person_id=traces.person_id).delete()
    changes = EventChange.objects.filter(event__municipality_id=traces.municipality_id)
    for change in changes.only("changes").iterator():
        cleaned = scrub(change.changes, traces)
        if cleaned != change.changes:
            change.changes = cleaned
            change.save(update_fields=["changes"])
