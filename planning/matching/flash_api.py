"""REST endpoints of flash-mentoring: the curator's side and the participant's personal link.

Curator: the choices of a meeting (who takes part, what each chose), opening the choices (links
go out through the outbox), the proposed pairs by stable matching, and the confirmation that forms
a pair through the participants service. The meeting is looked up in the caller's municipality,
so another municipality's meeting is a 404. Participant: no sign-in — the personal link's token
is the key (`auth=None`, as the page `/flash/<token>/`), with the same brakes on saving.
"""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from config import brakes
from config.api_types import Date, Flag, Id, InSchema, PathId
from config.errors import Forbidden, NotFound, TooManyRequests
from events.formatting import format_when
from events.models import Event
from participants import roles
from planning.matching import services
from planning.matching.api import FormedPairOut
from planning.matching.flash import flash_result
from planning.models import FlashParticipant

router = Router(tags=["Флеш-наставничество"])

Side = Literal["mentor", "mentee"]
MAX_CHOICES = 200  # more than any meeting has people of the other side


class FlashParticipantOut(Schema):
    id: int
    person_id: int
    full_name: str
    side: Side
    capacity: int = Field(description="свободных мест наставника; 0 у наставляемого")
    chosen_at: datetime.datetime | None
    consented: bool
    chosen: list[int] = Field(description="участники встречи, выбранные по порядку желания")


class FlashOpenOut(Schema):
    sent: int = Field(description="сколько личных ссылок поставлено в очередь писем")


class FlashProposalOut(Schema):
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    mentor_rank: int
    mentee_rank: int
    is_confirmed: bool


class FlashUnmatchedOut(Schema):
    id: int
    full_name: str
    side: Side
    chosen_names: list[str] = Field(description="кого он выбрал, по порядку")
    chosen_by: int = Field(description="сколько участников выбрали его")


class FlashResultOut(Schema):
    answered: int
    total: int
    proposals: list[FlashProposalOut]
    unmatched: list[FlashUnmatchedOut]


class FlashConfirmIn(InSchema):
    mentor_id: Id = Field(description="участник встречи — наставник")
    mentee_id: Id = Field(description="участник встречи — наставляемый")
    start_date: Date | None = None


class FlashCandidateOut(Schema):
    id: int
    full_name: str
    school: str


class FlashChoiceOut(Schema):
    event: str
    when: str
    side: Side
    candidates: list[FlashCandidateOut]
    chosen: list[int]
    consented: bool


class FlashChoicesIn(InSchema):
    chosen: list[Id] = Field(max_length=MAX_CHOICES,
                              description="участники другой стороны, лучший первым")
    consent: Flag = Field(description="согласие войти в пару при взаимном выборе")


def _meeting(request, event_id):
    user = request.auth or request.user
    if not roles.can_manage(user):
        raise Forbidden(_("Флеш-наставничество ведёт куратор."))
    return user, get_object_or_404(
        roles.scope(Event.objects.select_related("municipality", "form"), user), pk=event_id)


@router.get("/planning/flash/{event_id}/participants", response=list[FlashParticipantOut],
            summary="Участники флеш-встречи и их выбор")
@paginate
def list_flash_participants(request, event_id: PathId):
    _user, event = _meeting(request, event_id)
    people = list(FlashParticipant.objects.filter(event=event).select_related("person")
                  .prefetch_related("choices").order_by("side", "person__last_name", "pk"))
    return [{"id": p.pk, "person_id": p.person_id, "full_name": p.person.full_name,
             "side": p.side,
             "capacity": p.capacity, "chosen_at": p.chosen_at,
             "consented": p.consent_at is not None,
             "chosen": [c.chosen_id for c in sorted(p.choices.all(), key=lambda c: c.rank)]}
            for p in people]


@router.post("/planning/flash/{event_id}/open", response=FlashOpenOut,
             summary="Разослать участникам встречи ссылки для выбора")
def open_flash_choices(request, event_id: PathId):
    user, event = _meeting(request, event_id)
    return {"sent": services.open_flash_choices(event, by=user)}


@router.get("/planning/flash/{event_id}/result", response=FlashResultOut,
            summary="Предлагаемые пары (устойчивое паросочетание) и кто остался без пары")
def flash_matching(request, event_id: PathId):
    _user, event = _meeting(request, event_id)
    result = flash_result(event)
    return {"answered": result.answered, "total": result.total,
            "proposals": [{"mentor_id": p.mentor.pk, "mentor_name": p.mentor.person.full_name,
                           "mentee_id": p.mentee.pk, "mentee_name": p.mentee.person.full_name,
                           "mentor_rank": p.mentor_rank, "mentee_rank": p.mentee_rank,
                           "is_confirmed": p.is_confirmed} for p in result.proposals],
            "unmatched": [{"id": u.participant.pk, "full_name": u.participant.person.full_name,
                           "side": u.participant.side, "chosen_names": u.choices,
                           "chosen_by": u.chosen_by} for u in result.unmatched]}


@router.post("/planning/flash/{event_id}/confirm", response={201: FormedPairOut},
             summary="Подтвердить предложенную пару: сформировать её")
def confirm_flash_pair(request, event_id: PathId, payload: FlashConfirmIn):
    user, event = _meeting(request, event_id)
    people = FlashParticipant.objects.filter(event=event).select_related("person")
    mentor = people.filter(pk=payload.mentor_id).first()
    mentee = people.filter(pk=payload.mentee_id).first()
    if mentor is None or mentee is None:
        raise NotFound(_("Таких участников встречи нет."))
    group = services.confirm_flash_pair(event, mentor, mentee, by=user,
                                        start_date=payload.start_date)
    return Status(201, {"group_id": group.pk, "mentor_id": mentor.person_id,
                        "mentee_id": mentee.person_id, "start_date": group.start_date,
                        "consent_at": group.mentor_consent_at})


# --- the participant's personal link ------------------------------------------------------------


def _participant(token, response):
    # The token is the key to a person's choices: as the page, nothing is cached or indexed.
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    participant = services.participant_for(token)
    if participant is None:
        raise NotFound(_("Ссылка недействительна."))
    return participant


def _choice_state(participant):
    event = participant.event
    candidates = services.candidates_of(participant)
    return {"event": event.title, "when": format_when(event.starts_at, event.municipality.zone),
            "side": participant.side,
            "candidates": [{"id": c.pk, "full_name": c.person.full_name,
                            "school": c.person.organisation.short_name
                            if c.person.organisation_id else ""} for c in candidates],
            "chosen": list(participant.choices.order_by("rank")
                            .values_list("chosen_id", flat=True)),
            "consented": participant.consent_at is not None}


@router.get("/flash/{token}", response=FlashChoiceOut, auth=None,
            summary="Выбор после флеш-встречи по личной ссылке")
def get_flash_choices(request, token: str, response: HttpResponse):
    return _choice_state(_participant(token, response))


@router.put("/flash/{token}", response=FlashChoiceOut, auth=None,
            summary="Отметить, с кем хотелось бы продолжить (по порядку)")
def put_flash_choices(request, token: str, payload: FlashChoicesIn, response: HttpResponse):
    if not services.may_save_choices(request, token):
        raise TooManyRequests(brakes.wait_message())
    participant = _participant(token, response)
    services.record_flash_choices(participant, payload.chosen, consent=payload.consent)
    participant.refresh_from_db(fields=["consent_at"])
    return _choice_state(participant)
