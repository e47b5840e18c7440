"""Plan items in the program and track feeds and in the feeds of the people responsible for them:
all-day entries, timed only when the plan gives a time; and what the feed's ETag must know.

All-day VEVENTs (`DTSTART;VALUE=DATE`, exclusive `DTEND`), not VTODO, even for a deadline:
Google Calendar, Yandex Calendar, Outlook and the iPhone show all-day VEVENTs of a subscribed
feed, while most of them drop VTODO from a subscription without a word. A deadline is an
all-day entry on the due date whose summary says «Срок».
"""

import datetime

import icalendar
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from events.plan.models import PeriodKind, PlanItem, PlanResponsible
from events.plan.periods import period_label

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)
def loaded(items):
    """The items with what rendering reads, in two queries whatever their number."""
    return (items.select_related("program__municipality", "form")
            .prefetch_related(Prefetch("responsibles", queryset=PlanResponsible.objects
                                       .select_related("person", "organisation")))
            .in_order())


def shown(items, since=None):
    """The items a feed shows: those ending on `since` or later (a person's feed looks back a
    year), or all of them."""
    return items if since is None else items.overlapping(since, None)


def state(rows, *, since=None):
    """(rows for the ETag, last change, when the last item left by `since`) of the items that
    are or were in a feed, from events.feed_sql.plan_rows (everything a rendered item shows:
    (pk, updated_at, …, last day)). An item leaves the day after its last day."""
    kept, gone = [], []
    for *fields, end in rows:
        if since is not None and end < since:
            gone.append(end)
        else:
            kept.append(tuple(fields))
    kept.sort(key=repr)
    changed = max((row[1] for row in kept), default=None)
    left = (datetime.datetime.combine(max(gone) + ONE_DAY, datetime.time.min, tzinfo=UTC)
            if gone else None)
    return kept, changed, left


def _summary(item):
    title = f"{item.number}. {item.title}" if item.number else item.title
    if item.period_kind == PeriodKind.DEADLINE:
        return _("Срок: %(title)s") % {"title": title}
    return title


def _description(item):
    program = item.program
    lines = [
        _("Пункт плана программы «%(program)s»") % {"program": program.name},
        _("Срок по плану: %(period)s") % {"period": period_label(
            item.period_kind, item.start, item.end, item.at_time)},
    ]
    names = [r.name for r in item.responsibles.all()]
    if names:
        lines.append(_("Ответственные: %(names)s") % {"names": ", ".join(names)})
    if item.form_id:
        lines.append(_("Форма: %(form)s") % {"form": item.form.name})
    lines.append(_("Исполнение: %(status)s") % {"status": item.get_status_display()})
    return "\n".join(lines)


def properties(item, *, host):
    """One item as a VEVENT's properties; UID `plan-item-<id>@<host>`, stable across edits."""
    stamp = item.updated_at.astimezone(UTC)
    values = {"UID": f"plan-item-{item.pk}@{host}", "DTSTAMP": stamp}
    if item.at_time is not None:
        # A day with a time («16.12.2022, 14:00»): that instant in the municipality's zone; no
        # end, as the plan gives none (RFC 5545: the event ends when it starts).
        zone = item.program.municipality.zone
        moment = datetime.datetime.combine(item.starts_on, item.at_time, tzinfo=zone)
        values["DTSTART"] = moment.astimezone(UTC)
    else:
        values["DTSTART"] = item.start  # a date: VALUE=DATE
        values["DTEND"] = item.end + ONE_DAY  # all-day ends are exclusive
    values.update({
        "SEQUENCE": item.sequence,
        "STATUS": "CONFIRMED",
        "SUMMARY": _summary(item),
        "DESCRIPTION": _description(item),
        "CATEGORIES": [_("План мероприятий")],
        "TRANSP": "TRANSPARENT",  # a plan line does not make anyone busy
        "LAST-MODIFIED": stamp,
    })
    return values


def component(item, *, host):
    """One item as an icalendar VEVENT."""
    vevent = icalendar.Event()
    for name, value in properties(item, host=host).items():
        vevent.add(name, value)
    return vevent


def properties_of(items, *, host):
    for item in loaded(items):
        yield properties(item, host=host)


def person_items(person):
    """Items the person answers for, named as a person of the registry (not as text)."""
    mine = PlanResponsible.objects.filter(person=person).values("item_id")
    return PlanItem.objects.filter(pk__in=mine)


def program_items(program):
    return PlanItem.objects.filter(program=program)


def track_items(track):
    return PlanItem.objects.filter(track=track)


# The items of each kind of feed, by the feed's scope (a person's, a program's, a track's pk).
ITEMS = {"person": person_items, "program": program_items, "track": track_items}
