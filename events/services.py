"""Operations on events, registrations and attendance; every entry point writes through these."""

import datetime
import hmac
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import brakes, pipeline, rows
from config.errors import TooManyRequests
from events import notices, registration_sql
from events.errors import (
    Conflict,
    EventCancelled,
    EventFull,
    Forbidden,
    HasRegistrations,
    Invalid,
    MarkingClosed,
    NotFound,
    RegistrationClosed,
    SeatsFree,
    WrongCheckinCode,
)
from events.models import (
    Attendance,
    CalendarFeed,
    Event,
    EventChange,
    EventForm,
    Program,
    Registration,
    SheetClosure,
    Track,
)
from participants import roles
from participants.models import Person

log = logging.getLogger(__name__)

# Changes a calendar client must see: each raises SEQUENCE and is recorded in the history.
SIGNIFICANT_FIELDS = ("title", "description", "starts_at", "ends_at", "venue", "address", "room",
                      "online_url", "status")
EDITABLE_FIELDS = SIGNIFICANT_FIELDS + (
    "program", "track", "form", "capacity", "registration_opens_at", "registration_closes_at",
    "audience", "academic_hours",
)
CHECKIN_EARLY = datetime.timedelta(minutes=30)
# Attendance is marked from half an hour before the start (people arrive early) until a few
# hours after the end for mentors; later corrections are the curator's, for the record.
MARKING_EARLY = CHECKIN_EARLY
MARKING_LATE = datetime.timedelta(hours=3)


# --- who may do what -----------------------------------------------------------------------

def _is_staff_of(user, municipality):
    if user is None:
        return True  # a trusted caller: a command, a task, a test
    if user.is_superuser:
        return True
    return roles.can_manage(user) and roles.municipality_id_of(user) == municipality.pk


def _ensure_staff(user, municipality):
    if not _is_staff_of(user, municipality):
        raise Forbidden(_("Нет прав на изменение мероприятий этого муниципалитета."))


def _ensure_acts_for(user, person):
    """A person acts for themselves; a curator of their municipality acts for anyone there."""
    if user is not None and person.user_id == user.pk:
        return
    _ensure_staff(user, person.municipality)


def _ensure_can_mark(user, event):
    if user is None or user.is_superuser:
        return
    if roles.can_view(user) and roles.municipality_id_of(user) == event.municipality_id:
        return
    raise Forbidden(_("Отмечать посещаемость могут куратор и наставники муниципалитета."))


def _may_correct_later(user):
    """Curators and superusers correct attendance after the event; mentors only mark it."""
    return user is None or user.is_superuser or roles.can_manage(user)


def marking_state(event, user, now=None):
    """"open", "not_yet" (more than 30 minutes before the start) or "closed" for this user."""
    now = now or timezone.now()
    if now < event.starts_at - MARKING_EARLY:
        return "not_yet"
    if now > event.ends_at + MARKING_LATE and not _may_correct_later(user):
        return "closed"
    return "open"


def _check_marking_window(user, event):
    state = marking_state(event, user)
    if state == "not_yet":
        raise MarkingClosed(_("Отмечать посещаемость можно не раньше чем за 30 минут до начала "
                              "мероприятия."))
    if state == "closed":
        raise MarkingClosed(_("Мероприятие давно закончилось: исправить отметки может куратор."))


def announce(registration, kind, *, first=False, place_in_line=None, feed=None):
    """The one place a registration change is told to the person, through the outbox.

    `first`: the registration was made just now (see notices.notify_registration);
    `place_in_line` and `feed`: a waitlisted one's place and the person's feed, when the
    caller has them already.
    """
    log.debug("registration of person %s at event %s: %s", registration.person_id,
              registration.event_id, kind)
    if feed is None and kind != Registration.Status.CANCELLED:
        feed = feed_for(registration.person)
    notices.notify_registration(registration, kind, feed=feed, first=first,
                                place_in_line=place_in_line)


# --- planning ------------------------------------------------------------------------------

def _validated(event):
    try:
        event.full_clean(exclude=["checkin_code"], validate_constraints=False)
    except ValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0]
        raise Invalid(first, details={"fields": exc.message_dict}) from exc
    if event.ends_at <= event.starts_at:
        raise Invalid(_("Окончание должно быть позже начала."), details={"field": "ends_at"})
    if event.track_id and event.program_id and event.track.program_id != event.program_id:
        raise Invalid(_("Трек относится к другой программе."), details={"field": "track"})
    if event.form_id and event.form.municipality_id not in (None, event.municipality_id):
        raise Invalid(_("Форма «%(form)s» другого муниципалитета.") % {"form": event.form},
                      details={"field": "form"})
    return event


def _plain_audience(fields):
    """Audience codes as plain strings, each once, in the order given."""
    if isinstance(fields.get("audience"), list | tuple):
        fields["audience"] = list(dict.fromkeys(str(code) for code in fields["audience"]))
    return fields


def _checked(instance):
    """Model validation, constraints included, as a domain error instead of a database one."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0]
        raise Invalid(first, details={"fields": exc.message_dict}) from exc
    return instance


@transaction.atomic
def create_program(municipality, *, by=None, **fields):
    """Start a program of the school in a municipality."""
    _ensure_staff(by, municipality)
    program = _checked(Program(municipality=municipality, **fields))
    program.save()
    return program


@transaction.atomic
def create_track(program, *, by=None, topics=(), responsible=(), **fields):
    """Add a track to a program's roadmap."""
    _ensure_staff(by, program.municipality)
    track = _checked(Track(program=program, **fields))
    track.save()
    track.topics.set(topics)
    track.responsible.set(responsible)
    return track


@transaction.atomic
def create_event(municipality, *, by=None, topics=(), responsible=(), **fields):
    """Plan an event; the track's program is taken when only the track is given."""
    _ensure_staff(by, municipality)
    if fields.get("track") and not fields.get("program"):
        fields["program"] = fields["track"].program
    event = _validated(Event(municipality=municipality, **_plain_audience(fields)))
    event.save()
    event.topics.set(topics)
    event.responsible.set(responsible)
    EventChange.objects.create(event=event, kind=EventChange.Kind.CREATED, changed_by=by)
    return event


@transaction.atomic
def create_series(municipality, *, dates, duration, by=None, **fields):
    """A series ("monthly"): separate events at the given starts sharing one series id."""
    series_id = uuid.uuid4()
    return [
        create_event(municipality, by=by, starts_at=start, ends_at=start + duration,
                     series_id=series_id, **fields)
        for start in dates
    ]


def _as_history_value(value):
    if isinstance(value, list):
        return [_as_history_value(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value if value is None or isinstance(value, (int, str, bool)) else str(value)


@transaction.atomic
def update_event(event, *, by=None, topics=None, responsible=None, **changes):
    """Change an event; history is kept, SEQUENCE rises when a calendar must update."""
    _ensure_staff(by, event.municipality)
    event = Event.objects.select_for_update().get(pk=event.pk)
    old_program, old_track = event.program_id, event.track_id
    diff = {}
    for field, value in _plain_audience(changes).items():
        if field not in EDITABLE_FIELDS:
            raise Invalid(_("Поле «%(field)s» нельзя изменить так.") % {"field": field})
        old = getattr(event, field)
        if old != value:
            diff[field] = [_as_history_value(old), _as_history_value(value)]
            setattr(event, field, value)
    if topics is not None:
        event.topics.set(topics)
    if responsible is not None:
        _set_responsible(event, responsible)
    if not diff:
        return event
    _validated(event)
    if any(field in SIGNIFICANT_FIELDS for field in diff):
        event.sequence += 1
    event.save()
    _touch_left(diff, old_program=old_program, old_track=old_track)
    kind = (EventChange.Kind.RESCHEDULED if {"starts_at", "ends_at"} & diff.keys()
            else EventChange.Kind.UPDATED)
    EventChange.objects.create(event=event, kind=kind, changes=diff, changed_by=by)
    if any(field in SIGNIFICANT_FIELDS for field in diff):
        notices.notify_event_changed(event, diff)
    if "capacity" in diff:
        promote_waitlist(event)
    return event


def _set_responsible(event, people):
    """Replace who runs the event; their feeds gain or lose it, so their validators move."""
    before = set(event.responsible.values_list("pk", flat=True))
    after = {person.pk for person in people}
    if before == after:
        return
    event.responsible.set(people)
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(updated_at=now)
    # Someone no longer responsible loses the event from their feed: nothing of the event is
    # left there to carry the change time, so their own record carries it.
    Person.objects.filter(pk__in=before - after).update(updated_at=now)


def _touch_left(diff, *, old_program, old_track):
    """An event that left a program or track: that feed's validators must move."""
    now = timezone.now()
    if "program" in diff and old_program:
        Program.objects.filter(pk=old_program).update(updated_at=now)
    if "track" in diff and old_track:
        Track.objects.filter(pk=old_track).update(updated_at=now)


@transaction.atomic
def cancel_event(event, *, by=None, reason=""):
    """Cancel an event: it stays visible as cancelled, registrations are kept for the record."""
    _ensure_staff(by, event.municipality)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status, event.cancelled_at = Event.Status.CANCELLED, timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    EventChange.objects.create(
        event=event, kind=EventChange.Kind.CANCELLED, changed_by=by,
        changes={"status": [Event.Status.PLANNED, Event.Status.CANCELLED], "reason": reason},
    )
    notices.notify_event_cancelled(event, reason=reason)
    return event


# --- registration --------------------------------------------------------------------------

def _lock(event, *, in_municipality=None):
    """The event (an Event or its id) read again under its lock, with the related rows a
    letter's snapshot shows; NotFound when absent, or outside `in_municipality` if given."""
    # On PostgreSQL this row lock serialises registrations per event; on SQLite the IMMEDIATE
    # transaction has already taken the database write lock at BEGIN.
    found = registration_sql.event_for_update(getattr(event, "pk", event),
                                              municipality_id=in_municipality)
    if found is None:
        raise NotFound()
    return found


def registration_state(event, now=None):
    """Whether a person may register themselves now: "open", "not_yet", "closed", "started"."""
    now = now or timezone.now()
    if now >= event.starts_at:
        return "started"
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet"
    if event.registration_closes_at and now >= event.registration_closes_at:
        return "closed"
    return "open"


def _check_window(event, now):
    state = registration_state(event, now)
    if state == "started":
        raise RegistrationClosed(_("Мероприятие уже началось, запись закрыта."))
    if state == "not_yet":
        raise RegistrationClosed(_("Запись ещё не открыта."))
    if state == "closed":
        raise RegistrationClosed(_("Запись закрыта."))


def _free_seats(event):
    """Seats not taken by a confirmed registration; None when the event has no limit.
    (A registration counts them in its own statement: registration_sql.event_with_standing.)"""
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def _has_seat(event):
    free = _free_seats(event)
    return free is None or free > 0


def register(event, person, *, by=None):
    """Register a person: a seat if one is free, else the end of the waiting list. Idempotent."""
    return register_once(event, person, by=by)[0]


def register_once(event, person, *, by=None, in_municipality=None):
    """register(), also telling whether this call made the registration: (registration, made).

    Decided under the event's lock, so of two requests racing for one person exactly one made it.
    `event` is an Event or its id; `in_municipality`, the municipality whose events the caller
    sees (the API's scope): the locking query itself finds the event there, NotFound elsewhere.
    """
    _ensure_acts_for(by, person)
    # On PostgreSQL the transaction's statements are sent together (config.pipeline): the
    # event's lock and the standing in one wait, the new rows and the COMMIT in the next, so
    # that the event stays locked for two waits; a new row's key comes with the COMMIT.
    with pipeline.atomic():
        registration, made, read_key = _register_locked(
            getattr(event, "pk", event), person, by, in_municipality)
    read_key()
    return registration, made


def _register_locked(event_id, person, by, in_municipality):
    """register_once() inside its transaction: (registration, made, the new row's key reader)."""
    event, standing = registration_sql.event_with_standing(
        event_id, person, municipality_id=in_municipality)
    if event is None:
        raise NotFound()
    if person.municipality_id != event.municipality_id:
        raise Invalid(_("Участник из другого муниципалитета."))
    now, existing = standing.now, standing.existing
    if existing is not None:
        existing.event, existing.person = event, person  # the answer shows them: no query
    if existing and existing.status != Registration.Status.CANCELLED:
        return existing, False, _nothing
    if event.is_cancelled:
        raise EventCancelled(_("Мероприятие отменено."))
    # A curator registering someone else may do so outside the window (e.g. for the record).
    on_behalf = by is not None and person.user_id != by.pk
    if not on_behalf:
        _check_window(event, now)
    status = (Registration.Status.CONFIRMED
              if event.capacity is None or standing.taken < event.capacity
              else Registration.Status.WAITLISTED)
    registration = existing or Registration(event=event, person=person)
    registration.status, registration.queued_at = status, now
    registration.created_by = by if by is not None and by.is_authenticated else None
    if existing:
        # Back after a cancellation: a new version for their calendar. An UPDATE whose count
        # is not asked for (save() asks, and is not told until the statements are read).
        registration.sequence += 1
        registration.updated_at = now
        Registration.objects.filter(pk=registration.pk).update(
            status=status, queued_at=now, created_by=registration.created_by,
            sequence=registration.sequence, updated_at=now)
        # It keeps its old id, so notices counts its place in line itself.
        announce(registration, status, feed=standing.feed)
        return registration, True, _nothing
    # A new row is the last of the line (the newest id, queued now).
    read_key = rows.send_insert(registration)
    announce(registration, status, first=True, place_in_line=standing.waiting + 1,
             feed=standing.feed)
    return registration, True, read_key


def _nothing():
    return None


@transaction.atomic
def cancel_registration(registration, *, by=None):
    """Cancel a registration until the start; a freed seat goes to the first in line."""
    _ensure_acts_for(by, registration.person)
    event = _lock(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if timezone.now() >= event.starts_at and not _is_staff_of(by, event.municipality):
        raise RegistrationClosed(_("Мероприятие уже началось, отменить запись нельзя."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.sequence += 1
    registration.save(update_fields=["status", "sequence", "updated_at"])
    announce(registration, Registration.Status.CANCELLED)
    if was_confirmed:
        promote_waitlist(event)
    return registration


def promote_waitlist(event):
    """Give free seats to the waiting list in order; call inside a transaction holding the lock."""
    if event.is_cancelled:
        return []
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "queued_at", "id")
    free = _free_seats(event)
    if free is not None:
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.sequence += 1  # TENTATIVE → CONFIRMED in their calendar
        registration.save(update_fields=["status", "sequence", "updated_at"])
        announce(registration, "promoted")
    return promoted


@transaction.atomic
def move_to_waitlist(registration, *, by=None):
    """Curator: put a confirmed person at the end of the waiting list; the seat is passed on."""
    _ensure_staff(by, registration.event.municipality)
    event = _lock(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise Invalid(_("В лист ожидания можно перевести только записанного участника."))
    registration.status, registration.queued_at = Registration.Status.WAITLISTED, timezone.now()
    registration.sequence += 1
    registration.save(update_fields=["status", "queued_at", "sequence", "updated_at"])
    announce(registration, Registration.Status.WAITLISTED)
    promoted = promote_waitlist(event)
    if any(other.pk == registration.pk for other in promoted):
        # A free seat would hand them their place back at once: "waitlisted" then "promoted"
        # in the same second. Nothing is changed and nobody is written to.
        raise SeatsFree(_("Свободные места есть: участник сразу получил бы место снова. "
                          "Сначала уменьшите число мест."))
    registration.refresh_from_db()
    return registration


@transaction.atomic
def confirm_from_waitlist(registration, *, by=None):
    """Curator: give a seat to a particular person from the waiting list, if a seat is free."""
    _ensure_staff(by, registration.event.municipality)
    event = _lock(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != Registration.Status.WAITLISTED:
        raise Invalid(_("Участник не в листе ожидания."))
    if not _has_seat(event):
        raise EventFull(_("Свободных мест нет; сначала освободите место."))
    registration.status = Registration.Status.CONFIRMED
    registration.sequence += 1
    registration.save(update_fields=["status", "sequence", "updated_at"])
    announce(registration, "promoted")
    return registration


# --- attendance ----------------------------------------------------------------------------

@transaction.atomic
def mark_attendance(event, person, *, present=True, by=None, self_check_in=False):
    """Mark (or correct) one person's attendance; someone not registered is a walk-in."""
    if not self_check_in:
        _ensure_can_mark(by, event)
        _check_marking_window(by, event)
    if person.municipality_id != event.municipality_id:
        raise Invalid(_("Участник из другого муниципалитета."))
    closed = SheetClosure.objects.filter(event=event).exists()
    if closed and self_check_in:
        raise RegistrationClosed(_("Лист посещаемости закрыт; обратитесь к организатору."))
    before = Attendance.objects.filter(event=event, person=person).values_list(
        "present", flat=True).first() if closed else None
    registered = Registration.objects.filter(
        event=event, person=person,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    ).exists()
    attendance, _created = Attendance.objects.update_or_create(
        event=event, person=person,
        defaults={
            "present": present, "is_walk_in": not registered, "self_checked_in": self_check_in,
            "marked_by": by if by is not None and by.is_authenticated else None,
            "marked_at": timezone.now(),
        },
    )
    if closed and before != present:
        # After «лист закрыт» a correction is allowed but kept: who, when, whom, from what.
        EventChange.objects.create(
            event=event, kind=EventChange.Kind.ATTENDANCE, changed_by=_user_or_none(by),
            changes={"person_id": person.pk, "present": [before, present]},
        )
    return attendance


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def close_sheet(event, *, by=None):
    """«Лист закрыт»: the curator confirms the attendance sheet; later corrections are logged."""
    _ensure_staff(by, event.municipality)
    event = _lock(event)
    closure, created = SheetClosure.objects.get_or_create(
        event=event, defaults={"closed_by": _user_or_none(by)})
    if created:
        EventChange.objects.create(event=event, kind=EventChange.Kind.SHEET_CLOSED,
                                   changed_by=_user_or_none(by))
    return closure


def check_in(event, person, *, code, by=None):
    """Self check-in with the code shown at the event, while it runs, for registered people."""
    _ensure_acts_for(by, person)
    now = timezone.now()
    if not (event.starts_at - CHECKIN_EARLY <= now <= event.ends_at) or event.is_cancelled:
        raise RegistrationClosed(_("Отметиться можно только во время мероприятия."))
    # Six digits are a million codes: a few wrong ones per person and event, then only the
    # organiser can mark them. Counted outside any transaction, so a refusal does not undo it.
    door = f"{event.pk}:{person.pk}"
    if brakes.is_locked(None, "checkin-code", door, brakes.CHECKIN_WRONG_CODES):
        raise TooManyRequests(_("Слишком много неверных кодов. Попросите организатора отметить "
                                "вас на листе посещаемости."))
    if not hmac.compare_digest(str(code).strip(), event.checkin_code):
        brakes.fail(None, "checkin-code", door, brakes.CHECKIN_WRONG_CODES)
        raise WrongCheckinCode(_("Неверный код. Проверьте код на экране в зале."))
    if not Registration.objects.filter(event=event, person=person,
                                       status=Registration.Status.CONFIRMED).exists():
        raise Forbidden(_("Вы не записаны на это мероприятие; обратитесь к организатору."))
    return mark_attendance(event, person, present=True, by=by, self_check_in=True)


# --- calendar feeds ------------------------------------------------------------------------

def feed_for(person):
    """The person's feed, created on first use; the same token is shown again every time."""
    return registration_sql.feed_of(person) or _new_feed(person)


def _new_feed(person):
    # INSERT … ON CONFLICT DO NOTHING RETURNING: a feed made meanwhile by another transaction
    # wins and is read; no savepoint is needed (get_or_create takes one).
    return registration_sql.new_feed(person) or CalendarFeed.objects.get(person=person)


@transaction.atomic
def revoke_feed(person, *, by=None):
    """Replace the feed token; the old URL stops working at once."""
    _ensure_acts_for(by, person)
    CalendarFeed.objects.filter(person=person).delete()
    return CalendarFeed.objects.create(person=person)


# --- the curator's vocabulary and corrections ---------------------------------------------

def _form_name(name):
    name = " ".join(str(name).split())
    if not name:
        raise Invalid(_("Укажите название формы."), details={"field": "name"})
    return name


def _ensure_form_name_free(municipality, name, *, exclude=None):
    taken = EventForm.objects.usable_in(municipality)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    # Compared in Python: SQLite folds the case of ASCII letters only.
    if name.casefold() in {other.casefold() for other in taken.values_list("name", flat=True)}:
        raise Conflict(_("Форма «%(name)s» уже есть.") % {"name": name}, code="form_exists")


@transaction.atomic
def create_event_form(municipality, *, name, by=None):
    """A form of work of the municipality's own («мониторинг», «форум»); the curator adds it."""
    _ensure_staff(by, municipality)
    name = _form_name(name)
    _ensure_form_name_free(municipality, name)
    form = _checked(EventForm(municipality=municipality, name=name))
    form.save()
    return form


@transaction.atomic
def rename_event_form(form, *, name, by=None):
    """Rename a form: the municipality's own by its curator, a shared one only by a superuser."""
    if form.municipality_id is None:
        if by is not None and not by.is_superuser:
            raise Forbidden(_("Общие формы мероприятий меняет только администратор."))
    else:
        _ensure_staff(by, form.municipality)
    name = _form_name(name)
    _ensure_form_name_free(form.municipality, name, exclude=form)
    form.name = name
    _checked(form).save()
    return form


PROGRAM_FIELDS = ("name", "description", "start_date", "end_date", "curator", "early_reminder",
                  "late_reminder")
TRACK_FIELDS = ("number", "theme", "start_date", "end_date", "description")


def _apply(instance, changes, allowed):
    for field, value in changes.items():
        if field not in allowed:
            raise Invalid(_("Поле «%(field)s» нельзя изменить так.") % {"field": field})
        setattr(instance, field, value)
    return _checked(instance)


@transaction.atomic
def update_program(program, *, by=None, **changes):
    """Change a program; its feed's validators move with its change time."""
    _ensure_staff(by, program.municipality)
    program = Program.objects.select_for_update().get(pk=program.pk)
    _apply(program, changes, PROGRAM_FIELDS).save()
    return program


@transaction.atomic
def update_track(track, *, by=None, topics=None, responsible=None, **changes):
    """Change a track of a program's roadmap."""
    _ensure_staff(by, track.program.municipality)
    track = Track.objects.select_for_update().get(pk=track.pk)
    _apply(track, changes, TRACK_FIELDS).save()
    if topics is not None:
        track.topics.set(topics)
    if responsible is not None:
        track.responsible.set(responsible)
    return track


@transaction.atomic
def delete_event(event, *, by=None):
    """Remove an event entered by mistake; one anybody registered for is cancelled instead."""
    _ensure_staff(by, event.municipality)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.registrations.exists() or event.attendances.exists():
        raise HasRegistrations(_("На мероприятие уже записывались: удалить его нельзя, "
                                 "отмените его — участники получат уведомление."))
    notices.cancel_reminders(event)
    event.delete()
