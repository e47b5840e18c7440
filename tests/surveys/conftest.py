import datetime

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import Question, Questionnaire
from tests.factories import PersonFactory, TopicFactory

CHOICES = ["учитель", "заместитель директора", "педагог-психолог"]


def add_question(questionnaire, code, kind, *, position=None, required=True, **fields):
    defaults = {"choices": CHOICES} if kind in ("single", "multiple") else {}
    position = position or questionnaire.questions.count() + 1
    topics = fields.pop("topics", None)
    question = Question.objects.create(
        questionnaire=questionnaire, position=position, code=code, kind=kind,
        text=f"Вопрос {code}", required=required, **{**defaults, **fields})
    if topics is not None:
        question.topics.set(topics)
    return question


def make_questionnaire(*, anonymous=False, kinds=None, topics=None, title="Проверочная анкета",
                       purpose="other"):
    """A questionnaire with one question of each kind (codes = kinds) unless told otherwise."""
    questionnaire = Questionnaire.objects.create(title=title, purpose=purpose,
                                                 is_anonymous=anonymous,
                                                 description="Пояснение для респондента.")
    topics = topics if topics is not None else [TopicFactory(name="Анализ урока"),
                                                 TopicFactory(name="Работа с родителями")]
    for kind in kinds or ["scale5", "scale10", "single", "multiple", "text", "number", "matrix"]:
        extra = {"allow_other": True} if kind in ("single", "multiple") else {}
        if kind == "matrix":
            extra["topics"] = topics
        add_question(questionnaire, kind, kind, **extra)
    return questionnaire


def make_round(questionnaire, people, *, municipality=None, opens_in=-1, closes_in=7):
    """A hand-picked round open now (days relative to today)."""
    now = timezone.now()
    municipality = municipality or people[0].municipality
    return services.create_round(
        questionnaire, audience="hand_picked", municipality=municipality, persons=people,
        opens_at=now + datetime.timedelta(days=opens_in),
        closes_at=now + datetime.timedelta(days=closes_in), title="Проверочный опрос")


def full_answers(questionnaire):
    """Valid answers to every question of make_questionnaire()."""
    data = {"scale5": 4, "scale10": "9", "single": {"choice": "учитель"},
            "multiple": {"choices": ["учитель", "педагог-психолог"]}, "text": "Всё хорошо",
            "number": "3,5"}
    matrix = questionnaire.questions.filter(kind="matrix").first()
    if matrix:
        data["matrix"] = {topic.pk: "3" for topic in matrix.topics.all()}
    return data


@pytest.fixture
def people(municipality):
    return [PersonFactory(municipality=municipality) for _ in range(3)]


@pytest.fixture
def questionnaire(db):
    return make_questionnaire()


@pytest.fixture
def open_round(questionnaire, people):
    return make_round(questionnaire, people)
