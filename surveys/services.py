"""Operations on questionnaires, rounds and answers; every entry point writes through these.

Questionnaires are global templates: only a superuser (or a trusted caller, ``by=None``) changes
them; a municipality's own copy (its observation map) its curator changes too. A version that has
answers is never changed — ``revise_questionnaire`` makes the next
version instead. Rounds belong to a municipality and are run by its curator.

Anonymity by construction: a response is found by ``respondent_key``, an HMAC of its invitation's
token with a key derived from SECRET_KEY — a different key in every round, which no stored column
lets one compute without the secret. An anonymous response keeps no person, no school or
experience flag, and the round's opening in place of its times; the invitation knows *that* its
person answered (to the day, for the reminders), never which response is theirs. Anonymous
before/after pairs go through ``pair_key``, a pseudonym that exists only within one declared
series of rounds. The threat model is in the README («Анонимные опросы: модель угроз»).
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from notifications.services import enqueue, enqueue_new
from participants import roles
from participants.models import Person
from surveys import notices, questions
from surveys.audience import audience_ids
from surveys.errors import (
    Forbidden,
    Invalid,
    InvalidAnswers,
    QuestionnaireLocked,
    RoundClosed,
    RoundNotOpen,
)
from surveys.models import Answer, Invitation, Question, Questionnaire, Response, Round

log = logging.getLogger(__name__)

RESPONSE_SALT = "surveys.response"
PAIR_SALT = "surveys.pair"
DEFAULT_DURATION = datetime.timedelta(days=14)
REMIND_BEFORE = datetime.timedelta(days=1)
QUESTIONNAIRE_FIELDS = ("title", "purpose", "description", "is_anonymous")
QUESTION_FIELDS = ("position", "code", "kind", "text", "help_text", "required", "choices",
                   "allow_other", "scale_labels")


def _checked(instance, exclude=None):
    """Model validation as a domain error instead of a database one."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0]
        raise Invalid(first, details={"fields": exc.message_dict}) from exc
    return instance


# --- questionnaires ------------------------------------------------------------------------

def may_edit(user, questionnaire):
    """A shared template: the administrator; a municipality's own copy: also its curator."""
    if user is None or user.is_superuser:
        return True
    return bool(questionnaire is not None and questionnaire.municipality_id
                and roles.can_manage(user)
                and roles.municipality_id_of(user) == questionnaire.municipality_id)


def _ensure_template_editor(user, questionnaire=None):
    if not may_edit(user, questionnaire):
        raise Forbidden(_("Анкеты — общие шаблоны для всех муниципалитетов; изменять их может "
                          "только администратор (свою карту наблюдений — куратор "
                          "муниципалитета)."))


def has_answers(questionnaire):
    return Answer.objects.filter(question__questionnaire=questionnaire).exists()


def _ensure_unlocked(questionnaire):
    if has_answers(questionnaire):
        raise QuestionnaireLocked(
            _("На эту версию анкеты уже есть ответы, и изменить её нельзя: старые ответы "
              "исказились бы. Создайте новую версию (действие «Создать новую версию») и "
              "изменяйте её."),
            details={"questionnaire_id": questionnaire.pk},
        )


def _set_fields(instance, fields, allowed):
    for name, value in fields.items():
        if name not in allowed:
            raise Invalid(_("Поле «%(field)s» нельзя изменить так.") % {"field": name})
        setattr(instance, name, value)


@transaction.atomic
def create_questionnaire(*, by=None, **fields):
    """A new questionnaire (version 1 of a new family)."""
    _ensure_template_editor(by)
    questionnaire = Questionnaire()
    _set_fields(questionnaire, fields, QUESTIONNAIRE_FIELDS)
    _checked(questionnaire, exclude=["family"])
    questionnaire.save()
    return questionnaire


@transaction.atomic
def update_questionnaire(questionnaire, *, by=None, **fields):
    """Change a version without answers; anonymity stays as promised once a round uses it."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _ensure_template_editor(by, questionnaire)
    _ensure_unlocked(questionnaire)
    if ("is_anonymous" in fields and fields["is_anonymous"] != questionnaire.is_anonymous
            and questionnaire.rounds.exists()):
        raise QuestionnaireLocked(_("Приглашения уже обещали участникам анонимность (или её "
                                    "отсутствие); создайте новую версию анкеты."))
    _set_fields(questionnaire, fields, QUESTIONNAIRE_FIELDS)
    _checked(questionnaire, exclude=["family"])
    questionnaire.save()
    return questionnaire


@transaction.atomic
def save_question(questionnaire, *, by=None, question=None, topics=None, **fields):
    """Add a question to a version without answers, or change one of its questions."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _ensure_template_editor(by, questionnaire)
    _ensure_unlocked(questionnaire)
    question = question or Question(questionnaire=questionnaire)
    _set_fields(question, fields, QUESTION_FIELDS)
    topics_count = len(topics) if topics is not None else (
        question.topics.count() if question.pk else 0)
    errors = questions.definition_errors(question.kind, choices=question.choices,
                                         scale_labels=question.scale_labels,
                                         topics_count=topics_count)
    if errors:
        raise Invalid(next(iter(errors.values())), details={"fields": errors})
    _checked(question)
    question.save()
    if topics is not None:
        question.topics.set(topics)
    return question


@transaction.atomic
def delete_question(question, *, by=None):
    _ensure_template_editor(by, question.questionnaire)
    _ensure_unlocked(question.questionnaire)
    question.delete()


@transaction.atomic
def revise_questionnaire(questionnaire, *, by=None):
    """The next version as a copy of this one (questions and their topics); it becomes current.

    Old answers stay attached to the old version's questions; question codes are kept, so that a
    trend follows "the same question" across versions.
    """
    _ensure_template_editor(by, questionnaire)
    versions = list(Questionnaire.objects.select_for_update().filter(family=questionnaire.family))
    # The partial unique index allows one current version: clear it before adding the next.
    Questionnaire.objects.filter(family=questionnaire.family, is_current=True).update(
        is_current=False)
    revised = Questionnaire.objects.create(
        family=questionnaire.family, version=max(v.version for v in versions) + 1,
        is_current=True, municipality_id=questionnaire.municipality_id,
        **{name: getattr(questionnaire, name) for name in QUESTIONNAIRE_FIELDS},
    )
    originals = list(questionnaire.questions.order_by("position").prefetch_related("topics"))
    copies = Question.objects.bulk_create([
        Question(questionnaire=revised, **{name: getattr(q, name) for name in QUESTION_FIELDS})
        for q in originals
    ])
    through = Question.topics.through
    through.objects.bulk_create([
        through(question_id=copy.pk, topic_id=topic.pk)
        for copy, original in zip(copies, originals, strict=True)
        for topic in original.topics.all()
    ])
    log.info("questionnaire %s: version %s", questionnaire.family, revised.version)
    return revised


@transaction.atomic
def copy_for_municipality(questionnaire, municipality):
    """A municipality's own copy of a shared template: version 1 of a new family, which the
    municipality's curator edits (``may_edit``). Trusted callers only."""
    copy = Questionnaire.objects.create(
        version=1, is_current=True, municipality=municipality,
        **{name: getattr(questionnaire, name) for name in QUESTIONNAIRE_FIELDS})
    originals = list(questionnaire.questions.order_by("position").prefetch_related("topics"))
    copies = Question.objects.bulk_create([
        Question(questionnaire=copy, **{name: getattr(q, name) for name in QUESTION_FIELDS})
        for q in originals])
    through = Question.topics.through
    through.objects.bulk_create([
        through(question_id=new.pk, topic_id=topic.pk)
        for new, original in zip(copies, originals, strict=True)
        for topic in original.topics.all()])
    return copy


# --- rounds --------------------------------------------------------------------------------

def _round_context(audience, municipality, event, track, program):
    """Fill the program from a track or event, the municipality from them; check they agree."""
    needed = {Round.Audience.EVENT_ATTENDEES: ("event", event),
              Round.Audience.TRACK: ("track", track),
              Round.Audience.PROGRAM: ("program", program)}.get(audience)
    if audience not in Round.Audience.values:
        raise Invalid(_("Неизвестная аудитория опроса."), details={"field": "audience"})
    if needed and needed[1] is None:
        raise Invalid(_("Для этой аудитории укажите: %(field)s.") % {"field": needed[0]},
                      details={"field": needed[0]})
    track = track or (event.track if event and event.track_id else None)
    program = program or (track.program if track else None) or (
        event.program if event and event.program_id else None)
    if event and track and event.track_id != track.pk:
        raise Invalid(_("Мероприятие не относится к этому треку."), details={"field": "event"})
    if track and program and track.program_id != program.pk:
        raise Invalid(_("Трек относится к другой программе."), details={"field": "track"})
    owner = event or program
    municipality = municipality or (owner.municipality if owner else None)
    if municipality is None:
        raise Invalid(_("Укажите муниципалитет."), details={"field": "municipality"})
    if owner and owner.municipality_id != municipality.pk:
        raise Invalid(_("Программа или мероприятие из другого муниципалитета."))
    return municipality, event, track, program


def _default_title(questionnaire, audience, event, track, program):
    about = event.title if event else (str(track) if track else (
        program.name if program else Round.Audience(audience).label))
    return f"{questionnaire.title}: {about}"


def _series_root(questionnaire, municipality, opens_at, before):
    """The first round of the series `before` belongs to; refuses what cannot be compared."""
    if before is None:
        return None
    root = before.pair_of or before
    if before.municipality_id != municipality.pk:
        raise Invalid(_("Опрос «до» из другого муниципалитета."), details={"field": "pair_of"})
    if before.questionnaire.family != questionnaire.family:
        raise Invalid(_("Опрос «до» задан по другой анкете: сравнивать «до и после» можно "
                        "только ответы на одну и ту же анкету."), details={"field": "pair_of"})
    if before.questionnaire.is_anonymous != questionnaire.is_anonymous:
        raise Invalid(_("Анонимный опрос можно сравнивать только с анонимным, именной — только "
                        "с именным."), details={"field": "pair_of"})
    if opens_at <= before.opens_at:
        raise Invalid(_("Опрос «после» должен начинаться позже опроса «до»."),
                      details={"field": "pair_of"})
    return root


@transaction.atomic
def create_round(questionnaire, *, audience, by=None, municipality=None, event=None, track=None,
                 program=None, persons=(), opens_at=None, closes_at=None, title="",
                 pair_of=None, mentoring_group=None):
    """A round of a current questionnaire with its invitation list built for the audience.

    An event round opens when the event ends unless told otherwise; a round lasts two weeks
    unless told otherwise. Nothing is sent yet: ``open_round`` does that. `pair_of` declares
    it the "after" of an earlier round of the same questionnaire (before/after comparison).
    """
    if mentoring_group is not None:
        if audience != Round.Audience.MENTORING_GROUPS:
            raise Invalid(_("Пару или группу указывают только для аудитории «наставнические "
                            "пары и группы»."), details={"field": "mentoring_group"})
        municipality = municipality or mentoring_group.municipality
        if mentoring_group.municipality_id != municipality.pk:
            raise Invalid(_("Пара или группа из другого муниципалитета."),
                          details={"field": "mentoring_group"})
    municipality, event, track, program = _round_context(audience, municipality, event, track,
                                                         program)
    roles.ensure_can_manage(by, municipality)
    if not questionnaire.is_current:
        raise Invalid(_("Это не текущая версия анкеты; выберите текущую."),
                      details={"field": "questionnaire"})
    if questionnaire.municipality_id not in (None, municipality.pk):
        raise Invalid(_("Анкета другого муниципалитета."), details={"field": "questionnaire"})
    if audience == Round.Audience.MENTORING_GROUPS and questionnaire.is_anonymous:
        # In a pair of two, the mentor's answer and the mentee's are each other's complement:
        # anonymity could not be kept, so pair rounds are named and say so.
        raise Invalid(_("Анонимную анкету нельзя адресовать наставническим парам и группам: "
                        "в паре двое, анонимность не сохранится. Выберите именную анкету."),
                      details={"field": "questionnaire"})
    if event is not None and event.is_cancelled:
        raise Invalid(_("Мероприятие отменено."), details={"field": "event"})
    strangers = [p for p in persons if p.municipality_id != municipality.pk]
    if strangers:
        raise Invalid(_("Участники из другого муниципалитета: %(names)s.")
                      % {"names": ", ".join(p.full_name for p in strangers)})
    opens_at = opens_at or (event.ends_at if event else timezone.now())
    round = Round(
        municipality=municipality, questionnaire=questionnaire, audience=audience, event=event,
        track=track, program=program, opens_at=opens_at,
        closes_at=closes_at or opens_at + DEFAULT_DURATION,
        title=title or _default_title(questionnaire, audience, event, track, program),
        created_by=by if by is not None and by.is_authenticated else None,
        pair_of=_series_root(questionnaire, municipality, opens_at, pair_of),
        mentoring_group=mentoring_group,
    )
    if round.closes_at <= round.opens_at:
        raise Invalid(_("Опрос должен закрываться позже, чем открывается."),
                      details={"field": "closes_at"})
    _checked(round)
    round.save()
    _invite(round, audience_ids(round, persons))
    return round


def _invite(round, person_ids):
    """Invitations for those of `person_ids` not invited yet; nobody invited is ever dropped."""
    invited = set(round.invitations.values_list("person_id", flat=True))
    new = [Invitation(round=round, person_id=pk) for pk in person_ids if pk not in invited]
    Invitation.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _locked_round(round):
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins (event, program).
    return (Round.objects.select_for_update(of=("self",))
            .select_related("municipality", "questionnaire", "event", "program")
            .get(pk=round.pk))


def _reminder_time(round, now):
    """A day before closing; now if that has passed; None when it would come before opening."""
    at = max(round.closes_at - REMIND_BEFORE, now)
    return at if round.opens_at < at < round.closes_at else None


@transaction.atomic
def open_round(round, *, by=None, now=None):
    """Invite everyone of the audience (those who joined it since too) and plan the reminder.

    Invitations go out at the opening time (at once if it has passed); safe to call again —
    every message has its dedup key, so nobody gets the same one twice. Returns how many
    invitations were newly queued.
    """
    now = now or timezone.now()
    round = _locked_round(round)
    roles.ensure_can_manage(by, round.municipality)
    if now >= round.closes_at:
        raise RoundClosed(_("Опрос уже закрыт."))
    if round.audience != Round.Audience.HAND_PICKED:
        _invite(round, audience_ids(round))
    invitations = list(round.invitations.only("id", "person_id", "token", "answered_at"))
    sent = enqueue_new(notices.invitation_messages(round, invitations))
    at = _reminder_time(round, now)
    if at is not None:
        waiting = [invitation for invitation in invitations if invitation.answered_at is None]
        enqueue(notices.reminder_messages(round, waiting, at=at))
    return sent


@transaction.atomic
def remind_non_responders(round, *, by=None, at=None, now=None):
    """Remind those who have not answered, a day before closing by default; returns how many
    reminders were newly queued (0 when the same reminder was asked for already)."""
    now = now or timezone.now()
    round = _locked_round(round)
    roles.ensure_can_manage(by, round.municipality)
    if now >= round.closes_at:
        raise RoundClosed(_("Опрос уже закрыт: напоминать поздно."))
    at = max(at, now) if at is not None else _reminder_time(round, now) or now
    if not round.opens_at <= at < round.closes_at:
        raise Invalid(_("Напоминание должно уйти, пока опрос открыт: с %(opens)s до %(closes)s.")
                      % notices.round_context(round), details={"field": "at"})
    waiting = list(round.invitations.filter(answered_at__isnull=True)
                   .only("id", "person_id", "token"))
    return enqueue_new(notices.reminder_messages(round, waiting, at=at))


def open_due_rounds(now=None):
    """Open every round whose time has come (the django-q2 sweep); returns how many."""
    now = now or timezone.now()
    due = Round.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("pk")
    for round in due:
        open_round(round, now=now)
    return len(due)


# --- answering -----------------------------------------------------------------------------

def respondent_key(token):
    """Finds the response of an invitation's link; needs the server secret, differs per round."""
    return salted_hmac(RESPONSE_SALT, f"invitation:{token}", algorithm="sha256").hexdigest()


def pair_key(round, person_id):
    """An anonymous respondent's pseudonym within one before/after series of rounds only."""
    return salted_hmac(PAIR_SALT, f"series:{round.pair_anchor_id}:person:{person_id}",
                       algorithm="sha256").hexdigest()


def questions_of(questionnaire):
    """Questions in order with the topics of matrix rows: two queries, whatever their number."""
    return list(questionnaire.questions.order_by("position").prefetch_related("topics"))


def invitation_for(token):
    """The invitation behind a personal link, with its round; None for an unknown token."""
    if not token or len(token) > 64:
        return None
    return (Invitation.objects.select_related("round__questionnaire", "round__municipality",
                                              "round__event", "person")
            .filter(token=token).first())


def response_of(invitation):
    """The invitee's response (draft or sent) in the invitation's round, with its answers."""
    return (Response.objects.prefetch_related("answers")
            .filter(round_id=invitation.round_id,
                    respondent_key=respondent_key(invitation.token))
            .first())


def ensure_answerable(round, now=None):
    now = now or timezone.now()
    if now < round.opens_at:
        raise RoundNotOpen(_("Опрос ещё не открыт."))
    if now >= round.closes_at:
        raise RoundClosed(_("Опрос закрыт: ответы больше не принимаются."))


def _clean_all(question_list, data, *, required):
    """Answer rows per question; every error at once, keyed by question code."""
    cleaned, errors = [], {}
    for question in question_list:
        try:
            cleaned.append((question, questions.clean(question, data.get(question.code),
                                                      required=required)))
        except questions.AnswerError as exc:
            errors[question.code] = exc.message
    if errors:
        raise InvalidAnswers(_("Проверьте ответы, отмеченные ниже."), details={"errors": errors})
    return cleaned


def _answers(response, cleaned):
    return [Answer(response=response, question=question, **row)
            for question, rows in cleaned for row in rows]


def _new_response(round, invitation, person):
    key = respondent_key(invitation.token)
    if round.questionnaire.is_anonymous:
        # Nothing that narrows the respondent down: no person, no segment, no time of theirs.
        return Response(round=round, respondent_key=key, pair_key=pair_key(round, person.pk),
                        updated_at=round.opens_at)
    young = person.is_young_specialist if person.experience_years is not None else None
    return Response(round=round, respondent_key=key, person=person,
                    organisation_id=person.organisation_id, is_young_specialist=young)


def _stamp(round, now):
    """A response's time: exact in a named round; the round's opening in an anonymous one."""
    return round.opens_at if round.questionnaire.is_anonymous else now


def _answered_stamp(round, now):
    """When an invitee answered: exact for a named round, the local day for an anonymous one."""
    if not round.questionnaire.is_anonymous:
        return now
    local = timezone.localtime(now, round.municipality.zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def save_answers(invitation, data, *, submit, question_list=None):
    """Save a person's answers (`data`: question code → raw answer) while the round is open.

    A draft (`submit=False`) may leave required questions blank; a submitted response stays
    submitted, so a later save checks everything again. Every answer of the response is
    replaced at once. Raises InvalidAnswers with a message per question; nothing is written then.
    `question_list`: the questionnaire's questions (questions_of) when the caller has read them.
    """
    now = timezone.now()
    # Two saves through one link at once queue here; the round and the person are the ones the
    # caller read in this request, only whether it was answered may have changed since.
    invitation.answered_at = (Invitation.objects.select_for_update().filter(pk=invitation.pk)
                              .values_list("answered_at", flat=True).get())
    round = invitation.round
    ensure_answerable(round, now)
    key = respondent_key(invitation.token)
    response = Response.objects.filter(round=round, respondent_key=key).first()
    submit = submit or bool(response and response.submitted_at)
    if question_list is None:
        question_list = questions_of(round.questionnaire)
    cleaned = _clean_all(question_list, data, required=submit)
    new = response is None
    response = response or _new_response(round, invitation, invitation.person)
    if submit and response.submitted_at is None:
        response.submitted_at = _stamp(round, now)
    response.updated_at = _stamp(round, now)
    response.save()
    if not new:
        response.answers.all().delete()
    Answer.objects.bulk_create(_answers(response, cleaned))
    if submit and invitation.answered_at is None:
        invitation.answered_at = _answered_stamp(round, now)
        invitation.save(update_fields=["answered_at"])
        notices.cancel_reminders(round, person_ids=[invitation.person_id])
    return response


@transaction.atomic
def record_responses(round, entries, *, by=None):
    """Many sent responses at once — the demo, paper forms typed in — with save_answers' checks.

    `entries` are (invitation, data, submitted_at) of invitees who have not answered yet; each
    time must fall while the round was open. Queries do not grow with the number of entries.
    """
    round = _locked_round(round)
    roles.ensure_can_manage(by, round.municipality)
    question_list = questions_of(round.questionnaire)
    entries = list(entries)
    people = Person.objects.in_bulk([invitation.person_id for invitation, _d, _t in entries])
    responses, cleaned_all, invitations = [], [], []
    for invitation, data, at in entries:
        if invitation.round_id != round.pk or invitation.answered_at is not None:
            raise Invalid(_("Приглашение из другого опроса или уже с ответом."))
        if not round.opens_at <= at < round.closes_at:
            raise Invalid(_("Время ответа вне срока опроса."))
        cleaned_all.append(_clean_all(question_list, data, required=True))
        response = _new_response(round, invitation, people[invitation.person_id])
        response.submitted_at = response.updated_at = _stamp(round, at)
        responses.append(response)
        invitation.answered_at = _answered_stamp(round, at)
        invitations.append(invitation)
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(
        [answer for response, cleaned in zip(responses, cleaned_all, strict=True)
         for answer in _answers(response, cleaned)], batch_size=1000)
    Invitation.objects.bulk_update(invitations, ["answered_at"], batch_size=500)
    notices.cancel_reminders(round, person_ids=[i.person_id for i in invitations])
    return responses
