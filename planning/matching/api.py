"""REST endpoints of mentor suggestions: the list and the confirmation that forms a pair.

Curators only; people are looked up in the caller's municipality (roles.scope), so a person of
another municipality is a 404. A superuser names the municipality.
"""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from config.api_types import Date, Id, InSchema, Moment, QueryDate, QueryId
from config.errors import Forbidden, Invalid, NotFound
from participants import roles
from participants.models import Person
from planning.matching import services
from planning.matching.suggestions import NETWORK, mentor_suggestions, period_of

router = Router(tags=["Подбор наставников"])


class SuggestionOut(Schema):
    mentor_id: int
    mentor_name: str
    mentor_school: str
    score: float
    topics: list[str]
    load: int
    capacity: int
    reason: str


class MenteeSuggestionsOut(Schema):
    mentee_id: int
    mentee_name: str
    mentee_school: str
    difficulties: list[str]
    suggestions: list[SuggestionOut]


class SuggestionQuery(Schema):
    preference: Literal["network", "same", "any"] = NETWORK
    per_mentee: int = Field(3, ge=1, le=10)
    municipality_id: QueryId | None = None
    start: QueryDate | None = Field(
        None, description="ответы опросов о трудностях, открытых не раньше этой даты")
    end: QueryDate | None = Field(
        None, description="ответы опросов о трудностях, открытых не позже этой даты")
    round_id: QueryId | None = Field(
        None, description="ответы одного именного опроса о трудностях (вместо периода)")


class SuggestionConfirmIn(InSchema):
    mentee_id: Id
    mentor_id: Id
    start_date: Date | None = None
    consent_at: Moment | None = Field(
        None, description="когда получено письменное согласие наставника и наставляемого")


class FormedPairOut(Schema):
    group_id: int
    mentor_id: int
    mentee_id: int
    start_date: Date
    consent_at: Moment | None


def _curator(request):
    user = request.auth or request.user
    if not roles.can_manage(user):
        raise Forbidden(_("Подбор наставников доступен куратору."))
    return user


def _municipality_id(user, requested):
    if not user.is_superuser:
        return roles.municipality_id_of(user)
    if requested is None:
        raise Invalid(_("Укажите муниципалитет (municipality_id)."))
    return requested


@router.get("/planning/mentor-suggestions", response=list[MenteeSuggestionsOut],
            summary="Кого какому наставнику предложить")
@paginate
def list_suggestions(request, query: Query[SuggestionQuery]):
    user = _curator(request)
    municipality_id = _municipality_id(user, query.municipality_id)
    period = period_of(municipality_id, start=query.start, end=query.end,
                       round_id=query.round_id)
    return mentor_suggestions(municipality_id, preference=query.preference,
                              limit=query.per_mentee, **period)


@router.post("/planning/mentor-suggestions/confirm", response={201: FormedPairOut},
             summary="Подтвердить предложение: сформировать пару")
def confirm_suggestion(request, payload: SuggestionConfirmIn):
    user = _curator(request)
    people = roles.scope(Person.objects.all(), user)
    mentee = people.filter(pk=payload.mentee_id).first()
    mentor = people.filter(pk=payload.mentor_id).first()
    if mentee is None or mentor is None:
        raise NotFound(_("Участник не найден."))
    group = services.confirm_suggestion(mentee, mentor, by=user, start_date=payload.start_date,
                                        consent_at=payload.consent_at)
    return Status(201, {"group_id": group.pk, "mentor_id": mentor.pk, "mentee_id": mentee.pk,
                        "start_date": group.start_date, "consent_at": group.mentor_consent_at})
