"""Request and response shapes of the indicators API."""

import datetime

from ninja import Field, Schema

from config.api_types import InSchema, QueryDate, QueryId


class IndicatorsQuery(InSchema):
    date_from: QueryDate | None = Field(None, alias="from",
                                        description="Начало периода; по умолчанию — учебный год")
    date_to: QueryDate | None = Field(None, alias="to", description="Конец периода")
    municipality_id: QueryId | None = Field(
        None, description="Муниципалитет (только для суперпользователя)")


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date


class IndicatorItemOut(Schema):
    name: str
    detail: str


class IndicatorOut(Schema):
    key: str
    title: str
    numerator: int | None
    denominator: int | None
    share: float | None
    previous_numerator: int | None
    previous_denominator: int | None
    previous_share: float | None
    change_points: float | None = Field(..., alias="change")
    source: str
    note: str
    items: list[IndicatorItemOut]


class MonthAttendanceOut(Schema):
    month: str = Field(..., alias="label")
    registered: int
    attended: int


class EventSatisfactionOut(Schema):
    title: str
    date: datetime.date
    respondents: int
    share: float | None


class TopicDifficultyOut(Schema):
    topic: str
    respondents: int
    mean: float | None
    hard_share: float | None


class IndicatorsOut(Schema):
    municipality: str
    department: str
    period: PeriodOut
    previous_period: PeriodOut = Field(..., alias="previous")
    indicators: list[IndicatorOut]
    attendance_by_month: list[MonthAttendanceOut] = Field(..., alias="months")
    satisfaction_by_event: list[EventSatisfactionOut] = Field(..., alias="satisfaction")
    hardest_topics: list[TopicDifficultyOut] = Field(..., alias="topics")
