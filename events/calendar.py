"""Calendar feeds (iCalendar): a person's events, a program's, a track's, and a single event.

Pure builders: they read the database and return bytes; the views add HTTP around them.
Every time is written as a UTC instant (`...Z`), so every client shows the same moment;
the municipality's zone is named in X-WR-TIMEZONE and, in words, in the description.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from config.text_input import clean_line, clean_text
from events.models import Event, Registration

UTC = datetime.UTC
# A personal feed looks back this far; older events only make the calendar slow to load.
PERSONAL_HISTORY = datetime.timedelta(days=365)
# A cancelled event stays (as CANCELLED) so clients remove it, then leaves the feed.
CANCELLED_KEPT = datetime.timedelta(days=30)
REFRESH = datetime.timedelta(hours=1)
PRODID = "-//Mentoring school//Calendar//RU"
# Bump when the rendering changes, so that clients holding an ETag fetch the new body.
FORMAT_VERSION = 1
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
RELATED = ("municipality", "program", "form", "track", "venue")


@dataclass(frozen=True)
class Feed:
    """What a feed shows: its events (a lazy queryset), its name and zone, whose it is."""

    name: str
    time_zone: str
    events: QuerySet
    person: object = None
    # Whatever else the body depends on (names, zone), for the ETag.
    depends_on: tuple = field(default=())


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime.datetime | None


# --- which events ---------------------------------------------------------------------------

def _drop_old_cancelled(events, now):
    return events.exclude(status=Event.Status.CANCELLED, starts_at__lt=now - CANCELLED_KEPT)


def person_feed(person, *, now=None):
    """Events a person is registered for, waitlisted for or responsible for, a year back on."""
    now = now or timezone.now()
    registered = Registration.objects.filter(person=person, status__in=ACTIVE).values("event_id")
    responsible = Event.responsible.through.objects.filter(person=person).values("event_id")
    events = Event.objects.filter(Q(pk__in=registered) | Q(pk__in=responsible),
                                  starts_at__gte=now - PERSONAL_HISTORY)
    municipality = person.municipality
    name = _("Школа наставничества — %(name)s") % {
        "name": " ".join(p for p in (person.last_name, person.first_name) if p)}
    return Feed(name=name, time_zone=municipality.time_zone, person=person,
                events=_drop_old_cancelled(events, now),
                depends_on=(person.updated_at, municipality.time_zone))


def program_feed(program, *, now=None):
    """All events of a program (public)."""
    events = _drop_old_cancelled(Event.objects.filter(program=program), now or timezone.now())
    name = _("Школа наставничества — %(name)s") % {"name": program.name}
    zone = program.municipality.time_zone
    return Feed(name=name, time_zone=zone, events=events, depends_on=(name, zone))


def track_feed(track, *, now=None):
    """All events of a track (public)."""
    events = _drop_old_cancelled(Event.objects.filter(track=track), now or timezone.now())
    name = _("Школа наставничества — %(program)s, %(track)s") % {
        "program": track.program.name, "track": track}
    zone = track.program.municipality.time_zone
    return Feed(name=name, time_zone=zone, events=events, depends_on=(name, zone))


# --- ETag and Last-Modified -----------------------------------------------------------------

def _digest(*parts):
    return hashlib.sha256(repr((FORMAT_VERSION, settings.SITE_URL, *parts)).encode()).hexdigest()


def feed_state(feed):
    """ETag and Last-Modified of a feed from one aggregate query, before any body is built."""
    aggregates = {
        "count": Count("pk"), "ids": Sum("pk"), "sequences": Sum("sequence"),
        "changed": Max("updated_at"),
    }
    if feed.person is not None:
        # Any change of the person's registrations, cancellations included; the subquery is
        # uncorrelated, so the database runs it once inside the same statement.
        latest = (Registration.objects.filter(person=feed.person).order_by("-updated_at")
                  .values("updated_at")[:1])
        aggregates["registrations_changed"] = Max(Subquery(latest))
    row = feed.events.order_by().aggregate(**aggregates)
    stamps = [row["changed"], row.get("registrations_changed"),
              *(d for d in feed.depends_on if isinstance(d, datetime.datetime))]
    stamps = [s for s in stamps if s is not None]
    etag = _digest(sorted(row.items()), feed.depends_on)[:32]
    return FeedState(etag=f'W/"{etag}"', last_modified=max(stamps) if stamps else None)


def event_state(event):
    """ETag and Last-Modified of a single-event calendar; no query beyond the loaded event."""
    etag = _digest(event.pk, event.updated_at, event.sequence, event.municipality.time_zone)
    return FeedState(etag=f'W/"{etag[:32]}"', last_modified=event.updated_at)


# --- rendering ------------------------------------------------------------------------------

def _host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_url(event):
    return f"{settings.SITE_URL}/events/{event.pk}/"


def _offset(moment):
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


class _Texts:
    """The description's wording, translated once per calendar instead of once per event."""

    def __init__(self):
        self.form = _("Форма: %(form)s")
        self.program = _("Программа: %(program)s")
        self.track = _("Трек: %(track)s")
        self.when = _("Когда: %(span)s по времени %(zone)s (UTC%(offset)s)")
        self.online = _("Трансляция: %(url)s")
        self.cancelled = _("Мероприятие отменено.")
        self.waitlisted = _("Вы в листе ожидания: место подтвердится, если освободится.")
        self.page = _("Страница мероприятия: %(url)s")
        self._tracks = {}

    def track_name(self, track):
        if track.pk not in self._tracks:
            self._tracks[track.pk] = str(track)
        return self._tracks[track.pk]


def _when(event, zone, texts):
    """Local time in words, with the zone named: «05.05.2026, 10:00–12:00 по времени …»."""
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    if start.date() == end.date():
        span = f"{start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M}"
    else:
        span = f"{start:%d.%m.%Y %H:%M} – {end:%d.%m.%Y %H:%M}"
    return texts.when % {"span": span, "zone": zone.key, "offset": _offset(start)}


def _description(event, zone, url, texts, *, waitlisted):
    lines = [texts.form % {"form": event.form.name}]
    if event.program_id:
        lines.append(texts.program % {"program": event.program.name})
    if event.track_id:
        lines.append(texts.track % {"track": texts.track_name(event.track)})
    lines.append(_when(event, zone, texts))
    if event.online_url:
        lines.append(texts.online % {"url": event.online_url})
    if event.is_cancelled:
        lines.append(texts.cancelled)
    elif waitlisted:
        lines.append(texts.waitlisted)
    if event.description:
        lines += ["", event.description.strip()]
    lines += ["", texts.page % {"url": url}]
    return clean_text("\n".join(lines))


def _vevent(event, *, host, stamp, texts, waitlisted=False):
    """One VEVENT; `stamp` is DTSTAMP: the last revision for a feed, the sending for a mail."""
    zone = event.municipality.zone
    url = event_url(event)
    if event.is_cancelled:
        status = "CANCELLED"
    else:
        status = "TENTATIVE" if waitlisted else "CONFIRMED"
    component = icalendar.Event()
    component.add("UID", f"event-{event.pk}@{host}")
    component.add("DTSTAMP", stamp.astimezone(UTC))
    component.add("DTSTART", event.starts_at.astimezone(UTC))
    component.add("DTEND", event.ends_at.astimezone(UTC))
    component.add("SEQUENCE", event.sequence)
    component.add("STATUS", status)
    # One-line properties stay one line whatever a row holds (a CR/LF written by a shell or
    # before the API cleaned titles): a bare line break would end the property early.
    component.add("SUMMARY", clean_line(event.title))
    location = clean_line("; ".join(part for part in (event.place, event.online_url) if part))
    if location:
        component.add("LOCATION", location)
    component.add("DESCRIPTION", _description(event, zone, url, texts, waitlisted=waitlisted))
    component.add("URL", url)
    component.add("CATEGORIES", [clean_line(event.form.name)])
    component.add("LAST-MODIFIED", stamp.astimezone(UTC))
    if event.is_cancelled:
        component.add("TRANSP", "TRANSPARENT")  # a cancelled event does not block the time
    return component


def _calendar(name, time_zone, *, method=None):
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method:
        calendar.add("METHOD", method)
    calendar.calendar_name = clean_line(name)  # NAME (RFC 7986) and X-WR-CALNAME
    calendar.add("X-WR-TIMEZONE", time_zone)
    if not method:  # a message is read once; only a published calendar is polled
        # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL.
        calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    return calendar


def _with_person_status(events, person):
    mine = Registration.objects.filter(event=OuterRef("pk"), person=person)
    return events.annotate(
        registration_status=Subquery(mine.values("status")[:1]),
        registration_changed=Subquery(mine.values("updated_at")[:1]),
        is_responsible=Exists(Event.responsible.through.objects.filter(
            event=OuterRef("pk"), person=person)),
    )


def feed_ics(feed):
    """The feed as iCalendar bytes: one query for the events, whatever their number."""
    events = feed.events.select_related(*RELATED).order_by("starts_at", "pk")
    if feed.person is not None:
        events = _with_person_status(events, feed.person)
    calendar = _calendar(feed.name, feed.time_zone)
    host, texts = _host(), _Texts()
    for event in events:
        stamp, waitlisted = event.updated_at, False
        if feed.person is not None:
            changed = event.registration_changed
            stamp = max(stamp, changed) if changed else stamp
            # Whoever runs the event is expected there, whatever their registration says.
            waitlisted = (not event.is_responsible
                          and event.registration_status == Registration.Status.WAITLISTED)
        component = _vevent(event, host=host, stamp=stamp, texts=texts, waitlisted=waitlisted)
        calendar.add_component(component)
    return calendar.to_ical()


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'noreply@' + _host()}")
    organizer.params["CN"] = clean_line(name) or _("Школа наставничества")
    return organizer


def event_calendar(event, *, method=None, attendee=None):
    """A calendar of one event; with method="REQUEST" (or "CANCEL") it is a mail invitation.

    `attendee` (a Person with an e-mail) is named in the invitation, as RFC 5546 expects.
    """
    calendar = _calendar(event.title, event.municipality.time_zone, method=method)
    # For a published calendar DTSTAMP is the last revision; in a message, when it was made.
    stamp = timezone.now() if method else event.updated_at
    waitlisted = False
    if attendee is not None:
        waitlisted = Registration.objects.filter(
            event=event, person=attendee, status=Registration.Status.WAITLISTED).exists()
    component = _vevent(event, host=_host(), stamp=stamp, texts=_Texts(),
                        waitlisted=waitlisted)
    if method:
        component.add("ORGANIZER", _organizer())
    if method and attendee is not None and attendee.email:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params.update({"CN": clean_line(attendee.full_name), "ROLE": "REQ-PARTICIPANT",
                               "PARTSTAT": "TENTATIVE" if waitlisted else "ACCEPTED",
                               "RSVP": "FALSE"})
        component.add("ATTENDEE", address)
    calendar.add_component(component)
    return calendar.to_ical()
