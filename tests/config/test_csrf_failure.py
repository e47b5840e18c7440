"""A refused form answers with a Russian page that keeps what was typed, never Django's 403."""

import pytest
from django.test import Client

from surveys.models import Invitation
from tests.factories import PersonFactory
from tests.surveys.conftest import make_questionnaire, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_generic_page_is_russian_and_shows_typed_text(strict_client):
    response = strict_client.post("/signin/", {"email": "teacher@school.example"})
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="ru">' in page and "Страница устарела" in page
    assert "teacher@school.example" in page
    assert "Forbidden" not in page and "CSRF verification failed" not in page


def test_generic_page_never_echoes_passwords(strict_client):
    response = strict_client.post("/login/?next=/evaluation/",
                                  {"username": "curator", "password": "секретный-пароль"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "секретный-пароль" not in page
    assert 'href="/login/?next=/evaluation/"' in page


def test_survey_page_comes_back_with_the_answers_filled_in(strict_client, municipality):
    person = PersonFactory(municipality=municipality)
    round = make_round(make_questionnaire(), [person])
    invitation = Invitation.objects.get(round=round, person=person)
    text = round.questionnaire.questions.get(kind="text")
    scale = round.questionnaire.questions.get(kind="scale5")
    response = strict_client.post(f"/s/{invitation.token}/",
                                  {f"q{text.pk}": "Мой ответ", f"q{scale.pk}": "4",
                                   "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Ответы ещё не сохранены" in page
    assert "Мой ответ" in page and f'id="q{scale.pk}-4" value="4" checked' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert Invitation.objects.get(pk=invitation.pk).answered_at is None
