"""Personal links and saving answers: one response per invitee, editable while the round is open."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from surveys import services
from surveys.errors import InvalidAnswers, RoundClosed, RoundNotOpen
from surveys.models import Answer, Invitation, Response
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def invitation_of(round, person):
    return Invitation.objects.get(round=round, person=person)


def url(invitation):
    return f"/s/{invitation.token}/"


# --- tokens ----------------------------------------------------------------------------------

def test_token_is_192_bits_from_secrets(open_round):
    tokens = list(open_round.invitations.values_list("token", flat=True))
    assert all(len(token) == 32 for token in tokens)  # 24 random bytes, URL-safe base64
    assert len(set(tokens)) == len(tokens)


def test_wrong_token_is_404_with_a_russian_page(client, open_round):
    response = client.get("/s/not-a-real-token-0000000000000000/")
    assert response.status_code == 404
    assert "Ссылка недействительна" in response.content.decode()


def test_token_of_another_round_cannot_answer_this_round(client, questionnaire, people):
    first, second = make_round(questionnaire, people), make_round(questionnaire, people)
    invitation = invitation_of(first, people[0])
    text = questionnaire.questions.get(code="text")
    client.post(url(invitation), {f"q{text.pk}": "ответ", "action": "draft"})
    assert not Response.objects.filter(round=second).exists()
    assert Response.objects.filter(round=first).count() == 1


def test_questions_of_another_questionnaire_in_the_post_are_ignored(client, questionnaire,
                                                                    people):
    other = make_questionnaire(kinds=["text"], title="Другая")
    invitation = invitation_of(make_round(questionnaire, people), people[0])
    foreign_question = other.questions.get()
    client.post(url(invitation), {f"q{foreign_question.pk}": "чужой ответ", "action": "draft"})
    assert not Answer.objects.filter(question=foreign_question).exists()


def test_closed_round_refuses_answers(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    with pytest.raises(RoundClosed):
        services.save_answers(invitation_of(round, people[0]), full_answers(questionnaire),
                              submit=True)


def test_closed_round_shows_a_russian_page_and_takes_no_post(client, questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    invitation = invitation_of(round, people[0])
    page = client.get(url(invitation)).content.decode()
    response = client.post(url(invitation), {"action": "submit"})
    assert "Опрос завершён" in page
    assert response.status_code == 200 and "Опрос завершён" in response.content.decode()
    assert not Response.objects.exists()


def test_round_not_open_yet_refuses_and_says_when_it_opens(client, questionnaire, people):
    round = make_round(questionnaire, people, opens_in=2, closes_in=9)
    invitation = invitation_of(round, people[0])
    with pytest.raises(RoundNotOpen):
        services.save_answers(invitation, {}, submit=False)
    assert "Опрос ещё не начался" in client.get(url(invitation)).content.decode()


def test_second_submit_edits_the_same_response(questionnaire, open_round, people):
    invitation = invitation_of(open_round, people[0])
    data = full_answers(questionnaire)
    first = services.save_answers(invitation, data, submit=True)
    second = services.save_answers(invitation, {**data, "text": "Передумала"}, submit=True)
    assert first.pk == second.pk
    assert Response.objects.filter(round=open_round).count() == 1
    assert Answer.objects.get(response=second, question__code="text").text == "Передумала"


def test_submit_sets_answered_at_and_keeps_the_first_time(questionnaire, open_round, people):
    invitation = invitation_of(open_round, people[0])
    services.save_answers(invitation, full_answers(questionnaire), submit=True)
    first = Invitation.objects.get(pk=invitation.pk).answered_at
    services.save_answers(invitation, full_answers(questionnaire), submit=True)
    assert first is not None
    assert Invitation.objects.get(pk=invitation.pk).answered_at == first


# --- drafts ----------------------------------------------------------------------------------

def test_draft_saves_without_required_answers(questionnaire, open_round, people):
    invitation = invitation_of(open_round, people[0])
    response = services.save_answers(invitation, {"text": "Начала отвечать"}, submit=False)
    assert response.submitted_at is None
    assert Invitation.objects.get(pk=invitation.pk).answered_at is None
    assert [a.text for a in response.answers.all()] == ["Начала отвечать"]


def test_draft_with_a_malformed_answer_writes_nothing(questionnaire, open_round, people):
    invitation = invitation_of(open_round, people[0])
    with pytest.raises(InvalidAnswers) as caught:
        services.save_answers(invitation, {"number": "много", "text": "да"}, submit=False)
    assert caught.value.errors == {"number": "Введите число, например 12 или 3,5."}
    assert not Response.objects.exists()


def test_submit_reports_every_missing_answer_by_code(questionnaire, open_round, people):
    with pytest.raises(InvalidAnswers) as caught:
        services.save_answers(invitation_of(open_round, people[0]), {"text": "x"}, submit=True)
    assert set(caught.value.errors) == {"scale5", "scale10", "single", "multiple", "number",
                                        "matrix"}


def test_a_sent_response_is_not_turned_back_into_an_incomplete_draft(questionnaire, open_round,
                                                                     people):
    invitation = invitation_of(open_round, people[0])
    services.save_answers(invitation, full_answers(questionnaire), submit=True)
    with pytest.raises(InvalidAnswers):
        services.save_answers(invitation, {"text": "только это"}, submit=False)
    assert Answer.objects.filter(response__round=open_round).count() > 1


def test_answers_are_replaced_not_added(questionnaire, open_round, people):
    invitation = invitation_of(open_round, people[0])
    services.save_answers(invitation, {"text": "раз", "scale5": 2}, submit=False)
    response = services.save_answers(invitation, {"text": "два"}, submit=False)
    assert [(a.question.code, a.text) for a in response.answers.all()] == [("text", "два")]


# --- who the response belongs to -------------------------------------------------------------

def test_named_round_keeps_the_person_and_the_segment(questionnaire, open_round, people):
    person = people[0]
    invitation = invitation_of(open_round, person)
    response = services.save_answers(invitation, full_answers(questionnaire), submit=True)
    assert response.person == person
    assert response.organisation_id == person.organisation_id
    assert response.is_young_specialist is False
    assert response.respondent_key == services.respondent_key(invitation.token)


def test_anonymous_round_never_stores_the_person(people):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    invitation = invitation_of(round, people[0])
    response = services.save_answers(invitation, full_answers(questionnaire), submit=True)
    response.refresh_from_db()
    assert response.person_id is None
    assert (response.organisation_id, response.is_young_specialist) == (None, None)
    assert response.respondent_key == services.respondent_key(invitation.token)
    assert response.pair_key == services.pair_key(round, people[0].pk)
    # Sent, but when is not kept: the round's opening stands in for every time.
    assert response.submitted_at == response.updated_at == round.opens_at


def test_anonymous_round_knows_who_answered_only_to_the_day(people, municipality):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    invitation = invitation_of(round, people[0])
    services.save_answers(invitation, full_answers(questionnaire), submit=True)
    answered = timezone.localtime(Invitation.objects.get(pk=invitation.pk).answered_at,
                                  municipality.zone)
    assert (answered.hour, answered.minute, answered.second) == (0, 0, 0)


def test_respondent_key_differs_between_rounds_and_people(questionnaire, people):
    rounds = [make_round(questionnaire, people) for _n in range(2)]
    keys = {services.respondent_key(invitation.token)
            for round in rounds for invitation in round.invitations.all()}
    assert len(keys) == 2 * len(people)
    assert all(len(key) == 64 for key in keys)  # HMAC-SHA256, hex


def test_pair_key_is_shared_only_within_a_declared_series(people):
    questionnaire = make_questionnaire(anonymous=True)
    before = make_round(questionnaire, people, opens_in=-20, closes_in=-10)
    after = services.create_round(
        questionnaire, audience="hand_picked", persons=people, pair_of=before,
        municipality=people[0].municipality,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5))
    other = make_round(questionnaire, people)
    person = people[0].pk
    assert services.pair_key(before, person) == services.pair_key(after, person)
    assert services.pair_key(other, person) != services.pair_key(before, person)
    assert services.pair_key(before, people[1].pk) != services.pair_key(before, person)


def test_submitting_cancels_the_persons_pending_reminder(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-1, closes_in=5)
    services.open_round(round)
    services.save_answers(invitation_of(round, people[0]), full_answers(questionnaire),
                          submit=True)
    reminders = Notification.objects.filter(kind="survey_reminder")
    assert set(reminders.filter(status="pending").values_list("recipient_id", flat=True)) == {
        people[1].pk, people[2].pk}
    assert reminders.get(recipient=people[0]).status == "cancelled"


def test_record_responses_stores_many_at_their_own_times(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    at = round.opens_at + datetime.timedelta(days=1)
    entries = [(invitation, full_answers(questionnaire), at)
               for invitation in round.invitations.all()]
    services.record_responses(round, entries)
    assert Response.objects.filter(round=round, submitted_at=at).count() == 3
    assert not round.invitations.filter(answered_at__isnull=True).exists()


def test_record_responses_checks_answers_like_save_answers(questionnaire, people):
    round = make_round(questionnaire, people, opens_in=-10, closes_in=-1)
    invitation = round.invitations.first()
    with pytest.raises(InvalidAnswers):
        services.record_responses(round, [(invitation, {"scale5": 9},
                                           round.opens_at + datetime.timedelta(hours=1))])
    assert not Response.objects.exists()
