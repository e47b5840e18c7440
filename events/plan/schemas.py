"""Shapes of the plan API: items in (In, Patch, status), items out, plan imports."""

import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from events.models import Event
from events.plan.models import PeriodKind, PlanItem
from events.plan.periods import period_label

# Literals, not the model enums: two enums named «Status» would collide in the OpenAPI.
PeriodKindValue = Literal[tuple(PeriodKind.values)]
ItemStatusValue = Literal[tuple(PlanItem.Status.values)]


class PlanResponsibleIn(Schema):
    """Exactly one of: a person of the registry, an organisation, a role written as text."""

    person_id: int | None = None
    organisation_id: int | None = None
    text: str | None = Field(None, max_length=300, description="например «МК»")


class PlanResponsibleOut(Schema):
    kind: Literal["person", "organisation", "text"]
    person_id: int | None
    organisation_id: int | None
    name: str = Field(..., description="как в плане: «Буглак С.Г.», школа или текст")


class PlanItemIn(Schema):
    program_id: int
    number: int | None = Field(None, ge=1, le=999_999)
    title: str = Field(..., min_length=1, max_length=1000)
    period_kind: PeriodKindValue = Field(
        ..., description="day — дата (можно с at_time), range — период, month — месяц "
        "(любой день месяца в starts_on), deadline — срок «до» (дата в ends_on или starts_on), "
        "whole — весь период программы (без дат)")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    at_time: datetime.time | None = Field(None, description="время по часовому поясу "
                                          "муниципалитета, только для day")
    period_text: str = Field("", max_length=200, description="срок, как написан в плане")
    track_id: int | None = None
    form_id: int | None = None
    audience: list[Event.Audience] = []
    audience_note: str = Field("", max_length=500)
    responsible: list[PlanResponsibleIn] = Field([], max_length=50)
    event_ids: list[int] = Field([], max_length=500)


class PlanItemPatch(Schema):
    number: int | None = Field(None, ge=1, le=999_999)
    title: str | None = Field(None, min_length=1, max_length=1000)
    period_kind: PeriodKindValue | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    at_time: datetime.time | None = None
    period_text: str | None = Field(None, max_length=200)
    track_id: int | None = None
    form_id: int | None = None
    audience: list[Event.Audience] | None = None
    audience_note: str | None = Field(None, max_length=500)
    responsible: list[PlanResponsibleIn] | None = Field(None, max_length=50)
    event_ids: list[int] | None = Field(None, max_length=500)


class PlanItemStatusIn(Schema):
    status: ItemStatusValue
    note: str | None = Field(None, max_length=5000, description="пусто — очистить; не задано — "
                             "оставить")
    evidence_url: str | None = Field(None, max_length=500)
    clear_evidence_file: bool = False


class PlanItemFilters(Schema):
    program_id: int | None = None
    track_id: int | None = None
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
