"""Request and response shapes of the portfolio API."""

import datetime

from ninja import Field, Schema

from config.api_types import Date, Id, InSchema, Line, QueryDate, QueryId, named_choices
from portfolio.builder import answer_value
from portfolio.models import Achievement, Criterion, ObservationVisit
from practices.models import Level

VisitKind = named_choices("ObservationVisitKind", ObservationVisit.Kind)
AchievementKind = named_choices("AchievementKind", Achievement.Kind)
PracticeLevel = named_choices("PortfolioLevel", Level)
PointsCriterion = named_choices("PointsCriterion", Criterion)
RawAnswer = str | int | float | list[str] | dict[str, str] | None


class PortfolioPeriodQuery(InSchema):
    date_from: QueryDate | None = Field(None, alias="from",
                                        description="Начало периода; по умолчанию — учебный год")
    date_to: QueryDate | None = Field(None, alias="to", description="Конец периода")


class SummaryQuery(PortfolioPeriodQuery):
    organisation_id: QueryId | None = Field(None, description="Только одна школа")
    municipality_id: QueryId | None = Field(
        None, description="Муниципалитет (только для суперпользователя)")


class MapQuery(InSchema):
    municipality_id: QueryId | None = Field(
        None, description="Муниципалитет (только для суперпользователя)")


class MapQuestionOut(Schema):
    code: str
    kind: str
    text: str
    help_text: str
    required: bool
    choices: list[str]
    scale_labels: list[str]


class MapOut(Schema):
    id: int
    title: str
    version: int
    description: str
    questions: list[MapQuestionOut]


class VisitFilters(InSchema):
    group_id: QueryId | None = None
    mentor_id: QueryId | None = None


class VisitIn(InSchema):
    group_id: Id
    mentee_id: Id
    kind: VisitKind = VisitKind.LESSON
    date: Date
    school_class: Line = Field(..., max_length=20)
    subject: Line = Field(..., max_length=255)
    answers: dict[str, RawAnswer] = Field(
        ..., max_length=200, description="код критерия карты → ответ (шкала — число 1–5)")


class VisitOut(Schema):
    id: int
    group_id: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    kind: VisitKind
    date: datetime.date
    school_class: str
    subject: str
    questionnaire_id: int
    answers: dict[str, RawAnswer]
    created_at: datetime.datetime

    # From a visit with its mentor, mentee, round and the response's answers (with their
    # questions) fetched along: no query per visit.
    @staticmethod
    def resolve_mentor_name(obj):
        return obj.mentor.full_name

    @staticmethod
    def resolve_mentee_name(obj):
        return obj.mentee.full_name

    @staticmethod
    def resolve_questionnaire_id(obj):
        return obj.round.questionnaire_id

    @staticmethod
    def resolve_answers(obj):
        return {a.question.code: answer_value(a.number, a.choices, a.text)
                for a in obj.response.answers.all()}


class AchievementIn(InSchema):
    kind: AchievementKind
    level: PracticeLevel
    title: Line = Field(..., max_length=500)
    date: Date
    evidence_url: Line = Field("", max_length=500)


class AchievementOut(Schema):
    id: int
    mentor_id: int
    kind: AchievementKind
    level: PracticeLevel
    title: str
    date: datetime.date
    evidence_url: str
    evidence_file_url: str | None = Field(..., description="скачать файл подтверждения")
    created_at: datetime.datetime


class RuleIn(InSchema):
    criterion: PointsCriterion
    level: PracticeLevel | None = Field(None, description="пусто — для персонализированных "
                                                          "программ")
    points: int = Field(..., strict=True, ge=0, le=100)


class RuleOut(Schema):
    criterion: str
    level: str
    label: str
    points: int


class PointsLineOut(Schema):
    criterion: str
    level: str
    label: str
    count: int
    points_each: int
    points: int


class MentorPointsOut(Schema):
    person_id: int
    name: str
    school: str
    by_criterion: dict[str, int]
    total: int


class SchoolPointsOut(Schema):
    name: str
    total: int
    mentors: list[MentorPointsOut]


class PointsPeriodOut(Schema):
    start: datetime.date
    end: datetime.date


class SummaryOut(Schema):
    municipality: str
    period: PointsPeriodOut
    rules: list[RuleOut]
    schools: list[SchoolPointsOut]
    total: int


class LedProgramOut(Schema):
    id: int
    group_id: int
    goal: str
    start_date: datetime.date
    end_date: datetime.date


class PortfolioPracticeLevelOut(Schema):
    level: str
    accepted_at: datetime.datetime


class PortfolioPracticeOut(Schema):
    id: int
    title: str
    status: str
    accepted: list[PortfolioPracticeLevelOut]


class PortfolioEventOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    form: str


class PortfolioOut(Schema):
    mentor_id: int
    name: str
    school: str
    period: PointsPeriodOut
    points_total: int
    points: list[PointsLineOut]
    programs: list[LedProgramOut]
    practices: list[PortfolioPracticeOut]
    events: list[PortfolioEventOut]
    visits: list[VisitOut]
    achievements: list[AchievementOut]
