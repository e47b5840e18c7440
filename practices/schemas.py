"""Request and response shapes of the practices API: field mapping only, no rules."""

import datetime

from django.urls import reverse
from ninja import Field, Schema

from config.api_types import Flag, Id, InSchema, Line, QueryId, SmallNumber, Text, named_choices
from participants.models import MentoringGroup
from practices import bank
from practices.models import Level, Material, Practice, Review

PracticeLevel = named_choices("PracticeLevel", Level)
PracticeStatus = named_choices("PracticeStatus", Practice.Status)
PracticeForm = named_choices("PracticeForm", MentoringGroup.Form)
PracticeRoleModel = named_choices("PracticeRoleModel", MentoringGroup.RoleModel)
ReviewOutcome = named_choices("ReviewOutcome", Review.Outcome)
MaterialKind = named_choices("MaterialKind", Material.Kind)


class PracticeCard(InSchema):
    """The information card (seed 001); every field may be left out of a change."""

    title: Line | None = Field(None, max_length=500)
    author_name: Line | None = Field(None, max_length=500)
    author_email: Line | None = Field(None, max_length=254)
    author_phone: Line | None = Field(None, max_length=40)
    organisation_id: Id | None = None
    position: Line | None = Field(None, max_length=255)
    years_in_position: SmallNumber | None = None
    topic_id: Id | None = None
    form: PracticeForm | None = None
    role_model: PracticeRoleModel | None = None
    goal: Text | None = Field(None, max_length=20_000)
    plan: Text | None = Field(None, max_length=20_000)
    result: Text | None = Field(None, max_length=20_000)
    note: Text | None = Field(None, max_length=20_000)
    content: Text | None = Field(None, max_length=20_000)


class PracticeIn(PracticeCard):
    author_id: Id | None = Field(None, description="Автор-наставник; по умолчанию — вы сами")
    title: Line = Field(..., min_length=1, max_length=500)


class FromProgramIn(InSchema):
    program_id: Id


class ConsentIn(InSchema):
    agreed: Flag = Field(..., description="Автор согласен показывать e-mail и телефон в банке")


class DecisionIn(InSchema):
    comment: Text = Field("", max_length=20_000)
    forward: Flag = Field(False, description="Сразу подать на следующий уровень")


class MaterialIn(InSchema):
    kind: MaterialKind
    title: Line = Field("", max_length=255)
    url: Line = Field("", max_length=600)


class ReturnIn(InSchema):
    comment: Text = Field(..., min_length=1, max_length=20_000)


class PracticeFilter(InSchema):
    q: Line | None = Field(None, max_length=200, description="Слова из темы, текстов, автора")
    status: PracticeStatus | None = None
    accepted_level: PracticeLevel | None = None


class BankFilter(InSchema):
    municipality_id: QueryId
    q: Line | None = Field(None, max_length=200, description="Слова из темы, текстов, автора")
    topic: QueryId | None = None
    school: QueryId | None = None
    role_model: PracticeRoleModel | None = None
    form: PracticeForm | None = None
    level: PracticeLevel | None = None
    year: int | None = Field(None, ge=1900, le=2999)


class MaterialOut(Schema):
    id: int
    kind: MaterialKind
    title: str
    url: str
    file_size: int | None
    download_url: str


class ReviewOut(Schema):
    id: int
    practice_id: int
    level: PracticeLevel
    outcome: ReviewOutcome
    submitted_at: datetime.datetime
    submitted_by_id: int | None
    decided_at: datetime.datetime | None
    reviewer_id: int | None
    comment: str


class PracticeOut(Schema):
    id: int
    municipality_id: int
    program_id: int | None
    author_id: int
    mentee_ids: list[int]
    author_name: str
    author_email: str
    author_phone: str
    organisation_id: int | None
    position: str
    years_in_position: int | None
    title: str
    topic_id: int | None
    form: str
    role_model: str
    goal: str
    plan: str
    result: str
    note: str
    content: str
    contacts_consent_at: datetime.datetime | None
    status: PracticeStatus
    accepted_level: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_mentee_ids(obj):
        return [mentee.pk for mentee in obj.mentees.all()]


class PublicPracticeOut(Schema):
    """What the open bank shows: the e-mail and phone are empty unless the author agreed."""

    id: int
    title: str
    author_name: str
    author_email: str
    author_phone: str
    organisation_id: int | None
    organisation_name: str
    topic_id: int | None
    form: str
    role_model: str
    accepted_level: PracticeLevel
    published_at: datetime.datetime
    page_url: str

    @staticmethod
    def resolve_author_email(obj):
        return bank.public_contacts(obj)["email"]

    @staticmethod
    def resolve_author_phone(obj):
        return bank.public_contacts(obj)["phone"]

    @staticmethod
    def resolve_organisation_name(obj):
        return str(obj.organisation or "")

    @staticmethod
    def resolve_page_url(obj):
        return reverse("bank_practice", args=[obj.pk])
