"""What the events side tells people: registration changes, event changes, reminders.

The services call these inside the transaction of the change. Each message carries a snapshot
of the event formatted in its municipality's zone, and a dedup key built from what makes it
unique, so that the same trigger twice is one message. Delivery is the notifications app's job.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from config.text_input import clean_line
from events.calendar import event_calendar, event_path
from events.formatting import format_span, format_when
from events.models import Event, Registration, place_text
from notifications.services import Message, cancel_pending, enqueue
from participants.models import Person

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
# A registration change (a Registration.Status value or "promoted") → its kind and template.
REGISTRATION_KINDS = {
    "confirmed": "registration_confirmed",
    "waitlisted": "registration_waitlisted",
    "promoted": "registration_promoted",
    "cancelled": "registration_cancelled",
}
WITH_INVITATION = ("confirmed", "promoted")
# A registration that ended: its letter carries METHOD:CANCEL, so the event leaves the calendar.
WITH_CANCELLATION = ("cancelled",)
EVENT_CHANGED = "event_changed"
EVENT_CANCELLED = "event_cancelled"
EVENT_REMINDER = "event_reminder"
WHEN_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("venue", "address", "room")
# What people are told about; other significant changes (a description) only update calendars.
TOLD_FIELDS = WHEN_FIELDS + PLACE_FIELDS + ("online_url", "title", "status")


def subject_key(event):
    return f"event:{event.pk}"


def _stamp(moment):
    """A registration's round (its `queued_at`) in a key: a new round is a new message."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def event_context(event):
    """The snapshot of an event a message shows, times in the municipality's zone, named."""
    zone = event.municipality.zone
    # Names go into subjects and one-line fields of mails: one line, whatever a row holds.
    return {
        "event_id": event.pk,
        "title": clean_line(event.title),
        "form": clean_line(event.form.name),
        "program": clean_line(event.program.name) if event.program_id else "",
        "when": format_span(event.starts_at, event.ends_at, zone),
        "starts": format_when(event.starts_at, zone),
        "place": clean_line(event.place),
        "online_url": event.online_url,
        "event_url": event_path(event),  # made absolute when the letter is rendered
        "cancelled": event.is_cancelled,
    }


def _over(event):
    # A curator correcting the record of a past event: nothing to tell anyone.
    return event.ends_at <= timezone.now()


def feed_url(feed):
    """The feed's path; the letter's rendering adds the site address (as to every link)."""
    return f"/calendar/{feed.token}.ics"


def invitation_ics(*, event_id, person_id, method):
    """The `.ics` of a letter, made when it is sent: the event and the person's registration
    as they are then (the same calendar event_calendar() gives at any moment)."""
    event = (Event.objects.select_related("municipality", "program", "form", "venue")
             .filter(pk=event_id).first())
    person = Person.objects.filter(pk=person_id).first()
    if event is None or person is None:
        return None  # erased meanwhile: the letter goes without an invitation
    return event_calendar(event, method=method, attendee=person)


def _attachment(event, person_id, method):
    """A letter's invitation, made at delivery (notifications.rendering.attachment_content)."""
    return {"attachment_name": "event.ics", "attachment_type": f"text/calendar; method={method}",
            "attachment_source": "events.notices.invitation_ics",
            "attachment_args": {"event_id": event.pk, "person_id": person_id,
                                "method": method}}


def _place_in_line(registration):
    earlier = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
        queued_at__lte=registration.queued_at,
    ).exclude(queued_at=registration.queued_at, id__gt=registration.id)
    return earlier.count()


# --- registrations ----------------------------------------------------------------------------

def notify_registration(registration, change, *, feed=None, first=False, place_in_line=None):
    """Tell a person their registration changed, and keep their reminders in step with it.

    `change` is a Registration.Status value or "promoted"; `feed` is their calendar feed.
    `first`: the registration row was made just now. A person has one row per event, kept
    when cancelled and never deleted, and only its changes (and, while confirmed, reminders)
    write letters of this person about this event that a change supersedes; so before the
    first nothing of theirs can be pending, and nothing is looked for. `place_in_line`: a
    waitlisted registration's place, when the caller has counted it already.
    """
    change = str(change)
    kind = REGISTRATION_KINDS[change]
    event, person = registration.event, registration.person
    if _over(event):
        return 0
    context = {**event_context(event), "feed_url": feed_url(feed) if feed else ""}
    attachment, reminders = {}, []
    # What this person has not been sent yet about their registration is no longer true: a
    # "promoted" overtaken by a cancellation in the same moment is never sent on its own.
    # Without a seat their pending reminders go too: one UPDATE for both.
    superseded = list(REGISTRATION_KINDS.values())
    if change in WITH_INVITATION:
        attachment = _attachment(event, person.pk, "REQUEST")
        reminders = reminder_messages(event, [registration])
    else:
        superseded.append(EVENT_REMINDER)
    if not first:
        cancel_pending(subject_key(event), kinds=superseded, recipient_ids=[person.pk])
    if change in WITH_CANCELLATION:
        attachment = _attachment(event, person.pk, "CANCEL")
    if change == Registration.Status.WAITLISTED:
        context["place_in_line"] = (place_in_line if place_in_line is not None
                                    else _place_in_line(registration))
    # A registration's round starts when the person (re)joins: `queued_at` tells rounds apart.
    # The registration is named by its event and person (one row a person per event), not by
    # its id: a new row's letter is sent to the database with its INSERT, before the id is read.
    key = (f"registration:{registration.event_id}:{registration.person_id}:{change}:"
           f"{_stamp(registration.queued_at)}")
    message = Message(recipient_id=person.pk, kind=kind, template=kind, dedup_key=key,
                      context=context, subject_key=subject_key(event), **attachment)
    return enqueue([message, *reminders])


# --- reminders --------------------------------------------------------------------------------

def reminder_messages(event, registrations, *, now=None):
    """Reminders for confirmed registrations at the program's offsets; none in the past."""
    if event.is_cancelled:
        return []
    now = now or timezone.now()
    context = event_context(event)
    messages = []
    for offset in event.reminders:
        at = event.starts_at - offset
        if at <= now:
            continue
        minutes = int(offset.total_seconds() // 60)
        # The sequence makes a moved event's reminders new keys; the round, a re-registration's.
        prefix = f"event:{event.pk}:reminder:{minutes}m:seq{event.sequence}"
        messages += [
            Message(recipient_id=r.person_id, kind=EVENT_REMINDER, template=EVENT_REMINDER,
                    dedup_key=f"{prefix}:person:{r.person_id}:since{_stamp(r.queued_at)}",
                    context=context, subject_key=subject_key(event), scheduled_at=at,
                    # Checked when sent: a reminder never goes once the event has begun.
                    expires_at=event.starts_at)
            for r in registrations
        ]
    return messages


def schedule_reminders(event, registrations=None):
    """Write reminders for the event's confirmed registrations (or the given ones) in bulk."""
    if registrations is None:
        registrations = event.registrations.filter(status=Registration.Status.CONFIRMED)
    return enqueue(reminder_messages(event, registrations))


def cancel_reminders(event, *, person_ids=None):
    """Cancel the event's reminders not sent yet, for everyone or for some people."""
    return cancel_pending(subject_key(event), kinds=[EVENT_REMINDER], recipient_ids=person_ids)


# --- event changes ----------------------------------------------------------------------------

def _active_registrations(event):
    return list(event.registrations.filter(status__in=ACTIVE).select_related("person")
                .order_by("queued_at", "id"))


def _to_each(event, registrations, *, kind, context, method):
    """One message per registered or waitlisted person, each with their own invitation."""
    prefix = f"event:{event.pk}:{kind.removeprefix('event_')}:seq{event.sequence}"
    return [
        Message(recipient_id=registration.person_id, kind=kind, template=kind, context=context,
                dedup_key=f"{prefix}:person:{registration.person_id}",
                subject_key=subject_key(event),
                **_attachment(event, registration.person_id, method))
        for registration in registrations
    ]


def _old(diff, event, field):
    return diff[field][0] if field in diff else getattr(event, field)


def _when_row(event, diff):
    old_start, old_end = (_old(diff, event, field) for field in WHEN_FIELDS)
    old_start, old_end = (datetime.datetime.fromisoformat(value) if isinstance(value, str)
                          else value for value in (old_start, old_end))
    zone = event.municipality.zone
    return {"label": _("Время"), "old": format_span(old_start, old_end, zone),
            "new": format_span(event.starts_at, event.ends_at, zone)}


def _place_row(event, diff):
    venue = diff["venue"][0] if "venue" in diff else (str(event.venue) if event.venue_id else "")
    old = place_text(venue, _old(diff, event, "address"), _old(diff, event, "room"))
    return {"label": _("Место"), "old": old or _("не указано"),
            "new": event.place or _("не указано")}


def change_rows(event, diff):
    """What changed, old and new, as people read it; `diff` is update_event's history diff."""
    rows = []
    if diff.keys() & set(WHEN_FIELDS):
        rows.append(_when_row(event, diff))
    if diff.keys() & set(PLACE_FIELDS):
        rows.append(_place_row(event, diff))
    none = _("нет")
    if "online_url" in diff:
        rows.append({"label": _("Ссылка на трансляцию"), "old": diff["online_url"][0] or none,
                     "new": event.online_url or none})
    if "title" in diff:
        rows.append({"label": _("Название"), "old": clean_line(diff["title"][0]),
                     "new": clean_line(event.title)})
    if "status" in diff:
        rows.append({"label": _("Статус"), "old": Event.Status(diff["status"][0]).label,
                     "new": event.get_status_display()})
    return [{key: str(value) for key, value in row.items()} for row in rows]


def notify_event_changed(event, diff):
    """An event changed as calendars see it: tell who is coming and move their reminders.

    One enqueue for everyone: the change notices (when a told field changed) and the reminders
    with the new sequence, after the old pending ones are cancelled.
    """
    if event.is_cancelled:
        return notify_event_cancelled(event)
    # First: an event moved into the past keeps no reminder of its old time.
    cancel_reminders(event)
    if _over(event):
        return 0
    registrations = _active_registrations(event)
    messages = []
    if diff.keys() & set(TOLD_FIELDS):
        context = {**event_context(event), "changes": change_rows(event, diff)}
        messages += _to_each(event, registrations, kind=EVENT_CHANGED, context=context,
                             method="REQUEST")
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    messages += reminder_messages(event, confirmed)
    return enqueue(messages)


def notify_event_cancelled(event, *, reason=""):
    """Tell everyone registered or waitlisted that the event is cancelled; drop its reminders."""
    cancel_reminders(event)
    if _over(event):
        return 0
    context = {**event_context(event), "reason": reason}
    return enqueue(_to_each(event, _active_registrations(event), kind=EVENT_CANCELLED,
                            context=context, method="CANCEL"))
