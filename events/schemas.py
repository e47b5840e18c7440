"""Shapes of the events API: what comes in (In, Patch, filters) and what goes out (Out)."""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from config.api_types import (
    Count,
    Date,
    Duration,
    Flag,
    Id,
    InSchema,
    Line,
    Moment,
    QueryDate,
    QueryId,
    SmallNumber,
    Text,
    named_choices,
)
from events.models import DEFAULT_REMINDERS, Event, Registration

# Model choices under names of their own: Event.Status and Registration.Status would both be
# "Status" in the OpenAPI, and Event.Audience would collide with the surveys' Round.Audience.
EventAudience = named_choices("EventAudience", Event.Audience)
EventStatus = named_choices("EventStatus", Event.Status)


def _listed(value):
    """One value sent as before (a string) is a list of one."""
    return [value] if isinstance(value, str) else value


def _distinct(codes):
    """Each code once, in the order sent."""
    return list(dict.fromkeys(codes))


AudienceList = Annotated[list[EventAudience], BeforeValidator(_listed), AfterValidator(_distinct)]
RegistrationStatus = named_choices("RegistrationStatus", Registration.Status)

# --- vocabularies and people ---------------------------------------------------------------


class EventFormOut(Schema):
    id: int
    name: str
    municipality_id: int | None = Field(
        None, description="null — общая форма (меняет администратор); иначе форма муниципалитета")


class EventFormIn(InSchema):
    name: Line = Field(..., min_length=1, max_length=255)
    municipality_id: Id | None = Field(
        None, description="По умолчанию — муниципалитет пользователя.")


class EventFormPatch(InSchema):
    name: Line = Field(..., min_length=1, max_length=255)


class MunicipalityOut(Schema):
    id: int
    name: str
    time_zone: str
    department: str
    department_name: str = Field(description="Как орган называется в шапке отчётов и на "
                                 "сертификатах: его название или, пока оно не внесено, общее")


class MunicipalityPatch(InSchema):
    department: Line = Field(..., max_length=300)


class TopicBriefOut(Schema):
    id: int
    name: str


class PersonBriefOut(Schema):
    id: int
    full_name: str


# --- programs and tracks -------------------------------------------------------------------


class ProgramIn(InSchema):
    name: Line = Field(..., min_length=1, max_length=255)
    description: Text = ""
    start_date: Date
    end_date: Date
    curator_id: Id | None = None
    early_reminder: Duration | None = Field(
        DEFAULT_REMINDERS[0], description="За сколько до начала первое напоминание; null — нет")
    late_reminder: Duration | None = Field(
        DEFAULT_REMINDERS[1], description="За сколько до начала второе напоминание; null — нет")
    municipality_id: Id | None = Field(
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


class ProgramPatch(InSchema):
    name: Line | None = Field(None, min_length=1, max_length=255)
    description: Text | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    curator_id: Id | None = None
    early_reminder: Duration | None = None
    late_reminder: Duration | None = None


class TrackPatch(InSchema):
    number: SmallNumber | None = Field(None, ge=1)
    theme: Line | None = Field(None, min_length=1, max_length=500)
    start_date: Date | None = None
    end_date: Date | None = None
    description: Text | None = None
    topic_ids: list[Id] | None = Field(None, max_length=1000)
    responsible_ids: list[Id] | None = Field(None, max_length=1000)


class TrackIn(InSchema):
    program_id: Id
    number: SmallNumber = Field(..., ge=1)
    theme: Line = Field(..., min_length=1, max_length=500)
    start_date: Date
    end_date: Date
    description: Text = ""
    topic_ids: list[Id] = Field([], max_length=1000)
    responsible_ids: list[Id] = Field([], max_length=1000)


class TrackOut(Schema):
    id: int
    program_id: int
    number: int
    theme: str
    start_date: datetime.date
    end_date: datetime.date
    description: str
    topics: list[TopicBriefOut]


class TrackFilters(InSchema):
    program_id: QueryId | None = None


# --- events --------------------------------------------------------------------------------


class EventIn(InSchema):
    title: Line = Field(..., min_length=1, max_length=500)
    description: Text = ""
    form_id: Id
    starts_at: Moment
    ends_at: Moment
    program_id: Id | None = None
    track_id: Id | None = None
    venue_id: Id | None = None
    address: Line = Field("", max_length=500)
    room: Line = Field("", max_length=100)
    online_url: Line = Field("", max_length=200)
    capacity: Count | None = None
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    audience: AudienceList = Field(
        [EventAudience.ALL_TEACHERS], min_length=1, max_length=len(Event.Audience),
        description="Для кого: одно или несколько значений (одно — можно строкой).")
    academic_hours: Decimal = Field(Decimal(0), ge=0, max_digits=5, decimal_places=1)
    topic_ids: list[Id] = Field([], max_length=1000)
    responsible_ids: list[Id] = Field([], max_length=1000)
    municipality_id: Id | None = Field(
        None, description="По умолчанию — муниципалитет пользователя.")


class EventSeriesIn(EventIn):
    """The first event of a series and the starts of the others; each lasts as long as the first.

    Registration windows are not copied: each event of a series closes registration at its start.
    """

    registration_opens_at: None = None
    registration_closes_at: None = None
    repeat_starts: list[Moment] = Field(..., min_length=1, max_length=60)


class EventPatch(InSchema):
    """Only the fields sent are changed; moving starts_at/ends_at reschedules the event.

    A field whose column cannot be empty refuses null (its default only marks "not sent");
    null clears the fields that may be empty (program, track, venue, capacity, windows).
    """

    title: Line = Field(None, min_length=1, max_length=500)
    description: Text = None
    form_id: Id = None
    starts_at: Moment = None
    ends_at: Moment = None
    program_id: Id | None = None
    track_id: Id | None = None
    venue_id: Id | None = None
    address: Line = Field(None, max_length=500)
    room: Line = Field(None, max_length=100)
    online_url: Line = Field(None, max_length=200)
    capacity: Count | None = None
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    audience: AudienceList = Field(None, min_length=1, max_length=len(Event.Audience))
    academic_hours: Decimal = Field(None, ge=0, max_digits=5, decimal_places=1)
    topic_ids: list[Id] = Field(None, max_length=1000)
    responsible_ids: list[Id] = Field(None, max_length=1000)


class EventCancelIn(InSchema):
    reason: Text = Field("", max_length=2000)


class EventFilters(InSchema):
    date_from: QueryDate | None = Field(
        None, description="С этого дня (по времени муниципалитета) включительно.")
    date_to: QueryDate | None = Field(
        None, description="По этот день (по времени муниципалитета) включительно.")
    track_id: QueryId | None = None
    program_id: QueryId | None = None
    form_id: QueryId | None = None
    topic_id: QueryId | None = None
    municipality_id: QueryId | None = None
    status: EventStatus | None = None
    audience: EventAudience | None = Field(None, description="Для кого среди прочих.")


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
    audience: list[EventAudience] = Field(..., description="Для кого (список значений).")
    responsible: list[PersonBriefOut]
    academic_hours: float

    @staticmethod
    def resolve_responsible(event):
        return list(event.responsible.all())
    status: str
    sequence: int
    series_id: uuid.UUID | None
    topics: list[TopicBriefOut]
    confirmed_count: int
    waitlisted_count: int
    attended_count: int


# --- registrations and attendance ----------------------------------------------------------


class RegistrationIn(InSchema):
    person_id: Id | None = Field(None, description="Не указан — записывается сам пользователь.")


class RegistrationFilters(InSchema):
    status: RegistrationStatus | None = None


class RegistrationOut(Schema):
    id: int
    event_id: int
    person: PersonBriefOut
    status: str
    queued_at: datetime.datetime
    created_at: datetime.datetime
    created_by_id: int | None


class AttendanceIn(InSchema):
    present: Flag


class CheckInIn(InSchema):
    code: Line = Field(..., min_length=1, max_length=16)


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
