"""Shapes of the plan API: items in (In, Patch, status), items out, plan imports."""

import datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from config.api_types import Date, Id, InSchema, Line, QueryId, Text, named_choices
from events.models import Event
from events.plan.models import PeriodKind, PlanItem
from events.plan.periods import period_label

# Names of their own: two enums named «Status» would collide in the OpenAPI.
PeriodKindValue = named_choices("PlanPeriodKind", PeriodKind)
ItemStatusValue = named_choices("PlanItemStatus", PlanItem.Status)
EventAudience = named_choices("EventAudience", Event.Audience)
Number = Annotated[int, Field(strict=True, ge=1, le=999_999)]


def _local_time(value):
    # «14:00» as text: a number would be read as seconds, an offset would not be the zone's.
    if not isinstance(value, str):
        raise PydanticCustomError("time_type", "not a time string")
    if any(mark in value for mark in ("+", "Z", "z")) or value.count("-"):
        raise PydanticCustomError("time_type", "a local time without an offset")
    return value


LocalTime = Annotated[datetime.time, BeforeValidator(_local_time)]


class PlanResponsibleIn(InSchema):
    """Exactly one of: a person of the registry, an organisation, a role written as text."""

    person_id: Id | None = None
    organisation_id: Id | None = None
    text: Line | None = Field(None, max_length=300, description="например «МК»")


class PlanResponsibleOut(Schema):
    kind: Literal["person", "organisation", "text"]
    person_id: int | None
    organisation_id: int | None
    name: str = Field(..., description="как в плане: «Буглак С.Г.», школа или текст")


class PlanItemIn(InSchema):
    program_id: Id
    number: Number | None = None
    title: Line = Field(..., min_length=1, max_length=1000)
    period_kind: PeriodKindValue = Field(
        ..., description="day — дата (можно с at_time), range — период, month — месяц "
        "(любой день месяца в starts_on), deadline — срок «до» (дата в ends_on или starts_on), "
        "whole — весь период программы (без дат)")
    starts_on: Date | None = None
    ends_on: Date | None = None
    at_time: LocalTime | None = Field(None, description="время «14:00» по часовому поясу "
                                      "муниципалитета, только для day")
    period_text: Line = Field("", max_length=200, description="срок, как написан в плане")
    track_id: Id | None = None
    form_id: Id | None = None
    audience: list[EventAudience] = Field([], max_length=10)
    audience_note: Line = Field("", max_length=500)
    responsible: list[PlanResponsibleIn] = Field([], max_length=50)
    event_ids: list[Id] = Field([], max_length=500)


class PlanItemPatch(InSchema):
    number: Number | None = None
    title: Line | None = Field(None, min_length=1, max_length=1000)
    period_kind: PeriodKindValue | None = None
    starts_on: Date | None = None
    ends_on: Date | None = None
    at_time: LocalTime | None = None
    period_text: Line | None = Field(None, max_length=200)
    track_id: Id | None = None
    form_id: Id | None = None
    audience: list[EventAudience] | None = Field(None, max_length=10)
    audience_note: Line | None = Field(None, max_length=500)
    responsible: list[PlanResponsibleIn] | None = Field(None, max_length=50)
    event_ids: list[Id] | None = Field(None, max_length=500)


class PlanItemStatusIn(InSchema):
    status: ItemStatusValue
    note: Text | None = Field(None, max_length=5000, description="пусто — очистить; не задано — "
                              "оставить")
    evidence_url: Line | None = Field(None, max_length=500)
    clear_evidence_file: bool = False


class PlanItemFilters(InSchema):
    program_id: QueryId | None = None
    track_id: QueryId | None = None
    status: ItemStatusValue | None = None


class PlanItemOut(Schema):
    id: int
    program_id: int
    track_id: int | None
    number: int | None
    title: str
    period_kind: PeriodKindValue
    starts_on: datetime.date = Field(..., description="первый день (для whole — программы)")
    ends_on: datetime.date = Field(..., description="последний день включительно")
    at_time: datetime.time | None
    period_label: str
    period_text: str
    form_id: int | None
    audience: list[str]
    audience_note: str
    responsible: list[PlanResponsibleOut]
    event_ids: list[int]
    status: ItemStatusValue
    status_note: str
    evidence_url: str
    evidence_file_url: str | None = Field(..., description="скачать файл подтверждения")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_starts_on(obj):
        return obj.start

    @staticmethod
    def resolve_ends_on(obj):
        return obj.end

    @staticmethod
    def resolve_period_label(obj):
        return period_label(obj.period_kind, obj.start, obj.end, obj.at_time)

    @staticmethod
    def resolve_responsible(obj):
        return [{"kind": r.kind, "person_id": r.person_id, "organisation_id": r.organisation_id,
                 "name": r.name} for r in obj.responsibles.all()]

    @staticmethod
    def resolve_event_ids(obj):
        return [event.pk for event in obj.events.all()]

    @staticmethod
    def resolve_evidence_file_url(obj):
        if not obj.evidence_file:
            return None
        return reverse("plan_item_evidence", args=[obj.pk])


class PlanImportOut(Schema):
    id: int
    program_id: int
    file_name: str
    created_at: datetime.datetime
    applied_at: datetime.datetime | None
    summary: dict[str, Any] = Field(
        ..., description="rows (каждая строка, как понята: номер, срок, ответственные, action "
        "create/update/unchanged), errors (строка и причина), counts")
