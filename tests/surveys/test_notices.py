"""The invitation and the reminder as the person reads them: Russian, with the personal link."""

import pytest
from django.utils import timezone

from notifications.models import Notification, Preference
from notifications.rendering import render
from surveys import services
from surveys.models import Invitation
from tests.surveys.conftest import make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def rendered(kind, person):
    notification = Notification.objects.filter(kind=kind, recipient=person).first()
    preference, _created = Preference.objects.get_or_create(person=person)
    return render(notification, preference)


def test_invitation_letter_has_the_link_the_deadline_and_the_greeting(questionnaire, people):
    round = make_round(questionnaire, people)
    services.open_round(round)
    letter = rendered("survey_invitation", people[0])
    token = Invitation.objects.get(round=round, person=people[0]).token
    assert letter.subject == "Анкета «Проверочная анкета»"
    assert f"/s/{token}/" in letter.text and f"/s/{token}/" in letter.html
    assert "Здравствуйте, Мария Петровна!" in letter.text
    assert "Владивосток" in letter.text
    assert "анонимная" not in letter.text


def test_anonymous_round_letters_say_so(people):
    round = make_round(make_questionnaire(anonymous=True), people)
    services.open_round(round)
    services.remind_non_responders(round, at=timezone.now())
    assert "Анкета анонимная" in rendered("survey_invitation", people[0]).text
    reminder = rendered("survey_reminder", people[0])
    assert reminder.subject.startswith("Напоминание: анкета «Проверочная анкета» — до ")
    assert "ещё не отправили ответы" in reminder.text


@pytest.mark.parametrize("title", [
    "Оценка мероприятия", "Удовлетворённость программой наставничества (наставники)"],
    ids=["event", "mentors"])
def test_shipped_anonymous_questionnaire_letters_state_anonymity_once(people, title):
    from surveys.models import Questionnaire

    round = make_round(Questionnaire.objects.get(title=title, is_current=True), people)
    services.open_round(round)
    services.remind_non_responders(round, at=timezone.now())

    invitation = rendered("survey_invitation", people[0])
    reminder = rendered("survey_reminder", people[0])

    for text in (invitation.text, invitation.html, reminder.text, reminder.html):
        assert text.count("ответы хранятся без") == 1
