"""Request and response shapes of the participants API: field mapping only, no rules."""

import datetime
from typing import Any

from ninja import Field, Schema

from participants.models import MenteeRecord, MentoringGroup, Person

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


class PersonFilter(Schema):
    q: str | None = Field(None, description="Слова из ФИО или e-mail, ё = е")
    organisation_id: int | None = None
    young_specialist: bool | None = Field(None, description="Стаж меньше трёх лет")
    is_mentor: bool | None = Field(None, description="Есть в реестре наставников")
    is_mentee: bool | None = Field(None, description="Есть в базе наставляемых")
    category: Person.Category | None = None


class PersonIn(Schema):
    municipality_id: int | None = Field(
        None, description="Только для суперпользователя; куратор пишет в свой муниципалитет"
    )
    organisation_id: int | None = None
    last_name: str
    first_name: str
    patronymic: str = ""
    email: str = ""
    phone: str = ""
    position: str = ""
    subject: str = ""
    category: Person.Category = Person.Category.NONE
    experience_years: int | None = Field(None, ge=0)


class PersonPatch(Schema):
    organisation_id: int | None = None
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    subject: str | None = None
    category: Person.Category | None = None
    experience_years: int | None = Field(None, ge=0)


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


class MentorFilter(Schema):
    topic_id: int | None = None
    active: bool | None = None


class MentorProfileIn(Schema):
    topic_ids: list[int] = []
    can_help: str = ""
    since: datetime.date | None = None
    is_active: bool = True


class MentorOut(Schema):
    id: int
    person: PersonSummaryOut
    topics: list[TopicOut]
    can_help: str
    since: datetime.date | None
    is_active: bool


class MenteeFilter(Schema):
    reason: MenteeRecord.Reason | None = None
    topic_id: int | None = None


class MenteeRecordIn(Schema):
    reason: MenteeRecord.Reason
    topic_ids: list[int] = []
    notes: str = ""
    since: datetime.date | None = None
    is_active: bool = True


class MenteeOut(Schema):
    id: int
    person: PersonSummaryOut
    reason: str
    difficulty_topics: list[TopicOut]
    notes: str
    since: datetime.date | None
    is_active: bool


# --- pairs and groups -----------------------------------------------------------------------


class GroupIn(Schema):
    municipality_id: int | None = Field(None, description="Только для суперпользователя")
    mentor_id: int
    mentee_ids: list[int] = Field(..., min_length=1)
    form: MentoringGroup.Form = MentoringGroup.Form.TEACHER_TEACHER
    role_model: MentoringGroup.RoleModel = MentoringGroup.RoleModel.EXPERIENCED_YOUNG
    format: MentoringGroup.Format = MentoringGroup.Format.TRADITIONAL
    start_date: datetime.date
    end_date: datetime.date | None = None
    goal: str = ""
    order_reference: str = ""
    consent_at: datetime.datetime | None = Field(
        None, description="Когда все участники дали согласие"
    )


class GroupPatch(Schema):
    mentee_ids: list[int] | None = Field(None, min_length=1)
    form: MentoringGroup.Form | None = None
    role_model: MentoringGroup.RoleModel | None = None
    format: MentoringGroup.Format | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    goal: str | None = None
    order_reference: str | None = None
    consent_at: datetime.datetime | None = Field(
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
