"""Shapes of the surveys API. Nothing here carries an answer tied to a person."""

import datetime
import uuid

from ninja import Field, Schema
from pydantic import AwareDatetime

from surveys.models import Question, Questionnaire, Round


class TopicOut(Schema):
    id: int
    name: str


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
    topics: list[TopicOut]


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


class QuestionnaireFilters(Schema):
    purpose: Questionnaire.Purpose | None = None
    all_versions: bool = Field(False, description="Также прежние версии.")


class QuestionnairePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=255)
    purpose: Questionnaire.Purpose | None = None
    description: str | None = None
    is_anonymous: bool | None = None


class QuestionPatch(Schema):
    position: int | None = Field(None, ge=1)
    code: str | None = Field(None, min_length=1, max_length=64)
    kind: Question.Kind | None = None
    text: str | None = Field(None, min_length=1)
    help_text: str | None = Field(None, max_length=500)
    required: bool | None = None
    choices: list[str] | None = None
    allow_other: bool | None = None
    scale_labels: list[str] | None = None
    topic_ids: list[int] | None = None


class RoundIn(Schema):
    questionnaire_id: int
    audience: Round.Audience
    title: str = Field("", max_length=255)
    municipality_id: int | None = Field(
        None, description="По умолчанию — муниципалитет мероприятия, программы или пользователя.")
    event_id: int | None = None
    track_id: int | None = None
    program_id: int | None = None
    person_ids: list[int] = Field([], description="Для аудитории «выбранные вручную».")
    opens_at: AwareDatetime | None = Field(
        None, description="По умолчанию — окончание мероприятия или сейчас.")
    closes_at: AwareDatetime | None = Field(None, description="По умолчанию — через 14 дней.")
    pair_of_id: int | None = Field(
        None, description="Опрос «до» той же анкеты, если этот опрос — «после»: анонимные "
                          "опросы сравниваются «до и после» только так.")


class RoundOut(Schema):
    id: int
    municipality_id: int
    questionnaire_id: int
    questionnaire_title: str = Field(..., alias="questionnaire.title")
    questionnaire_version: int = Field(..., alias="questionnaire.version")
    title: str
    audience: Round.Audience
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


class RoundFilters(Schema):
    event_id: int | None = None
    track_id: int | None = None
    program_id: int | None = None
    purpose: Questionnaire.Purpose | None = None


class RemindIn(Schema):
    at: AwareDatetime | None = Field(
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
