"""Request and response shapes of the participants API: field mapping only, no rules."""

import datetime
from typing import Any

from ninja import Field, Schema

from config.api_types import (
    Date,
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
from participants.models import MenteeRecord, MentoringGroup, Person

PersonCategory = named_choices("PersonCategory", Person.Category)
MenteeReason = named_choices("MenteeReason", MenteeRecord.Reason)
GroupForm = named_choices("GroupForm", MentoringGroup.Form)
GroupRoleModel = named_choices("GroupRoleModel", MentoringGroup.RoleModel)
GroupFormat = named_choices("GroupFormat", MentoringGroup.Format)

# --- vocabularies ---------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    municipality_id: int
    name: str
    short_name: str


class TopicOut(Schema):
    id: int
    name: str
    is_active: bool


# --- people ---------------------------------------------------------------------------------


class PersonFilter(InSchema):
    q: Line | None = Field(None, max_length=200, description="Слова из ФИО или e-mail, ё = е")
    organisation_id: QueryId | None = None
    young_specialist: bool | None = Field(None, description="Стаж меньше трёх лет")
    is_mentor: bool | None = Field(None, description="Есть в реестре наставников")
    is_mentee: bool | None = Field(None, description="Есть в базе наставляемых")
    category: PersonCategory | None = None


class PersonIn(InSchema):
    municipality_id: Id | None = Field(
        None, description="Только для суперпользователя; куратор пишет в свой муниципалитет"
    )
    organisation_id: Id | None = None
    last_name: Line = Field(..., max_length=150)
    first_name: Line = Field(..., max_length=150)
    patronymic: Line = Field("", max_length=150)
    email: Line = Field("", max_length=254)
    phone: Line = Field("", max_length=40)
    position: Line = Field("", max_length=255)
    subject: Line = Field("", max_length=255)
    category: PersonCategory = PersonCategory.NONE
    experience_years: SmallNumber | None = None


class PersonPatch(InSchema):
    """Only the fields sent are changed; null empties only organisation and experience."""

    organisation_id: Id | None = None
    last_name: Line = Field(None, max_length=150)
    first_name: Line = Field(None, max_length=150)
    patronymic: Line = Field(None, max_length=150)
    email: Line = Field(None, max_length=254)
    phone: Line = Field(None, max_length=40)
    position: Line = Field(None, max_length=255)
    subject: Line = Field(None, max_length=255)
    category: PersonCategory = None
    experience_years: SmallNumber | None = None


class PersonSummaryOut(Schema):
    id: int
    full_name: str
    organisation: OrganisationOut | None
    position: str
    subject: str
    email: str
    phone: str


class PersonOut(Schema):
    id: int
    municipality_id: int
    organisation: OrganisationOut | None
    last_name: str
    first_name: str
    patronymic: str
    full_name: str
    email: str
    phone: str
    position: str
    subject: str
    category: str
    experience_years: int | None
    is_young_specialist: bool
    is_mentor: bool
    is_mentee: bool
    is_anonymised: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


# --- mentor registry and mentee base --------------------------------------------------------


class MentorFilter(InSchema):
    topic_id: QueryId | None = None
    active: bool | None = None


class MentorProfileIn(InSchema):
    topic_ids: list[Id] = Field([], max_length=1000)
    can_help: Text = Field("", max_length=5000)
    since: Date | None = None
    is_active: Flag = True
    capacity: SmallNumber | None = Field(None, description="мест для наставляемых; пусто — "
                                         "оставить как есть (новому — 3)")


class MentorOut(Schema):
    id: int
    person: PersonSummaryOut
    topics: list[TopicOut]
    can_help: str
    since: datetime.date | None
    is_active: bool
    capacity: int


class MenteeFilter(InSchema):
    reason: MenteeReason | None = None
    topic_id: QueryId | None = None


class MenteeRecordIn(InSchema):
    reason: MenteeReason
    topic_ids: list[Id] = Field([], max_length=1000)
    notes: Text = Field("", max_length=5000)
    since: Date | None = None
    is_active: Flag = True


class MenteeOut(Schema):
    id: int
    person: PersonSummaryOut
    reason: str
    difficulty_topics: list[TopicOut]
    notes: str
    since: datetime.date | None
    is_active: bool


# --- pairs and groups -----------------------------------------------------------------------


class GroupIn(InSchema):
    municipality_id: Id | None = Field(None, description="Только для суперпользователя")
    mentor_id: Id
    mentee_ids: list[Id] = Field(..., min_length=1, max_length=1000)
    form: GroupForm = GroupForm.TEACHER_TEACHER
    role_model: GroupRoleModel = GroupRoleModel.EXPERIENCED_YOUNG
    format: GroupFormat = GroupFormat.TRADITIONAL
    start_date: Date
    end_date: Date | None = None
    goal: Text = Field("", max_length=5000)
    order_reference: Line = Field("", max_length=255)
    consent_at: Moment | None = Field(
        None, description="Когда все участники дали согласие"
    )


class GroupPatch(InSchema):
    """Only the fields sent are changed; null empties only the end date and the consent."""

    mentee_ids: list[Id] = Field(None, min_length=1, max_length=1000)
    form: GroupForm = None
    role_model: GroupRoleModel = None
    format: GroupFormat = None
    start_date: Date = None
    end_date: Date | None = None
    goal: Text = Field(None, max_length=5000)
    order_reference: Line = Field(None, max_length=255)
    consent_at: Moment | None = Field(
        None, description="Когда дали согласие новые участники"
    )


class GroupOut(Schema):
    id: int
    municipality_id: int
    mentor: PersonSummaryOut
    mentees: list[PersonSummaryOut]
    form: str
    role_model: str
    format: str
    start_date: datetime.date
    end_date: datetime.date | None
    goal: str
    order_reference: str
    mentor_consent_at: datetime.datetime | None


# --- roster import --------------------------------------------------------------------------


class ImportBatchOut(Schema):
    id: int
    municipality_id: int
    file_name: str
    created_at: datetime.datetime
    applied_at: datetime.datetime | None
    summary: dict[str, Any] = Field(
        ..., description="counts (creates, updates, unchanged, errors); до применения также "
        "creates, updates, organisations_to_create и первые 100 errors; после — только counts "
        "и organisations_to_create"
    )


class ImportAppliedOut(Schema):
    batch: ImportBatchOut
    result: dict[str, Any]
