"""What events forget of a person (registered with participants.erasure)."""

from django.db.models import F
from django.utils import timezone

from events.certificates.models import Certificate
from events.models import CalendarFeed, EventChange
from events.plan.models import PlanImport, PlanItem, PlanResponsible
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
    _forget_in_plans(traces)
    changes = EventChange.objects.filter(event__municipality_id=traces.municipality_id)
    for change in changes.only("changes").iterator():
        cleaned = scrub(change.changes, traces)
        if cleaned != change.changes:
            change.changes = cleaned
            change.save(update_fields=["changes"])


PLAN_TEXT_FIELDS = ("title", "period_text", "audience_note", "status_note")


def _forget_in_plans(traces):
    """A plan names people as text («Буглак С.Г.») when they were not in the registry at import:
    those names go from the items and their responsible, raw plan tables go (a pending one is
    uploaded again), previews lose every mention. Changed items get a new SEQUENCE, so that
    calendars showing the name replace the entry."""
    in_municipality = {"program__municipality_id": traces.municipality_id}
    changed = set()
    responsible = PlanResponsible.objects.filter(
        traces.matching("text"), item__program__municipality_id=traces.municipality_id)
    for row in responsible.only("pk", "text", "item_id"):
        if traces.mentions(row.text):
            PlanResponsible.objects.filter(pk=row.pk).update(text=traces.redact(row.text))
            changed.add(row.item_id)
    for field in PLAN_TEXT_FIELDS:
        items = PlanItem.objects.filter(traces.matching(field), **in_municipality)
        for pk, value in items.values_list("pk", field):
            if traces.mentions(value):
                PlanItem.objects.filter(pk=pk).update(**{field: traces.redact(value)})
                changed.add(pk)
    if changed:
        PlanItem.objects.filter(pk__in=changed).update(sequence=F("sequence") + 1,
                                                       updated_at=timezone.now())
    uploads = PlanImport.objects.filter(**in_municipality)
    uploads.filter(applied_at__isnull=True).delete()
    uploads.update(content=None)
    for upload in uploads.only("pk", "summary").iterator():
        summary = scrub(upload.summary, traces)
        if summary != upload.summary:
            PlanImport.objects.filter(pk=upload.pk).update(summary=summary)
