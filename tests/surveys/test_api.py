"""The surveys API: questionnaires, rounds, counts; anonymous rounds give out no identity."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import services
from surveys.models import Invitation, Questionnaire, Round
from tests.factories import PersonFactory
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

API = "/api/v1"
pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(API + url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(API + url, data, content_type="application/json")


def answer_all(round, questionnaire):
    for invitation in round.invitations.all():
        services.save_answers(invitation, full_answers(questionnaire), submit=True)


# --- questionnaires --------------------------------------------------------------------------

def test_questionnaires_list_shows_current_versions_to_staff(curator):
    response = signed_in(curator).get(f"{API}/questionnaires")
    titles = [item["title"] for item in response.json()["items"]]
    assert "Трудности в работе учителя" in titles and "Оценка мероприятия" in titles


def test_questionnaire_detail_has_questions_with_topics(curator):
    difficulty = Questionnaire.objects.get(title="Трудности в работе учителя", is_current=True)
    data = signed_in(curator).get(f"{API}/questionnaires/{difficulty.pk}").json()
    matrix = data["questions"][0]
    assert matrix["code"] == "topics_difficulty" and matrix["kind"] == "matrix"
    assert len(matrix["topics"]) >= 10 and data["has_answers"] is False


def test_editing_a_questionnaire_with_answers_is_refused_with_an_offer(superuser, questionnaire,
                                                                       open_round):
    answer_all(open_round, questionnaire)
    client = signed_in(superuser)
    response = patch(client, f"/questionnaires/{questionnaire.pk}", {"title": "Другое"})
    question = questionnaire.questions.get(code="text")
    question_response = patch(client, f"/questionnaires/{questionnaire.pk}/questions/"
                                      f"{question.pk}", {"text": "Другой вопрос"})
    for refused in (response, question_response):
        assert refused.status_code == 409
        assert refused.json()["code"] == "questionnaire_has_answers"
        assert "новую версию" in refused.json()["message"]


def test_revise_through_the_api_makes_an_editable_version(superuser, questionnaire, open_round):
    answer_all(open_round, questionnaire)
    client = signed_in(superuser)
    revised = post(client, f"/questionnaires/{questionnaire.pk}/revise")
    assert revised.status_code == 201 and revised.json()["version"] == 2
    response = patch(client, f"/questionnaires/{revised.json()['id']}", {"title": "Новая"})
    assert response.status_code == 200 and response.json()["title"] == "Новая"


def test_curator_cannot_edit_templates(curator, questionnaire):
    response = patch(signed_in(curator), f"/questionnaires/{questionnaire.pk}", {"title": "x"})
    assert response.status_code == 403


# --- rounds ----------------------------------------------------------------------------------

def test_curator_creates_a_round_and_sees_counts(curator, municipality, questionnaire):
    people = [PersonFactory(municipality=municipality) for _ in range(2)]
    client = signed_in(curator)
    response = post(client, "/rounds", {"questionnaire_id": questionnaire.pk,
                                        "audience": "hand_picked",
                                        "person_ids": [p.pk for p in people]})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["invited_count"], data["answered_count"], data["is_open"]) == (2, 0, True)
    assert data["municipality_id"] == municipality.pk
    round = Round.objects.get(pk=data["id"])
    services.save_answers(round.invitations.first(), full_answers(questionnaire), submit=True)
    detail = client.get(f"{API}/rounds/{round.pk}").json()
    assert (detail["answered_count"], detail["response_rate"]) == (1, 0.5)


def test_round_of_another_municipality_is_not_found(other_curator, open_round):
    assert signed_in(other_curator).get(f"{API}/rounds/{open_round.pk}").status_code == 404


def test_open_and_remind_through_the_api(curator, open_round):
    client = signed_in(curator)
    opened = post(client, f"/rounds/{open_round.pk}/open")
    reminded = post(client, f"/rounds/{open_round.pk}/remind",
                    {"at": timezone.now().isoformat()})
    assert opened.json() == {"messages": 3}
    assert reminded.json() == {"messages": 3}


def test_open_and_remind_again_report_no_new_messages(curator, open_round):
    client = signed_in(curator)
    at = {"at": timezone.now().isoformat()}
    first = post(client, f"/rounds/{open_round.pk}/open").json()
    again = post(client, f"/rounds/{open_round.pk}/open").json()
    reminded = post(client, f"/rounds/{open_round.pk}/remind", at).json()
    reminded_again = post(client, f"/rounds/{open_round.pk}/remind", at).json()

    assert (first, again) == ({"messages": 3}, {"messages": 0})
    assert (reminded, reminded_again) == ({"messages": 3}, {"messages": 0})


def test_mentor_cannot_open_a_round(mentor_user, open_round):
    assert post(signed_in(mentor_user), f"/rounds/{open_round.pk}/open").status_code == 403


def test_named_round_invitations_list_answered_yes_or_no(curator, questionnaire, people):
    round = make_round(questionnaire, people)
    services.save_answers(Invitation.objects.get(round=round, person=people[0]),
                          full_answers(questionnaire), submit=True)
    items = signed_in(curator).get(f"{API}/rounds/{round.pk}/invitations").json()["items"]
    answered = {item["person_id"]: item["answered"] for item in items}
    assert answered == {people[0].pk: True, people[1].pk: False, people[2].pk: False}
    assert set(items[0]) == {"person_id", "full_name", "answered"}


def test_anonymous_round_gives_out_no_identity(curator, people):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    services.save_answers(Invitation.objects.get(round=round, person=people[0]),
                          full_answers(questionnaire), submit=True)
    client = signed_in(curator)
    invitations = client.get(f"{API}/rounds/{round.pk}/invitations")
    detail = client.get(f"{API}/rounds/{round.pk}")
    listing = client.get(f"{API}/rounds")
    assert invitations.status_code == 409
    assert invitations.json()["code"] == "anonymous_round"
    assert detail.json()["answered_count"] == 1 and detail.json()["is_anonymous"] is True
    for response in (invitations, detail, listing):
        body = response.content.decode()
        for person in people:
            assert person.last_name not in body
            assert f'"person_id": {person.pk}' not in json.dumps(response.json())
        assert "person" not in body and "respondent" not in body


def test_rounds_list_queries_do_not_grow(curator, questionnaire, people,
                                         django_assert_num_queries):
    client = signed_in(curator)
    make_round(questionnaire, people)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/rounds")
    for _ in range(3):
        make_round(questionnaire, people)
    with django_assert_num_queries(len(one)):
        assert len(client.get(f"{API}/rounds").json()["items"]) == 4
