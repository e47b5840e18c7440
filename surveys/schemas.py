"""Shapes of the surveys API. Nothing here carries an answer tied to a person."""

import datetime
import uuid

from ninja import Field, Schema

from config.api_types import (
    Flag,
    Id,
    InSchema,
    Line,
    Moment,
    QueryId,
    SmallNumber,
    Text,
    named_choices,
)
from events.schemas import TopicBriefOut
from surveys.models import Question, Questionnaire, Round

# Round.Audience would be "Audience" in the OpenAPI, as would the events' Event.Audience.
RoundAudience = named_choices("RoundAudience", Round.Audience)


class QuestionOut(Schema):
    id: int
    position: int
    code: str
    kind: Question.Kind
    text: str
    help_text: str
    required: bool
    choices: list[str]
    allow_other: bool
    scale_labels: list[str]
    topics: list[TopicBriefOut]


class QuestionnaireOut(Schema):
    id: int
    family: uuid.UUID
    version: int
    is_current: bool
    title: str
    purpose: Questionnaire.Purpose
    description: str
    is_anonymous: bool
    has_answers: bool


class QuestionnaireDetailOut(QuestionnaireOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj):
        return obj.questions.all()


class QuestionnaireFilters(InSchema):
    purpose: Questionnaire.Purpose | None = None
    all_versions: bool = Field(False, description="Также прежние версии.")


class QuestionnairePatch(InSchema):
    """Only the fields sent are changed; none of them can be emptied with null."""

    title: Line = Field(None, min_length=1, max_length=255)
    purpose: Questionnaire.Purpose = None
    description: Text = Field(None, max_length=5000)
    is_anonymous: Flag = None


class QuestionPatch(InSchema):
    """Only the fields sent are changed; none of them can be emptied with null."""

    position: SmallNumber = Field(None, ge=1)
    code: Line = Field(None, min_length=1, max_length=64)
    kind: Question.Kind = None
    text: Text = Field(None, min_length=1, max_length=2000)
    help_text: Text = Field(None, max_length=500)
    required: Flag = None
    choices: list[Line] = Field(None, max_length=100)
    allow_other: Flag = None
    scale_labels: list[Line] = Field(None, max_length=20)
    topic_ids: list[Id] = Field(None, max_length=1000)


class RoundIn(InSchema):
    questionnaire_id: Id
    audience: RoundAudience
    title: Line = Field("", max_length=255)
    municipality_id: Id | None = Field(
        None, description="По умолчанию — муниципалитет мероприятия, программы или пользователя.")
    event_id: Id | None = None
    track_id: Id | None = None
    program_id: Id | None = None
    person_ids: list[Id] = Field([], max_length=10000,
                                 description="Для аудитории «выбранные вручную».")
    opens_at: Moment | None = Field(
        None, description="По умолчанию — окончание мероприятия или сейчас.")
    closes_at: Moment | None = Field(None, description="По умолчанию — через 14 дней.")
    pair_of_id: Id | None = Field(
        None, description="Опрос «до» той же анкеты, если этот опрос — «после»: анонимные "
                          "опросы сравниваются «до и после» только так.")
    mentoring_group_id: Id | None = Field(
        None, description="Для аудитории «наставнические пары и группы»: одна пара или группа; "
                          "по умолчанию — все действующие.")


class RoundOut(Schema):
    id: int
    municipality_id: int
    questionnaire_id: int
    questionnaire_title: str = Field(..., alias="questionnaire.title")
    questionnaire_version: int = Field(..., alias="questionnaire.version")
    title: str
    audience: RoundAudience
    event_id: int | None
    track_id: int | None
    program_id: int | None
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    pair_of_id: int | None
    is_anonymous: bool
    is_open: bool
    invited_count: int = Field(..., alias="n_invited")
    answered_count: int = Field(..., alias="n_answered")
    response_rate: float | None

    @staticmethod
    def resolve_is_open(obj):
        return obj.is_open()

    @staticmethod
    def resolve_response_rate(obj):
        return round(obj.n_answered / obj.n_invited, 4) if obj.n_invited else None


class RoundFilters(InSchema):
    event_id: QueryId | None = None
    track_id: QueryId | None = None
    program_id: QueryId | None = None
    purpose: Questionnaire.Purpose | None = None


class RemindIn(InSchema):
    at: Moment | None = Field(
        None, description="Когда напомнить; по умолчанию — за день до закрытия (или сейчас).")


class SentOut(Schema):
    messages: int = Field(..., description="Сколько писем поставлено в очередь (повторы "
                                           "отбрасываются).")


class InvitationOut(Schema):
    """Named rounds only: who was invited and whether they answered — never what."""

    person_id: int
    full_name: str = Field(..., alias="person.full_name")
    answered: bool

    @staticmethod
    def resolve_answered(obj):
        return obj.answered_at is not None
