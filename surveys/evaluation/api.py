"""REST endpoints of evaluation forms: JSON, and the same form as a PDF, XLSX or CSV file.

Staff only (curators and mentors). Every lookup goes through roles.scope, so a round, track or
program of another municipality is a 404, not a 403 that confirms it exists. The forms have no
per-person rows, whatever the round.
"""

from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from config.api_types import InSchema, PathId, QueryId
from events.models import Program, Track
from participants import roles
from surveys.errors import Forbidden
from surveys.evaluation import builder, exports
from surveys.models import Round

router = Router(tags=["Оценочные листы"])

Format = Literal["pdf", "xlsx", "csv"]
Value = str | int | float | None


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class FactOut(Schema):
    key: str
    label: str
    value: Value
    kind: str


class ChartOut(Schema):
    label_key: str
    value_key: str
    kind: str
    max_value: float | None
    compare_key: str


class TableOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, Value]]
    facts: list[FactOut]
    note: str
    chart: ChartOut | None


class SectionOut(Schema):
    key: str
    title: str
    tables: list[TableOut]


class FormOut(Schema):
    kind: str
    title: str
    header: list[FactOut]
    sections: list[SectionOut]


class PrePostQuery(InSchema):
    before_round_id: QueryId
    after_round_id: QueryId


def _scoped(user, model, path, pk):
    if not roles.can_view(user):
        raise Forbidden(_("Оценочные листы доступны куратору и наставникам муниципалитета."))
    return get_object_or_404(roles.scope(model.objects.all(), user, path), pk=pk)


def _round_form(user, round_id):
    return builder.round_evaluation(_scoped(user, Round, "municipality", round_id))


def _track_form(user, track_id):
    track = _scoped(user, Track, "program__municipality", track_id)
    return builder.series_evaluation(track)


def _program_form(user, program_id):
    return builder.series_evaluation(_scoped(user, Program, "municipality", program_id))


def _prepost_form(user, query):
    before = _scoped(user, Round, "municipality", query.before_round_id)
    after = _scoped(user, Round, "municipality", query.after_round_id)
    return builder.prepost_evaluation(before, after)


@router.get("/rounds/{round_id}/evaluation", response=FormOut, summary="Оценочный лист опроса")
def round_evaluation(request, round_id: PathId):
    """The evaluation form of a round: participation, every question's figures, free texts."""
    return _round_form(request.auth, round_id)


@router.get("/rounds/{round_id}/evaluation.{fmt}", summary="Оценочный лист опроса файлом")
def round_evaluation_file(request, round_id: PathId, fmt: Format):
    """The same form as a PDF, XLSX or CSV file."""
    return exports.download(_round_form(request.auth, round_id), fmt)


@router.get("/tracks/{track_id}/evaluation", response=FormOut, summary="Оценочный лист трека")
def track_evaluation(request, track_id: PathId):
    """The rounds of a track, event by event, with the trend of each question."""
    return _track_form(request.auth, track_id)


@router.get("/tracks/{track_id}/evaluation.{fmt}", summary="Оценочный лист трека файлом")
def track_evaluation_file(request, track_id: PathId, fmt: Format):
    return exports.download(_track_form(request.auth, track_id), fmt)


@router.get("/programs/{program_id}/evaluation", response=FormOut,
            summary="Оценочный лист программы")
def program_evaluation(request, program_id: PathId):
    """The rounds of a program, event by event, with the trend of each question."""
    return _program_form(request.auth, program_id)


@router.get("/programs/{program_id}/evaluation.{fmt}", summary="Оценочный лист программы файлом")
def program_evaluation_file(request, program_id: PathId, fmt: Format):
    return exports.download(_program_form(request.auth, program_id), fmt)


@router.get("/evaluation/prepost", response=FormOut, summary="Сравнение «до» и «после»")
def prepost_evaluation(request, query: Query[PrePostQuery]):
    """Before and after: per topic, the change of those who answered both rounds."""
    return _prepost_form(request.auth, query)


@router.get("/evaluation/prepost.{fmt}", summary="Сравнение «до» и «после» файлом")
def prepost_evaluation_file(request, fmt: Format, query: Query[PrePostQuery]):
    return exports.download(_prepost_form(request.auth, query), fmt)
