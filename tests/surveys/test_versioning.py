"""A questionnaire with answers is never changed: a new version is made, old answers stay put."""

import pytest

from surveys import services
from surveys.errors import Forbidden, QuestionnaireLocked
from surveys.models import Answer, Invitation, Question, Questionnaire
from tests.factories import TopicFactory
from tests.surveys.conftest import full_answers, make_round

pytestmark = pytest.mark.django_db


def answer(round, person, data):
    invitation = Invitation.objects.get(round=round, person=person)
    return services.save_answers(invitation, data, submit=True)


def test_revise_copies_questions_and_topics_and_becomes_current(questionnaire):
    revised = services.revise_questionnaire(questionnaire)
    questionnaire.refresh_from_db()
    assert (revised.family, revised.version, revised.is_current) == (questionnaire.family, 2, True)
    assert questionnaire.is_current is False
    old = list(questionnaire.questions.values_list("code", "kind", "text", "position"))
    assert list(revised.questions.values_list("code", "kind", "text", "position")) == old
    old_matrix = questionnaire.questions.get(kind="matrix")
    new_matrix = revised.questions.get(kind="matrix")
    assert set(new_matrix.topics.all()) == set(old_matrix.topics.all())
    assert new_matrix.pk != old_matrix.pk


def test_revising_an_old_version_numbers_after_the_latest(questionnaire):
    services.revise_questionnaire(questionnaire)
    third = services.revise_questionnaire(questionnaire)
    assert third.version == 3
    assert Questionnaire.objects.filter(family=questionnaire.family, is_current=True).get() == third


def test_old_answers_stay_with_the_old_version_after_revising(questionnaire, people):
    first_round = make_round(questionnaire, people)
    old_response = answer(first_round, people[0], {**full_answers(questionnaire), "text": "до"})
    revised = services.revise_questionnaire(questionnaire)
    services.save_question(revised, question=revised.questions.get(code="text"),
                           text="Что изменилось?")
    second_round = make_round(revised, people)
    answer(second_round, people[0], {**full_answers(revised), "text": "после"})

    old_text = Answer.objects.get(response=old_response, question__code="text")
    assert old_text.question.questionnaire == questionnaire
    assert old_text.question.text == "Вопрос text" and old_text.text == "до"
    assert Answer.objects.filter(question__questionnaire=questionnaire).count() == (
        old_response.answers.count())
    assert Answer.objects.get(question__questionnaire=revised, question__code="text").text == (
        "после")


def test_changing_a_question_with_answers_is_refused_with_an_offer(questionnaire, open_round,
                                                                   people):
    answer(open_round, people[0], full_answers(questionnaire))
    question = questionnaire.questions.get(code="single")
    with pytest.raises(QuestionnaireLocked) as caught:
        services.save_question(questionnaire, question=question, choices=["да", "нет"])
    assert "Создайте новую версию" in caught.value.message
    question.refresh_from_db()
    assert question.choices != ["да", "нет"]


def test_changing_the_questionnaire_with_answers_is_refused(questionnaire, open_round, people):
    answer(open_round, people[0], full_answers(questionnaire))
    with pytest.raises(QuestionnaireLocked):
        services.update_questionnaire(questionnaire, title="Новое название")
    with pytest.raises(QuestionnaireLocked):
        services.delete_question(questionnaire.questions.get(code="text"))


def test_a_version_without_answers_can_be_changed(questionnaire):
    topic = TopicFactory(name="Новая тема")
    question = services.save_question(questionnaire,
                                      question=questionnaire.questions.get(code="matrix"),
                                      topics=[topic])
    assert list(question.topics.all()) == [topic]


def test_anonymity_is_kept_once_a_round_uses_the_questionnaire(questionnaire, open_round):
    with pytest.raises(QuestionnaireLocked):
        services.update_questionnaire(questionnaire, is_anonymous=True)


def test_only_a_superuser_edits_templates(questionnaire, curator):
    with pytest.raises(Forbidden):
        services.revise_questionnaire(questionnaire, by=curator)
    with pytest.raises(Forbidden):
        services.update_questionnaire(questionnaire, by=curator, title="x")


def test_the_shipped_templates_are_there_with_stable_codes(db):
    current = {q.title: q for q in Questionnaire.objects.filter(is_current=True)}
    difficulty = current["Трудности в работе учителя"]
    event = current["Оценка мероприятия"]
    assert difficulty.purpose == "difficulty" and not difficulty.is_anonymous
    assert event.purpose == "event_satisfaction" and event.is_anonymous
    assert {"Удовлетворённость программой наставничества (наставники)",
            "Удовлетворённость программой наставничества (наставляемые)"} <= set(current)
    matrix = difficulty.questions.get(code="topics_difficulty")
    assert matrix.kind == "matrix" and matrix.topics.count() >= 10
    assert matrix.scale_labels[0] == "совсем не трудно"
    assert matrix.scale_labels[-1] == "очень трудно"
    assert list(event.questions.values_list("code", flat=True)) == [
        "satisfaction", "usefulness", "will_apply", "organisation", "presenter", "recommend",
        "improve", "next_topics"]
    next_topics = event.questions.get(code="next_topics")
    assert next_topics.allow_other and len(next_topics.choices) >= 10
    assert Question.objects.filter(questionnaire__in=current.values(), kind="scale10").exists()
