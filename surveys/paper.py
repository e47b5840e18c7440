"""Paper questionnaires typed in by the curator, or by a mentor for their own event.

The answers pass the very checks of the survey page (surveys.questions through the services'
`_clean_all`), every question required as on sending; the response is marked as entered from
paper. A named round's paper form belongs to an invitee, who then counts as answered. An
anonymous round's paper form carries no name: it becomes a response of nobody — no invitation,
no person, no series pseudonym, the round's opening as its time — so typing it in links it to
no one.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import roles
from surveys import notices
from surveys.errors import Conflict, Forbidden, Invalid, RoundNotOpen
from surveys.models import Answer, Invitation
from surveys.services import (
    _answers,
    _clean_all,
    _locked_round,
    _new_response,
    questions_of,
)


def may_enter(user, round):
    """The curator of the round's municipality, or a mentor responsible for its event."""
    if user.is_superuser:
        return True
    if roles.municipality_id_of(user) != round.municipality_id:
        return False
    if roles.can_manage(user):
        return True
    return bool(roles.has_role(user, roles.MENTOR) and round.event_id
                and round.event.responsible.filter(user=user).exists())


def _invitation(round, invitation):
    if round.questionnaire.is_anonymous:
        if invitation is not None:
            raise Invalid(_("Анонимная анкета вводится без имени: не выбирайте участника."),
                          details={"field": "invitation"})
        return None
    if invitation is None:
        raise Invalid(_("Выберите, чья это анкета."), details={"field": "invitation"})
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("person")
                  .get(pk=invitation.pk))
    if invitation.round_id != round.pk:
        raise Invalid(_("Участник не приглашён в этот опрос."), details={"field": "invitation"})
    if invitation.answered_at is not None:
        raise Conflict(_("Этот участник уже ответил на анкету."), code="already_answered")
    return invitation


@transaction.atomic
def enter_paper_response(round, data, *, by, invitation=None, now=None):
    """Save a paper questionnaire's answers (`data`: question code → raw answer, as the page's)."""
    now = now or timezone.now()
    round = _locked_round(round)
    if not may_enter(by, round):
        raise Forbidden(_("Вводить бумажные анкеты может куратор или ответственный наставник "
                          "мероприятия."))
    if now < round.opens_at:
        raise RoundNotOpen(_("Опрос ещё не открыт."))
    invitation = _invitation(round, invitation)
    cleaned = _clean_all(questions_of(round.questionnaire), data, required=True)
    if invitation is None:
        response = round.responses.model(
            round=round, respondent_key=f"paper-{secrets.token_hex(16)}",
            submitted_at=round.opens_at, updated_at=round.opens_at)
    else:
        response = _new_response(round, invitation, invitation.person)
        response.submitted_at = response.updated_at = now
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
        notices.cancel_reminders(round, person_ids=[invitation.person_id])
    response.is_from_paper = True
    response.save()
    Answer.objects.bulk_create(_answers(response, cleaned))
    return response
