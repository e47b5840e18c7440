"""Calendar feeds (iCalendar): a person's events, a program's, a track's, and a single event.

Pure builders: they read the database and return bytes; the views add HTTP around them.
Every time is written as a UTC instant (`...Z`), so every client shows the same moment;
the municipality's zone is named in X-WR-TIMEZONE and, in words, in the description.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import cached_property

import icalendar
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from config.text_input import clean_line, clean_text
from events import feed_sql, fragments, ics
from events.formatting import format_span
from events.identity import uid_domain
from events.models import Event, Registration
from events.plan import calendar as plan_calendar
from participants import roles
from participants.models import Person

UTC = datetime.UTC
# A personal feed looks back this far; older events only make the calendar slow to load.
PERSONAL_HISTORY = datetime.timedelta(days=365)
# A cancelled event stays (as CANCELLED) this long after its cancellation, so clients remove it.
CANCELLED_KEPT = datetime.timedelta(days=30)
REFRESH = datetime.timedelta(hours=1)
PRODID = "-//Mentoring school//Calendar//RU"
# Bump when the rendering changes, so that clients holding an ETag fetch the new body.
FORMAT_VERSION = 2
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
RELATED = feed_sql.RELATED


@dataclass(frozen=True)
class Feed:
    """What a feed shows: its name and zone, whose it is, and (built when a body is) its events
    and plan items.

    `scope` says whose feed it is (("person", pk), ("program", pk), ("track", pk)): the
    validators aggregate over the events that are or were in it (cancelled registrations,
    dropped cancellations, past history included) with the statement events.feed_sql keeps for
    that kind, so that an entry leaving the feed moves them too, and a 304 builds no queryset.
    """

    name: str
    time_zone: str
    scope: tuple
    now: datetime.datetime
    person: object = None
    # Whatever else the body depends on (names, zone, their change times), for the validators.
    depends_on: tuple = field(default=())
    history: datetime.timedelta | None = None

    @cached_property
    def events(self):
        """The events the feed shows (a lazy queryset)."""
        kind, pk = self.scope
        if kind == "person":
            registered = (Registration.objects.filter(person_id=pk, status__in=ACTIVE)
                          .values("event_id"))
            responsible = (Event.responsible.through.objects.filter(person_id=pk)
                           .values("event_id"))
            candidates = Event.objects.filter(Q(pk__in=registered) | Q(pk__in=responsible))
        else:
            candidates = Event.objects.filter(**{f"{kind}_id": pk})
        return _shown(candidates, self.now, self.history)

    @cached_property
    def plan_items(self):
        """Plan items that are or were in it (all-day entries); a feed with `history` shows
        those ending within it."""
        kind, pk = self.scope
        return plan_calendar.ITEMS[kind](pk)


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime.datetime | None


# --- which events ---------------------------------------------------------------------------

def _cancelled_gone(now):
    return Q(status=Event.Status.CANCELLED, cancelled_at__lt=now - CANCELLED_KEPT)


def _shown(candidates, now, history=None):
    events = candidates.exclude(_cancelled_gone(now))
    return events.filter(starts_at__gte=now - history) if history else events


def person_feed(person, *, now=None):
    """Events a person is registered for, waitlisted for or responsible for, and plan items they
    answer for, a year back on."""
    municipality = person.municipality
    name = _("Школа наставничества — %(name)s") % {
        "name": " ".join(p for p in (person.last_name, person.first_name) if p)}
    return Feed(name=name, time_zone=municipality.time_zone, person=person,
                scope=("person", person.pk), history=PERSONAL_HISTORY,
                now=now or timezone.now(),
                depends_on=(person.updated_at, municipality.time_zone,
                            municipality.updated_at))


def program_feed(program, *, now=None):
    """All events of a program (public)."""
    name = _("Школа наставничества — %(name)s") % {"name": program.name}
    municipality = program.municipality
    # The program's change time also moves when an event leaves it (services.update_event).
    return Feed(name=name, time_zone=municipality.time_zone, scope=("program", program.pk),
                now=now or timezone.now(),
                depends_on=(name, municipality.time_zone, program.updated_at,
                            municipality.updated_at))


def track_feed(track, *, now=None):
    """All events of a track (public)."""
    name = _("Школа наставничества — %(program)s, %(track)s") % {
        "program": track.program.name, "track": track}
    municipality = track.program.municipality
    return Feed(name=name, time_zone=municipality.time_zone, scope=("track", track.pk),
                now=now or timezone.now(),
                depends_on=(name, municipality.time_zone, track.updated_at,
                            track.program.updated_at, municipality.updated_at))


# --- ETag and Last-Modified -----------------------------------------------------------------

def _digest(*parts, depends_on=()):
    # Times of depends_on come from model instances or from events.feed_sql alike: as ISO text
    # in UTC, so that how a driver names the zone does not move the ETag.
    depends_on = [d.astimezone(UTC).isoformat() if isinstance(d, datetime.datetime) else d
                  for d in depends_on]
    return hashlib.sha256(repr((FORMAT_VERSION, uid_domain(), *parts, depends_on))
                          .encode()).hexdigest()


def _plan_since(feed, now):
    """The first day of plan items a feed looking back `history` shows; None: all."""
    return (now - feed.history).date() if feed.history else None


def feed_state(feed):
    """ETag and Last-Modified of a feed from one aggregate statement (events.feed_sql) and the
    plan items' state, before any body is built."""
    now = feed.now
    kind, scope = feed.scope
    row = feed_sql.candidates_state(kind, scope, gone=now - CANCELLED_KEPT,
                                    since=now - feed.history if feed.history else None)
    stamps = [feed_sql.instant(value) for key, value in row.items()
              if key.endswith("_changed") or key == "changed"]
    if row["cancelled_gone"] is not None:
        stamps.append(feed_sql.instant(row["cancelled_gone"]) + CANCELLED_KEPT)
    if row.get("history_gone") is not None:
        stamps.append(feed_sql.instant(row["history_gone"]) + feed.history)
    stamps += [d for d in feed.depends_on if isinstance(d, datetime.datetime)]
    plan_rows, plan_changed, plan_left = plan_calendar.state(
        feed_sql.plan_rows(kind, scope), since=_plan_since(feed, now))
    stamps.append(plan_changed)
    if plan_left is not None:
        stamps.append(plan_left + feed.history)
    stamps = [s for s in stamps if s is not None]
    # The ETag holds what the body is built from: each entry's revision and the names it shows.
    # The moments of leaving and the latest changes of events that left are in Last-Modified.
    names = [row[f"{name}_changed"] for name in RELATED]
    etag = _digest(feed_sql.entries(row["entries"]), names, plan_rows,
                   depends_on=feed.depends_on)[:32]
    return FeedState(etag=f'W/"{etag}"', last_modified=max(stamps) if stamps else None)


def _related_stamps(event):
    """Change times of the loaded rows whose names a single event's calendar shows."""
    return [getattr(event, name).updated_at for name in RELATED
            if getattr(event, f"{name}_id") is not None]


def event_state(event):
    """ETag and Last-Modified of a single-event calendar; no query beyond the loaded event."""
    stamps = [event.updated_at, *_related_stamps(event)]
    etag = _digest(event.pk, event.sequence, event.municipality.time_zone, stamps)
    return FeedState(etag=f'W/"{etag[:32]}"', last_modified=max(stamps))


# --- rendering ------------------------------------------------------------------------------

def event_uid(event):
    """The event's UID, the same in every feed and invitation, whatever the site's address."""
    return f"event-{event.pk}@{uid_domain()}"


def event_path(event):
    """The event's page on the site; mails keep the path, rendering adds the address."""
    return f"/events/{event.pk}/"


def event_url(event):
    return f"{settings.SITE_URL}{event_path(event)}"


class _Texts:
    """The description's wording, translated once per calendar instead of once per event."""

    def __init__(self):
        self.form = _("Форма: %(form)s")
        self.program = _("Программа: %(program)s")
        self.track = _("Трек: %(track)s")
        self.when = _("Когда: %(span)s")
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
    """Local time in words with the zone named as pages name it: «… (Владивосток, UTC+10)»."""
    return texts.when % {"span": format_span(event.starts_at, event.ends_at, zone)}


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


def vevent_properties(event, *, stamp, texts, waitlisted=False, sequence=None,
                      cancelled=False):
    """The properties of one VEVENT, {NAME: value}; `stamp` is DTSTAMP: the last revision for
    a feed, the sending for a mail.

    `sequence` is the person's version of the event (the event's SEQUENCE plus their
    registration's); `cancelled` says the event is off for the person it is addressed to.
    """
    zone = event.municipality.zone
    url = event_url(event)
    if event.is_cancelled or cancelled:
        status = "CANCELLED"
    else:
        status = "TENTATIVE" if waitlisted else "CONFIRMED"
    stamp = stamp.astimezone(UTC)
    properties = {
        "UID": event_uid(event),
        "DTSTAMP": stamp,
        "DTSTART": event.starts_at.astimezone(UTC),
        "DTEND": event.ends_at.astimezone(UTC),
        "SEQUENCE": event.sequence if sequence is None else sequence,
        "STATUS": status,
        # One-line properties stay one line whatever a row holds (a CR/LF written by a shell
        # or before the API cleaned titles): a bare line break would end the property early.
        "SUMMARY": clean_line(event.title),
    }
    location = clean_line("; ".join(part for part in (event.place, event.online_url) if part))
    if location:
        properties["LOCATION"] = location
    properties.update({
        "DESCRIPTION": _description(event, zone, url, texts, waitlisted=waitlisted),
        "URL": ics.Uri(url),
        "CATEGORIES": [clean_line(event.form.name)],
        "LAST-MODIFIED": stamp,
    })
    if status == "CANCELLED":
        properties["TRANSP"] = "TRANSPARENT"  # a cancelled event does not block the time
    return properties


def component(properties):
    """An icalendar VEVENT of the properties (invitations add ORGANIZER and ATTENDEE to it)."""
    vevent = icalendar.Event()
    for name, value in properties.items():
        vevent.add(name, value)
    return vevent


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
        registration_sequence=Subquery(mine.values("sequence")[:1]),
        is_responsible=Exists(Event.responsible.through.objects.filter(
            event=OuterRef("pk"), person=person)),
    )


_REVISION = ("pk", "updated_at", "sequence", *(f"{name}__updated_at" for name in RELATED))
# What vevent_properties reads of an event and its related rows: a feed of hundreds of events
# spent a third of its rendering loading the rest (JSON, decimals). Reading a field left out
# costs a query per event, which the query-count tests of the feeds would catch.
_RENDERED = ("title", "description", "starts_at", "ends_at", "status", "online_url", "address",
             "room", "sequence", "municipality__time_zone", "program__name", "form__name",
             "track__number", "track__theme", "venue__name", "venue__short_name")
_PERSONAL = ("registration_status", "registration_changed", "registration_sequence",
             "is_responsible")


def _entries(feed):
    """(pk, fragment key, stamp, person's SEQUENCE, waitlisted) of each event, in feed order.

    Read as plain values in one query: a model instance per row and related row would cost
    more than assembling the whole feed from fragments.
    """
    personal = feed.person is not None
    events = feed.events.order_by("starts_at", "pk")
    if personal:
        events = _with_person_status(events, feed.person)
    domain = uid_domain()
    for row in events.values_list(*_REVISION, *(_PERSONAL if personal else ())):
        pk, updated_at, sequence = row[:3]
        related = tuple(stamp for stamp in row[3:3 + len(RELATED)] if stamp is not None)
        stamp, person_sequence, waitlisted = updated_at, sequence, False
        if personal:
            status, changed, registration_sequence, responsible = row[3 + len(RELATED):]
            stamp = max(stamp, changed) if changed else stamp
            person_sequence += registration_sequence or 0
            # Whoever runs the event is expected there, whatever their registration says.
            waitlisted = not responsible and status == Registration.Status.WAITLISTED
        key = fragments.key(pk, updated_at, sequence, related=related, stamp=stamp,
                            sequence=person_sequence, waitlisted=waitlisted,
                            format_version=FORMAT_VERSION, uid_domain=domain)
        yield pk, key, stamp, person_sequence, waitlisted


def feed_ics(feed):
    """The feed as iCalendar bytes: a query for the events' revisions, one more for the events
    whose VEVENT is not in events.fragments (none when nothing changed), whatever their number.
    """
    entries = list(_entries(feed))
    parts = {pk: fragments.get(key) for pk, key, *_rest in entries}
    missing = [pk for pk, part in parts.items() if part is None]
    if missing:
        texts = _Texts()
        loaded = feed.events.select_related(*RELATED).only(*_RENDERED).in_bulk(missing)
        for pk, key, stamp, sequence, waitlisted in entries:
            if parts[pk] is None:
                parts[pk] = ics.vevent(vevent_properties(
                    loaded[pk], stamp=stamp, texts=texts, waitlisted=waitlisted,
                    sequence=sequence))
                fragments.put(key, parts[pk])
    body = [parts[pk] for pk, *_rest in entries]
    items = plan_calendar.shown(feed.plan_items, _plan_since(feed, feed.now))
    body += [ics.vevent(properties)
             for properties in plan_calendar.properties_of(items, host=uid_domain())]
    head, end = _calendar(feed.name, feed.time_zone).to_ical().rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, *body, b"END:VCALENDAR", end])


def _curator_of(event):
    """The person who answers for the event: the program's curator, else a curator of the
    municipality, each only with an e-mail address."""
    if event.program_id and event.program.curator_id:
        curator = Person.objects.filter(pk=event.program.curator_id).exclude(email="").first()
        if curator is not None:
            return curator
    return (Person.objects.filter(municipality_id=event.municipality_id,
                                  user__groups__name=roles.CURATOR, user__is_active=True)
            .exclude(email="").order_by("pk").first())


def organizer(event):
    """ORGANIZER of an invitation: the curator, else CALENDAR_ORGANIZER_EMAIL, else the sender."""
    curator = _curator_of(event)
    if curator is not None:
        name, address = curator.full_name, curator.email
    else:
        name, address = parseaddr(settings.CALENDAR_ORGANIZER_EMAIL
                                  or settings.DEFAULT_FROM_EMAIL)
    value = icalendar.vCalAddress(f"mailto:{address}")
    value.params["CN"] = clean_line(name) or _("Школа наставничества")
    return value


def attendee_address(person, *, waitlisted=False, cancelled=False):
    """ATTENDEE naming the person an invitation is addressed to, as RFC 5546 expects."""
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params.update({"CN": clean_line(person.full_name), "ROLE": "REQ-PARTICIPANT",
                           "RSVP": "FALSE"})
    if not cancelled:
        address.params["PARTSTAT"] = "TENTATIVE" if waitlisted else "ACCEPTED"
    return address


def event_calendar(event, *, method=None, attendee=None):
    """A calendar of one event; with method="REQUEST" (or "CANCEL") it is a mail invitation.

    `attendee` (a Person with an e-mail) is named in the invitation, and its SEQUENCE is their
    version of the event (the event's plus their registration's). A CANCEL addressed to a
    person whose registration ended says the event is off for them.
    """
    calendar = _calendar(event.title, event.municipality.time_zone, method=method)
    # For a published calendar DTSTAMP is the last revision; in a message, when it was made.
    stamp = timezone.now() if method else event.updated_at
    waitlisted, sequence = False, event.sequence
    if attendee is not None:
        registration = (Registration.objects.filter(event=event, person=attendee)
                        .values("status", "sequence").first())
        if registration:
            waitlisted = registration["status"] == Registration.Status.WAITLISTED
            sequence += registration["sequence"]
    cancelled = method == "CANCEL"
    vevent = component(vevent_properties(event, stamp=stamp, texts=_Texts(),
                                         waitlisted=waitlisted, sequence=sequence,
                                         cancelled=cancelled))
    if method:
        vevent.add("ORGANIZER", organizer(event))
    if method and attendee is not None and attendee.email:
        vevent.add("ATTENDEE", attendee_address(attendee, waitlisted=waitlisted,
                                                cancelled=cancelled))
    calendar.add_component(vevent)
    return calendar.to_ical()
