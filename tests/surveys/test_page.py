"""The survey page: Russian, works without JavaScript, saves drafts, keeps what was typed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Invitation, Response
from tests.surveys.conftest import make_questionnaire, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(open_round, people):
    return Invitation.objects.get(round=open_round, person=people[0])


def url(invitation):
    return f"/s/{invitation.token}/"


def ids(questionnaire):
    return {q.code: q for q in questionnaire.questions.all()}


def complete_post(questionnaire, **extra):
    q = ids(questionnaire)
    post = {f"q{q['scale5'].pk}": "4", f"q{q['scale10'].pk}": "8",
            f"q{q['single'].pk}": "учитель", f"q{q['multiple'].pk}": ["учитель"],
            f"q{q['text'].pk}": "Спасибо", f"q{q['number'].pk}": "2,5"}
    for topic in q["matrix"].topics.all():
        post[f"q{q['matrix'].pk}-t{topic.pk}"] = "3"
    return {**post, **extra}


def test_page_renders_the_form_in_russian(client, invitation, questionnaire):
    response = client.get(url(invitation))
    page = response.content.decode()
    assert response.status_code == 200
    assert questionnaire.title in page and "Пояснение для респондента." in page
    assert "Отвечено на 0 из 7 вопросов" in page
    assert "Сохранить черновик" in page and "Отправить" in page
    assert "Анкета именная" in page and invitation.person.full_name in page
    assert "<script" not in page
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "same-origin"


def test_anonymous_page_does_not_show_the_name(client, people):
    round = make_round(make_questionnaire(anonymous=True), people)
    invitation = Invitation.objects.get(round=round, person=people[0])
    page = client.get(url(invitation)).content.decode()
    assert "Анкета анонимная" in page
    assert people[0].full_name not in page


def test_draft_button_saves_progress_and_shows_it_again(client, invitation, questionnaire):
    q = ids(questionnaire)
    response = client.post(url(invitation), {f"q{q['text'].pk}": "Начало ответа",
                                             f"q{q['scale5'].pk}": "2", "action": "draft"},
                           follow=True)
    page = response.content.decode()
    assert "Черновик сохранён" in page
    assert "Начало ответа" in page
    assert f'id="q{q["scale5"].pk}-2" value="2" checked' in page
    assert "Отвечено на 2 из 7 вопросов" in page
    assert Invitation.objects.get(pk=invitation.pk).answered_at is None


def test_submit_with_errors_shows_messages_next_to_questions_and_keeps_typed(client, invitation,
                                                                           questionnaire):
    q = ids(questionnaire)
    post = complete_post(questionnaire, **{f"q{q['number'].pk}": "два с половиной",
                                           f"q{q['text'].pk}": "Мой длинный ответ"})
    del post[f"q{q['scale5'].pk}"]
    response = client.post(url(invitation), {**post, "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Проверьте ответы" in page
    assert "Введите число, например 12 или 3,5." in page
    assert "Ответьте на этот вопрос." in page
    assert 'value="два с половиной"' in page and "Мой длинный ответ" in page
    assert f'aria-describedby="q{q["number"].pk}-error"' in page
    assert not Response.objects.exists()


def test_submit_shows_thanks_with_a_way_to_change_answers(client, invitation, questionnaire):
    response = client.post(url(invitation), {**complete_post(questionnaire), "action": "submit"},
                           follow=True)
    page = response.content.decode()
    assert "Спасибо! Ваши ответы отправлены." in page
    assert "Изменить ответы" in page
    assert Invitation.objects.get(pk=invitation.pk).answered_at is not None


def test_edit_page_shows_sent_answers_and_no_draft_button(client, invitation, questionnaire):
    client.post(url(invitation), {**complete_post(questionnaire), "action": "submit"})
    page = client.get(url(invitation) + "?edit=1").content.decode()
    assert "Сохранить изменения" in page and "Сохранить черновик" not in page
    assert 'value="2,5"' in page
    assert "Отвечено на 7 из 7 вопросов" in page


def test_editing_again_keeps_one_response(client, invitation, questionnaire):
    q = ids(questionnaire)
    client.post(url(invitation), {**complete_post(questionnaire), "action": "submit"})
    client.post(url(invitation), {**complete_post(questionnaire, **{f"q{q['text'].pk}": "Иначе"}),
                                  "action": "submit"})
    response = Response.objects.get()
    assert response.answers.get(question__code="text").text == "Иначе"


def _page_of(client, people, kinds):
    round = make_round(make_questionnaire(kinds=kinds), people)
    invitation = Invitation.objects.get(round=round, person=people[0])
    client.post(url(invitation), {"action": "draft"})  # a draft exists: its answers are read too
    return url(invitation)


def test_page_queries_do_not_grow_with_the_number_of_questions(client, people,
                                                               django_assert_num_queries):
    two = _page_of(client, people, ["scale5", "matrix"])
    six = _page_of(client, people, ["scale5", "matrix", "single", "multiple", "number", "text"])
    with CaptureQueriesContext(connection) as first:
        client.get(two)
    with django_assert_num_queries(len(first)):
        client.get(six)


def test_anonymous_answer_is_drafted_resumed_sent_and_edited_through_the_link(client, people):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    invitation = Invitation.objects.get(round=round, person=people[0])
    q = ids(questionnaire)
    client.post(url(invitation), {f"q{q['text'].pk}": "Набросок", "action": "draft"})
    resumed = client.get(url(invitation)).content.decode()
    assert "Набросок" in resumed
    assert "черновик сохранён" not in resumed  # an anonymous response keeps no time to show
    client.post(url(invitation), {**complete_post(questionnaire), "action": "submit"})
    edited = {**complete_post(questionnaire, **{f"q{q['text'].pk}": "Передумал"}),
              "action": "submit"}
    client.post(url(invitation), edited)
    assert "Передумал" in client.get(url(invitation) + "?edit=1").content.decode()
    response = Response.objects.get(round=round)
    assert response.person_id is None
    assert response.answers.get(question__code="text").text == "Передумал"


# --- what the page says once ------------------------------------------------------------------

NOTICE = "ответы хранятся без"  # the anonymity notice, in every wording the project uses


def _seeded_round(title, people):
    """A round of a questionnaire the project ships, with the title the service gives it."""
    from surveys import services
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.get(title=title, is_current=True)
    now = timezone.now()
    return services.create_round(questionnaire, audience="hand_picked",
                                 municipality=people[0].municipality, persons=people,
                                 opens_at=now - datetime.timedelta(days=1),
                                 closes_at=now + datetime.timedelta(days=7))


@pytest.mark.parametrize("title", [
    "Оценка мероприятия", "Удовлетворённость программой наставничества (наставники)",
    "Удовлетворённость программой наставничества (наставляемые)"],
    ids=["event", "mentors", "mentees"])
def test_shipped_anonymous_questionnaire_states_anonymity_once_on_its_page(client, people, title):
    round = _seeded_round(title, people)
    invitation = Invitation.objects.get(round=round, person=people[0])

    page = client.get(url(invitation)).content.decode()

    assert page.count(NOTICE) == 1
    assert "Анкета анонимная" in page


def test_thanks_page_names_the_questionnaire_once(client, people):
    round = _seeded_round("Оценка мероприятия", people)
    invitation = Invitation.objects.get(round=round, person=people[0])
    questions = {q.code: q for q in round.questionnaire.questions.all()}
    post = {f"q{q.pk}": "4" for q in questions.values() if q.kind == "scale5"}
    post[f"q{questions['recommend'].pk}"] = "9"

    page = client.post(url(invitation), {**post, "action": "submit"}, follow=True)

    text = page.content.decode()
    assert "Спасибо! Ваши ответы отправлены." in text
    assert text.count("Оценка мероприятия") == 1
    assert round.title in text


def test_submitting_reads_the_questions_once_and_deletes_nothing_new(client, invitation,
                                                                     questionnaire):
    """A first submit: the invitation, its questions (and matrix topics), the response looked
    for, then writes. The form's questions serve the saving too; a new response has no answers
    to delete."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(invitation), {**complete_post(questionnaire),
                                                 "action": "submit"})
    assert response.status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "surveys_question"' in s and "INNER JOIN" not in s for s in sql) == 1, sql
    assert not any(s.startswith('DELETE FROM "surveys_answer"') for s in sql), sql
    assert Response.objects.get().answers.count() == 6 + 2  # six questions, a matrix of two
