"""Paper questionnaires typed in: the survey page's checks, the paper mark, who may type them."""

import pytest
from django.test import Client

from participants import roles
from surveys import paper, services
from surveys.errors import Conflict, Forbidden, Invalid, InvalidAnswers
from surveys.models import Answer, Response
from tests.factories import EventFactory, in_days, make_user
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

HOSTILE = {"scale5": "9", "number": "=1+2", "text": "", "scale10": "11"}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_paper_entry_rejects_what_the_survey_page_rejects(questionnaire, open_round, people,
                                                          curator):
    invitation = open_round.invitations.get(person=people[0])
    with pytest.raises(InvalidAnswers) as online:
        services.save_answers(invitation, HOSTILE, submit=True)
    with pytest.raises(InvalidAnswers) as typed:
        paper.enter_paper_response(open_round, HOSTILE, by=curator, invitation=invitation)
    assert typed.value.errors == online.value.errors
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_paper_entry_of_a_named_round_counts_the_invitee_and_is_marked(
        questionnaire, open_round, people, curator):
    invitation = open_round.invitations.get(person=people[0])
    response = paper.enter_paper_response(open_round, full_answers(questionnaire), by=curator,
                                          invitation=invitation)
    invitation.refresh_from_db()
    assert response.is_from_paper and response.person == people[0]
    assert invitation.answered_at is not None and response.submitted_at is not None
    assert response.answers.count() == Answer.objects.count() > 0
    with pytest.raises(Conflict):
        paper.enter_paper_response(open_round, full_answers(questionnaire), by=curator,
                                   invitation=invitation)


def test_paper_entry_of_an_anonymous_round_links_to_nobody(people, curator):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    response = paper.enter_paper_response(round, full_answers(questionnaire), by=curator)
    assert (response.person, response.pair_key, response.organisation) == (None, "", None)
    assert response.submitted_at == round.opens_at and response.is_from_paper
    assert not round.invitations.filter(answered_at__isnull=False).exists()
    with pytest.raises(Invalid):
        paper.enter_paper_response(round, full_answers(questionnaire), by=curator,
                                   invitation=round.invitations.first())


def test_only_the_curator_or_the_events_responsible_mentor_may_type_in(
        questionnaire, people, municipality, mentor_user, other_curator):
    event = EventFactory(municipality=municipality)
    round = services.create_round(questionnaire, audience="hand_picked", persons=people,
                                  municipality=municipality, event=event,
                                  opens_at=event.starts_at, closes_at=in_days(30))
    data = full_answers(questionnaire)
    for stranger in (mentor_user, other_curator):
        with pytest.raises(Forbidden):
            paper.enter_paper_response(round, data, by=stranger,
                                       invitation=round.invitations.first())
    event.responsible.add(mentor_user.person)
    assert paper.may_enter(mentor_user, round)


def test_staff_page_shows_errors_per_question_and_saves_a_valid_form(
        questionnaire, open_round, people, curator):
    client = signed_in(curator)
    url = f"/surveys/rounds/{open_round.pk}/paper/"
    assert "Ввод бумажной анкеты" in client.get(url).content.decode()
    invitation = open_round.invitations.get(person=people[1])
    q = {question.code: f"q{question.pk}" for question in questionnaire.questions.all()}
    refused = client.post(url, {"invitation": invitation.pk, q["scale5"]: "9"})
    assert refused.status_code == 422 and "Проверьте ответы" in refused.content.decode()
    topics = questionnaire.questions.get(kind="matrix").topics.all()
    saved = client.post(url, {
        "invitation": invitation.pk, q["scale5"]: "4", q["scale10"]: "9", q["single"]: "учитель",
        q["multiple"]: ["учитель"], q["text"]: "Всё понятно", q["number"]: "2",
        **{f"{q['matrix']}-t{t.pk}": "3" for t in topics}})
    assert saved.status_code == 302
    assert Response.objects.get(person=people[1]).is_from_paper


def test_staff_page_of_another_municipality_is_a_404(open_round, other_curator, municipality):
    participant = make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)
    assert signed_in(other_curator).get(
        f"/surveys/rounds/{open_round.pk}/paper/").status_code == 404
    assert signed_in(participant).get(
        f"/surveys/rounds/{open_round.pk}/paper/").status_code == 404
