"""Shapes of the events API: what comes in (In, Patch, filters) and what goes out (Out)."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema
from pydantic import AwareDatetime

from events.models import DEFAULT_REMINDERS, Event, Registration

# --- vocabularies and people ---------------------------------------------------------------


class EventFormOut(Schema):
    id: int
    name: str


class TopicOut(Schema):
    id: int
    name: str


class PersonBriefOut(Schema):
    id: int
    full_name: str


# --- programs and tracks -------------------------------------------------------------------


class ProgramIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    description: str = ""
    start_date: datetime.date
    end_date: datetime.date
    curator_id: int | None = None
    early_reminder: datetime.timedelta | None = Field(
        DEFAULT_REMINDERS[0], description="За сколько до начала первое напоминание; null — нет")
    late_reminder: datetime.timedelta | None = Field(
        DEFAULT_REMINDERS[1], description="За сколько до начала второе напоминание; null — нет")
    municipality_id: int | None = Field(
        None, description="По умолчанию — муниципалитет пользователя.")


class ProgramOut(Schema):
    id: int
    municipality_id: int
    name: str
    description: str
    start_date: datetime.date
    end_date: datetime.date
    curator_id: int | None
    early_reminder: datetime.timedelta | None
    late_reminder: datetime.timedelta | None


class TrackIn(Schema):
    program_id: int
    number: int = Field(..., ge=1)
    theme: str = Field(..., min_length=1, max_length=500)
    start_date: datetime.date
    end_date: datetime.date
    description: str = ""
    topic_ids: list[int] = []
    responsible_ids: list[int] = []


class TrackOut(Schema):
    id: int
    program_id: int
    number: int
    theme: str
    start_date: datetime.date
    end_date: datetime.date
    description: str
    topics: list[TopicOut]


class TrackFilters(Schema):
    program_id: int | None = None


# --- events --------------------------------------------------------------------------------


class EventIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    description: str = ""
    form_id: int
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    program_id: int | None = None
    track_id: int | None = None
    venue_id: int | None = None
    address: str = ""
    room: str = ""
    online_url: str = ""
    capacity: int | None = Field(None, ge=1)
    registration_opens_at: AwareDatetime | None = None
    registration_closes_at: AwareDatetime | None = None
    audience: Event.Audience = Event.Audience.ALL_TEACHERS
    academic_hours: Decimal = Field(Decimal(0), ge=0, max_digits=5, decimal_places=1)
    topic_ids: list[int] = []
    responsible_ids: list[int] = []
    municipality_id: int | None = Field(
        None, description="По умолчанию — муниципалитет пользователя.")


class EventSeriesIn(EventIn):
    """The first event of a series and the starts of the others; each lasts as long as the first.

    Registration windows are not copied: each event of a series closes registration at its start.
    """

    registration_opens_at: None = None
    registration_closes_at: None = None
    repeat_starts: list[AwareDatetime] = Field(..., min_length=1, max_length=60)


class EventPatch(Schema):
    """Only the fields sent are changed; moving starts_at/ends_at reschedules the event."""

    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = None
    form_id: int | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    program_id: int | None = None
    track_id: int | None = None
    venue_id: int | None = None
    address: str | None = None
    room: str | None = None
    online_url: str | None = None
    capacity: int | None = Field(None, ge=1)
    registration_opens_at: AwareDatetime | None = None
    registration_closes_at: AwareDatetime | None = None
    audience: Event.Audience | None = None
    academic_hours: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)
    topic_ids: list[int] | None = None
    responsible_ids: list[int] | None = None


class EventCancelIn(Schema):
    reason: str = ""


class EventFilters(Schema):
    date_from: datetime.date | None = Field(
        None, description="С этого дня (по времени муниципалитета) включительно.")
    date_to: datetime.date | None = Field(
        None, description="По этот день (по времени муниципалитета) включительно.")
    track_id: int | None = None
    program_id: int | None = None
    form_id: int | None = None
    topic_id: int | None = None
    municipality_id: int | None = None
    status: Event.Status | None = None


class EventOut(Schema):
    id: int
    municipality_id: int
    program_id: int | None
    track_id: int | None
    title: str
    description: str
    form: EventFormOut
    starts_at: datetime.datetime = Field(..., description="Начало, ISO 8601 со смещением (UTC).")
    ends_at: datetime.datetime
    local_starts_at: datetime.datetime = Field(
        ..., description="Начало по времени муниципалитета, ISO 8601 с его смещением.")
    local_ends_at: datetime.datetime
    time_zone: str = Field(..., alias="municipality.time_zone")
    venue_id: int | None
    address: str
    room: str
    online_url: str
    capacity: int | None
    registration_opens_at: datetime.datetime | None
    registration_closes_at: datetime.datetime | None
    audience: str
    academic_hours: float
    status: str
    sequence: int
    series_id: uuid.UUID | None
    topics: list[TopicOut]
    confirmed_count: int
    waitlisted_count: int
    attended_count: int


# --- registrations and attendance ----------------------------------------------------------


class RegistrationIn(Schema):
    person_id: int | None = Field(None, description="Не указан — записывается сам пользователь.")


class RegistrationFilters(Schema):
    status: Registration.Status | None = None


class RegistrationOut(Schema):
    id: int
    event_id: int
    person: PersonBriefOut
    status: str
    queued_at: datetime.datetime
    created_at: datetime.datetime
    created_by_id: int | None


class AttendanceIn(Schema):
    present: bool


class CheckInIn(Schema):
    code: str = Field(..., min_length=1, max_length=16)


class AttendanceOut(Schema):
    event_id: int
    person: PersonBriefOut
    present: bool
    is_walk_in: bool
    self_checked_in: bool
    marked_at: datetime.datetime


class AttendanceRowOut(Schema):
    """One line of the attendance sheet: a registered person or a walk-in, marked or not."""

    person_id: int = Field(..., alias="id")
    full_name: str
    registration_status: str | None = Field(..., description="Пусто — пришёл без записи.")
    present: bool | None = Field(..., description="Пусто — ещё не отмечен.")
    is_walk_in: bool | None
    self_checked_in: bool | None
    marked_at: datetime.datetime | None


class AttendedEventOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    academic_hours: float


class AttendanceSummaryOut(Schema):
    person_id: int
    events_attended: int
    academic_hours: float
    events: list[AttendedEventOut]
