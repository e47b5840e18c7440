"""`GET /api/v1/planning/themes`: the ranked difficulties, their coverage, gaps, suggestions.

Staff only; scoped to the user's municipality (a round of another one is a 404). Errors come in
the common shape of config/api_errors.py.
"""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from config.api_types import Date, Id, InSchema, QueryDate, QueryId
from events.models import Program
from participants import roles
from participants.models import Person, Topic
from planning.themes import services
from planning.themes.form import themes_form
from planning.themes.query import themes_for
from surveys.evaluation import exports

router = Router(tags=["Планирование"])


class ThemesQuery(InSchema):
    start: QueryDate | None = None
    end: QueryDate | None = None
    round_id: QueryId | None = None
    municipality_id: QueryId | None = None


class ThemesTopicOut(Schema):
    topic_id: int
    name: str
    n: int
    mean: float | None
    hard_share: float | None


class ThemesGroupOut(Schema):
    label: str
    n: int
    topics: list[ThemesTopicOut]


class ThemesMentorOut(Schema):
    person_id: int
    name: str
    school: str
    load: int
    capacity: int


class ThemesEventOut(Schema):
    event_id: int
    title: str
    starts_at: datetime.datetime
    held: bool


class ThemesTrackOut(Schema):
    track_id: int
    title: str
    is_draft: bool


class ThemesCoverageOut(Schema):
    topic: ThemesTopicOut
    tracks: list[ThemesTrackOut]
    events: list[ThemesEventOut]
    mentors: list[ThemesMentorOut]
    is_gap: bool


class ThemesOut(Schema):
    municipality: str
    start: datetime.date
    end: datetime.date
    rounds: list[str]
    respondents: int | None
    suppressed: bool
    overall: list[ThemesTopicOut]
    schools: list[ThemesGroupOut]
    hidden_schools: list[str]
    experience: list[ThemesGroupOut]
    hidden_experience: list[str]
    coverage: list[ThemesCoverageOut]
    suggestions: list[ThemesCoverageOut]


def _themes(request, query):
    return themes_for(request.auth, municipality_id=query.municipality_id, start=query.start,
                      end=query.end, round_id=query.round_id)


@router.get("/planning/themes", response=ThemesOut, summary="Темы по затруднениям")
def themes(request, query: Query[ThemesQuery]):
    """Topics ranked by difficulty (overall, per school, per experience group), coverage,
    gaps and suggestions for the next period's tracks."""
    found = _themes(request, query)
    return {
        "municipality": found.municipality.name, "start": found.start, "end": found.end,
        "rounds": [r.title for r in found.rounds],
        # The count of a suppressed report is itself a small group: not given.
        "respondents": None if found.suppressed else found.respondents,
        "suppressed": found.suppressed, "overall": found.overall, "schools": found.schools,
        "hidden_schools": found.hidden_schools, "experience": found.experience,
        "hidden_experience": found.hidden_experience,
        "coverage": [_coverage(c) for c in found.coverage],
        "suggestions": [_coverage(c) for c in found.suggestions]}


def _coverage(item):
    return {"topic": item.topic, "tracks": item.tracks, "events": item.events,
            "mentors": item.mentors, "is_gap": item.is_gap}


@router.get("/planning/themes.{fmt}", summary="Темы по затруднениям файлом")
def themes_file(request, fmt: Literal["pdf", "xlsx"], query: Query[ThemesQuery]):
    """The same report as a PDF or XLSX file."""
    return exports.download(themes_form(_themes(request, query)), fmt)


class AcceptThemeIn(InSchema):
    program_id: Id
    topic_id: Id
    mentor_id: Id | None = None
    start_date: Date
    end_date: Date


class AcceptedTrackOut(Schema):
    id: int
    number: int
    theme: str
    is_draft: bool


@router.post("/planning/themes/accept", response={201: AcceptedTrackOut},
             summary="Принять предложенную тему")
def accept_theme(request, payload: AcceptThemeIn):
    """A draft track of the program on the topic, led by the proposed mentor (curators)."""
    program = get_object_or_404(roles.scope(Program.objects.all(), request.auth),
                                pk=payload.program_id)
    topic = get_object_or_404(Topic, pk=payload.topic_id)
    mentor = (get_object_or_404(roles.scope(Person.objects.all(), request.auth),
                                pk=payload.mentor_id) if payload.mentor_id else None)
    track = services.accept_theme(program, topic, mentor=mentor, by=request.auth,
                                  start_date=payload.start_date, end_date=payload.end_date)
    return Status(201, track)
