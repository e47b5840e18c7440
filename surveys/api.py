"""REST endpoints for questionnaires and survey rounds.

Questionnaires are global templates: staff see them, a superuser changes them (a version with
answers is refused with a message that offers a new version). Rounds are scoped to the user's
municipality, so another municipality's round is a 404. No endpoint returns an answer tied to a
person; for an anonymous round not even who has answered — only the counts.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from config.api_types import PathId
from events.api_lookups import pick, visible
from events.models import Event, Program, Track
from participants import roles
from participants.models import MentoringGroup, Municipality, Person, Topic
from surveys import services
from surveys.errors import AnonymousRound, Forbidden, Invalid
from surveys.models import Answer, Question, Questionnaire, Round
from surveys.schemas import (
    InvitationOut,
    QuestionnaireDetailOut,
    QuestionnaireFilters,
    QuestionnaireOut,
    QuestionnairePatch,
    QuestionOut,
    QuestionPatch,
    RemindIn,
    RoundFilters,
    RoundIn,
    RoundOut,
    SentOut,
)

router = Router(tags=["Анкеты"])


def _require_staff(user):
    if not roles.can_view(user):
        raise Forbidden(_("Доступно куратору и наставникам муниципалитета."))


# --- questionnaires ------------------------------------------------------------------------

def _questionnaires():
    answered = Answer.objects.filter(question__questionnaire=OuterRef("pk"))
    return Questionnaire.objects.annotate(has_answers=Exists(answered))


def _questionnaire_or_404(user, questionnaire_id):
    _require_staff(user)
    return get_object_or_404(
        _questionnaires().prefetch_related("questions__topics"), pk=questionnaire_id)


@router.get("/questionnaires", response=list[QuestionnaireOut], summary="Анкеты")
@paginate
def list_questionnaires(request, filters: Query[QuestionnaireFilters]):
    """Current versions (all versions with all_versions=true)."""
    _require_staff(request.auth)
    questionnaires = _questionnaires()
    if not filters.all_versions:
        questionnaires = questionnaires.filter(is_current=True)
    if filters.purpose is not None:
        questionnaires = questionnaires.filter(purpose=filters.purpose)
    return questionnaires


@router.get("/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut,
            summary="Анкета с вопросами")
def get_questionnaire(request, questionnaire_id: PathId):
    return _questionnaire_or_404(request.auth, questionnaire_id)


@router.patch("/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut,
              summary="Изменить анкету")
def update_questionnaire(request, questionnaire_id: PathId, payload: QuestionnairePatch):
    """Superuser: change a version without answers (409 questionnaire_has_answers otherwise)."""
    questionnaire = _questionnaire_or_404(request.auth, questionnaire_id)
    services.update_questionnaire(questionnaire, by=request.auth,
                                  **payload.dict(exclude_unset=True))
    return _questionnaire_or_404(request.auth, questionnaire_id)


@router.patch("/questionnaires/{questionnaire_id}/questions/{question_id}",
              response=QuestionOut, summary="Изменить вопрос анкеты")
def update_question(request, questionnaire_id: PathId, question_id: PathId, payload: QuestionPatch):
    """Superuser: change a question of a version without answers."""
    questionnaire = _questionnaire_or_404(request.auth, questionnaire_id)
    question = get_object_or_404(Question, pk=question_id, questionnaire=questionnaire)
    data = payload.dict(exclude_unset=True)
    topic_ids = data.pop("topic_ids", None)
    topics = None
    if topic_ids is not None:
        topics = list(Topic.objects.filter(pk__in=topic_ids))
        if len(topics) != len(set(topic_ids)):
            raise Invalid(_("Не найдены некоторые темы."), details={"field": "topic_ids"})
    question = services.save_question(questionnaire, by=request.auth, question=question,
                                      topics=topics, **data)
    return Question.objects.prefetch_related("topics").get(pk=question.pk)


@router.post("/questionnaires/{questionnaire_id}/revise", response={201: QuestionnaireDetailOut},
             summary="Новая версия анкеты")
def revise_questionnaire(request, questionnaire_id: PathId):
    """Superuser: the next version as a copy, made current; old answers stay with this one."""
    questionnaire = _questionnaire_or_404(request.auth, questionnaire_id)
    revised = services.revise_questionnaire(questionnaire, by=request.auth)
    return Status(201, _questionnaire_or_404(request.auth, revised.pk))


# --- rounds --------------------------------------------------------------------------------

def _rounds(user):
    return (roles.scope(Round.objects.all(), user)
            .select_related("questionnaire")
            .annotate(n_invited=Count("invitations", distinct=True),
                      n_answered=Count("invitations", distinct=True,
                                       filter=Q(invitations__answered_at__isnull=False))))


def _round_or_404(user, round_id):
    return get_object_or_404(_rounds(user), pk=round_id)


@router.get("/rounds", response=list[RoundOut], summary="Опросы")
@paginate
def list_rounds(request, filters: Query[RoundFilters]):
    rounds = _rounds(request.auth)
    for field in ("event_id", "track_id", "program_id"):
        value = getattr(filters, field)
        if value is not None:
            rounds = rounds.filter(**{field: value})
    if filters.purpose is not None:
        rounds = rounds.filter(questionnaire__purpose=filters.purpose)
    return rounds


@router.post("/rounds", response={201: RoundOut}, summary="Создать опрос")
def create_round(request, payload: RoundIn):
    """Curator: a round with its invitation list; POST /rounds/{id}/open sends the links."""
    user, data = request.auth, payload
    municipality_id = data.municipality_id
    if municipality_id is None and not (data.event_id or data.track_id or data.program_id):
        municipality_id = roles.municipality_id_of(user)
    people = visible(Person.objects.all(), user).filter(pk__in=data.person_ids)
    if len(people) != len(set(data.person_ids)):
        raise Invalid(_("Не найдены некоторые участники."), details={"field": "person_ids"})
    round = services.create_round(
        pick(Questionnaire.objects.all(), data.questionnaire_id, "questionnaire_id"),
        audience=data.audience, by=user,
        municipality=pick(visible(Municipality.objects.all(), user, "pk"), municipality_id,
                           "municipality_id"),
        event=pick(visible(Event.objects.all(), user), data.event_id, "event_id"),
        track=pick(visible(Track.objects.all(), user, "program__municipality"), data.track_id,
                    "track_id"),
        program=pick(visible(Program.objects.all(), user), data.program_id, "program_id"),
        persons=list(people), opens_at=data.opens_at, closes_at=data.closes_at,
        title=data.title, pair_of=pick(_rounds(user), data.pair_of_id, "pair_of_id"),
        mentoring_group=pick(visible(MentoringGroup.objects.all(), user),
                              data.mentoring_group_id, "mentoring_group_id"),
    )
    return Status(201, _round_or_404(user, round.pk))


@router.get("/rounds/{round_id}", response=RoundOut, summary="Опрос")
def get_round(request, round_id: PathId):
    """The round with invited and answered counts."""
    return _round_or_404(request.auth, round_id)


@router.post("/rounds/{round_id}/open", response=SentOut,
             summary="Открыть опрос и разослать приглашения")
def open_round(request, round_id: PathId):
    """Curator: invite the audience (newcomers too); links go out at the opening time."""
    round = _round_or_404(request.auth, round_id)
    return {"messages": services.open_round(round, by=request.auth)}


@router.post("/rounds/{round_id}/remind", response=SentOut, summary="Напомнить не ответившим")
def remind(request, round_id: PathId, payload: RemindIn = None):
    """Curator: remind those who have not answered (once per person and day)."""
    round = _round_or_404(request.auth, round_id)
    at = payload.at if payload else None
    return {"messages": services.remind_non_responders(round, by=request.auth, at=at)}


@router.get("/rounds/{round_id}/invitations", response=list[InvitationOut],
            summary="Приглашённые в именной опрос")
@paginate
def list_invitations(request, round_id: PathId):
    """Named rounds: who was invited and whether they answered. Anonymous rounds: 409."""
    round = _round_or_404(request.auth, round_id)
    if round.questionnaire.is_anonymous:
        raise AnonymousRound(_("Опрос анонимный: по участникам ничего не показывается, только "
                               "число приглашённых и ответивших (GET /rounds/{id})."))
    return (round.invitations.select_related("person")
            .order_by("person__last_name", "person__first_name", "person_id"))
