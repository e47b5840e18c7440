"""Admin: templates read-only once answered, «Создать новую версию», rounds through the service."""

import pytest

from notifications.models import Notification
from surveys import services
from surveys.models import Invitation, Question, Questionnaire, Round
from tests.factories import PersonFactory
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def answer_first(round, questionnaire):
    services.save_answers(round.invitations.first(), full_answers(questionnaire), submit=True)


def test_answered_questionnaire_is_read_only_with_an_offer_of_a_new_version(
        client, superuser, questionnaire, open_round):
    answer_first(open_round, questionnaire)
    client.force_login(superuser)
    page = client.get(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "создайте новую версию" in text and "Создать новую версию" in text
    assert 'name="title"' not in text  # nothing to edit
    refused = client.post(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/",
                          {"title": "Другое"})
    assert refused.status_code == 403
    questionnaire.refresh_from_db()
    assert questionnaire.title == "Проверочная анкета"


def test_new_version_button_copies_and_opens_the_new_version(client, superuser, questionnaire,
                                                             open_round):
    answer_first(open_round, questionnaire)
    client.force_login(superuser)
    response = client.post(f"/admin/surveys/questionnaire/{questionnaire.pk}/revise/")
    revised = Questionnaire.objects.get(family=questionnaire.family, is_current=True)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/questionnaire/{revised.pk}/change/")
    assert revised.version == 2 and revised.questions.count() == questionnaire.questions.count()


def test_revise_action_in_the_list(client, superuser, questionnaire):
    client.force_login(superuser)
    client.post("/admin/surveys/questionnaire/", {"action": "revise",
                                                  "_selected_action": [questionnaire.pk]})
    assert Questionnaire.objects.filter(family=questionnaire.family).count() == 2


def test_superuser_edits_a_question_of_an_unanswered_version_through_the_service(
        client, superuser):
    questionnaire = make_questionnaire(kinds=["single"])
    question = questionnaire.questions.get()
    client.force_login(superuser)
    prefix = "questions"
    data = {
        "title": questionnaire.title, "purpose": "other", "description": "",
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": question.pk, f"{prefix}-0-questionnaire": questionnaire.pk,
        f"{prefix}-0-position": "1", f"{prefix}-0-code": "single", f"{prefix}-0-kind": "single",
        f"{prefix}-0-text": "Ваша должность", f"{prefix}-0-required": "on",
        f"{prefix}-0-choices": "учитель\nметодист",
    }
    response = client.post(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert (question.text, question.choices) == ("Ваша должность", ["учитель", "методист"])


def test_curator_sees_questionnaires_but_cannot_change_them(client, curator, questionnaire):
    client.force_login(curator)
    assert client.get("/admin/surveys/questionnaire/").status_code == 200
    page = client.get(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()


def test_curator_creates_a_hand_picked_round_in_the_admin(client, curator, municipality):
    people = [PersonFactory(municipality=municipality) for _ in range(2)]
    questionnaire = Questionnaire.objects.get(title="Оценка мероприятия", is_current=True)
    client.force_login(curator)
    response = client.post("/admin/surveys/round/add/", {
        "questionnaire": questionnaire.pk, "audience": "hand_picked",
        "persons": [p.pk for p in people], "municipality": municipality.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    round = Round.objects.get()
    assert round.municipality == municipality and round.created_by == curator
    assert round.invitations.count() == 2
    assert round.title == "Оценка мероприятия: выбранные вручную"


def test_round_page_of_a_named_round_shows_who_answered_but_not_what(client, curator,
                                                                     questionnaire, people):
    round = make_round(questionnaire, people)
    answer_first(round, questionnaire)
    client.force_login(curator)
    page = client.get(f"/admin/surveys/round/{round.pk}/change/").content.decode()
    assert people[0].full_name in page
    assert "Всё хорошо" not in page  # an answer's text


def test_round_page_of_an_anonymous_round_shows_only_counts(client, curator, people):
    questionnaire = make_questionnaire(anonymous=True)
    round = make_round(questionnaire, people)
    answer_first(round, questionnaire)
    client.force_login(curator)
    page = client.get(f"/admin/surveys/round/{round.pk}/change/").content.decode()
    assert all(person.last_name not in page for person in people)
    assert "приглашено" in page.lower()


def test_round_of_another_municipality_is_hidden(client, other_curator, open_round):
    client.force_login(other_curator)
    assert "Проверочный опрос" not in client.get("/admin/surveys/round/").content.decode()


def test_open_action_sends_invitations(client, curator, open_round):
    client.force_login(curator)
    client.post("/admin/surveys/round/", {"action": "open_rounds",
                                          "_selected_action": [open_round.pk]})
    assert Notification.objects.filter(kind="survey_invitation").count() == 3
    assert Invitation.objects.filter(round=open_round).count() == 3
    assert Question.objects.exists()


# --- personal links are never shown to staff ------------------------------------------------------

@pytest.mark.parametrize("anonymous", [True, False])
def test_admin_pages_never_show_a_personal_survey_link(client, curator, superuser, people,
                                                       anonymous):
    questionnaire = make_questionnaire(anonymous=anonymous)
    round = make_round(questionnaire, people)
    services.open_round(round)
    tokens = list(round.invitations.values_list("token", flat=True))
    letter = Notification.objects.filter(kind="survey_invitation").first()
    assert any(token in str(letter.context) for token in tokens)  # the outbox does hold it
    for user in (curator, superuser):
        client.force_login(user)
        pages = [client.get(f"/admin/notifications/notification/{letter.pk}/change/"),
                 client.get("/admin/notifications/notification/"),
                 client.get(f"/admin/surveys/round/{round.pk}/change/")]
        assert [page.status_code for page in pages] == [200, 200, 200]
        assert "/s/•••/" in pages[0].content.decode()
        for page in pages:
            assert not any(token in page.content.decode() for token in tokens)
