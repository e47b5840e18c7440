"""The curators' daily digest: new registrations, full events, waiting lists.

Sections events cannot know of (rounds closing, from surveys, which imports events) come in from
the layer above as `extra_sections`: callables `(municipality, day) -> {"title", "rows"} | None`.
A task there calls `enqueue_curator_digests(day, extra_sections=[...])`.
"""

import datetime
import itertools
import zoneinfo

from django.db import transaction
from django.db.models import Count, Q

from events.calendar import event_path
from events.formatting import date_format, format_span
from events.models import Event, Registration
from notifications.services import Message, enqueue
from participants import roles
from participants.models import Person

CURATOR_DIGEST = "curator_digest"
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def _window(day, zone):
    """The local day before `day` in the municipality's zone: each registration in one digest."""
    until = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    since = datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(),
                                      tzinfo=zone)
    return since, until


def _events(municipality, since, until):
    active = Q(registrations__status__in=ACTIVE)
    return (
        Event.objects.filter(municipality=municipality, status=Event.Status.PLANNED,
                             ends_at__gte=since)
        .annotate(
            confirmed=Count("registrations", filter=Q(
                registrations__status=Registration.Status.CONFIRMED)),
            waitlisted=Count("registrations", filter=Q(
                registrations__status=Registration.Status.WAITLISTED)),
            new=Count("registrations", filter=active & Q(
                registrations__created_at__gte=since, registrations__created_at__lt=until)),
        )
        .order_by("starts_at", "pk")
    )


def _row(event, zone):
    return {"event_id": event.pk, "title": event.title, "url": event_path(event),
            "when": format_span(event.starts_at, event.ends_at, zone), "new": event.new,
            "confirmed": event.confirmed, "capacity": event.capacity,
            "waitlisted": event.waitlisted}


def curator_digest(municipality, day, *, extra_sections=()):
    """The digest's context for the morning of `day` (a date) in the municipality.

    `extra_sections` are ready sections `{"title": str, "rows": [str, ...]}` from other apps;
    empty ones are left out.
    """
    zone = municipality.zone
    since, until = _window(day, zone)
    new, full, waiting = [], [], []
    for event in _events(municipality, since, until):
        row = _row(event, zone)
        if event.new:
            new.append(row)
        if event.starts_at < until:
            continue  # started: its seats and waiting list no longer need the curator
        if event.capacity is not None and event.confirmed >= event.capacity:
            full.append(row)
        if event.waitlisted:
            waiting.append(row)
    return {
        "municipality": municipality.name,
        "day": date_format(day, "j E Y"),
        "period": date_format(since.date(), "j E Y"),
        "new_registrations": new,
        "full_events": full,
        "waiting_lists": waiting,
        "extra_sections": [section for section in extra_sections if section and section["rows"]],
    }


def is_empty(digest):
    return not any(digest[key] for key in ("new_registrations", "full_events", "waiting_lists",
                                           "extra_sections"))


def _curators(municipality_ids=None):
    """Curators with a person, grouped by municipality: (municipality, [person, ...])."""
    people = (Person.objects.filter(user__is_active=True, user__groups__name=roles.CURATOR)
              .select_related("municipality").order_by("municipality_id", "pk").distinct())
    if municipality_ids is not None:
        people = people.filter(municipality_id__in=municipality_ids)
    for _id, group in itertools.groupby(people, key=lambda person: person.municipality_id):
        group = list(group)
        yield group[0].municipality, group


def enqueue_curator_digests(day, *, extra_sections=(), municipality_ids=None):
    """Write the digest of `day` for every curator (of the given municipalities); running twice
    for one day sends it once.

    A municipality with nothing to report gets no digest.
    """
    messages = []
    for municipality, curators in _curators(municipality_ids):
        sections = [build(municipality, day) for build in extra_sections]
        context = curator_digest(municipality, day, extra_sections=sections)
        if is_empty(context):
            continue
        messages += [
            Message(recipient_id=person.pk, kind=CURATOR_DIGEST, template=CURATOR_DIGEST,
                    context=context, subject_key=f"digest:{municipality.pk}",
                    dedup_key=f"digest:{municipality.pk}:{day.isoformat()}:person:{person.pk}")
            for person in curators
        ]
    with transaction.atomic():
        return enqueue(messages)


# The local hour at which curators get their digest, in each municipality's own zone.
DIGEST_HOUR = 8


def mornings(now):
    """{local date: [municipality id, ...]} of the municipalities where it is 08:xx at `now`.

    The schedule runs every hour; each run writes the digests of the zones whose morning it
    is, so Kaliningrad and Kamchatka each get theirs at eight of their own clock.
    """
    from participants.models import Municipality

    due = {}
    for pk, zone_name in Municipality.objects.values_list("pk", "time_zone"):
        local = now.astimezone(zoneinfo.ZoneInfo(zone_name))
        if local.hour == DIGEST_HOUR:
            due.setdefault(local.date(), []).append(pk)
    return due
