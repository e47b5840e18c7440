"""What events forget of a person (registered with participants.erasure)."""

from django.utils import timezone

from events.certificates.models import Certificate
from events.models import CalendarFeed, EventChange
from participants.erasure import REDACTED, scrub


def forget_person(traces):
    """Registrations and attendance stay on the anonymised row (they only count); the personal
    calendar link goes, and change history loses any mention."""
    CalendarFeed.objects.filter(person_id=traces.person_id).delete()
    # A certificate names its holder: the names go, and it is revoked, so that the paper copy
    # no longer finds a named record (the register keeps its number).
    Certificate.objects.filter(person_id=traces.person_id).update(
        holder_name=REDACTED, holder_name_dative="", revoked_reason=REDACTED)
    Certificate.objects.filter(person_id=traces.person_id, revoked_at=None).update(
        revoked_at=timezone.now())
    changes = EventChange.objects.filter(event__municipality_id=traces.municipality_id)
    for change in changes.only("changes").iterator():
        cleaned = scrub(change.changes, traces)
        if cleaned != change.changes:
            change.changes = cleaned
            change.save(update_fields=["changes"])
