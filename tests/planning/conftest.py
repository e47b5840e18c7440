"""A hand-written difficulty round, tracks, events and mentors with known rankings and gaps.

Topics A…E (vocabulary order). Schools 1 and 2 have six respondents, 3 and 4 three and two (too
few, hidden together). The first three of each school are young specialists.
Points (A, B, C, D, E): school 1 (5, 2, 4, 1, 3), school 2 (3, 5, 4, 1, 3), schools 3–4
(1, 1, 4, 5, 3). Hard (mean ≥ 3): C 4.0, A 53/17 = 3.12, E 3.0.
Coverage: C has a held event, a planned event of a track on C, and mentor M1 (1 of 2 taken);
A has mentors M2 (0 of 3) and M3 (1 of 1), no event; E has nothing — the gap.
"""

import datetime
from decimal import Decimal

import pytest

from surveys.models import Answer, Response
from tests.factories import (
    EventFactory,
    MentoringGroupFactory,
    MentorProfileFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SurveyRoundFactory,
    TopicFactory,
    TrackFactory,
    in_days,
)

# The hand-made school and flash-mentoring meeting of the matching tests.
from tests.planning.fixtures import meeting, school  # noqa: F401 (fixtures)

POINTS = {"1": (5, 2, 4, 1, 3), "2": (3, 5, 4, 1, 3), "3": (1, 1, 4, 5, 3), "4": (1, 1, 4, 5, 3)}
SIZES = {"1": 6, "2": 6, "3": 3, "4": 2}


@pytest.fixture
def topics(db):
    names = ["Оценивание результатов", "Дисциплина на уроке", "Требования ФГОС",
             "Цифровые инструменты", "Работа с родителями"]
    return [TopicFactory(name=name, position=i) for i, name in enumerate(names, start=1)]


def difficulty_round(municipality, topics, *, opens=-10):
    questionnaire = QuestionnaireFactory(title="Трудности в работе учителя",
                                         purpose="difficulty", is_anonymous=False)
    matrix = QuestionFactory(questionnaire=questionnaire, position=1, code="difficulty",
                             kind="matrix", topics=topics)
    return SurveyRoundFactory(municipality=municipality, questionnaire=questionnaire,
                              audience="mentees", title="Трудности, осень",
                              opens_at=in_days(opens), closes_at=in_days(opens + 5)), matrix


@pytest.fixture
def answered(municipality, topics):
    round, matrix = difficulty_round(municipality, topics)
    answers = []
    for school_no, size in SIZES.items():
        organisation = OrganisationFactory(municipality=municipality,
                                           short_name=f"МБОУ СОШ № {school_no}")
        for i in range(size):
            response = Response.objects.create(
                round=round, respondent_key=f"{school_no}-{i}", organisation=organisation,
                is_young_specialist=i < 3, submitted_at=in_days(-9))
            answers += [Answer(response=response, question=matrix, topic=topic,
                               number=Decimal(point))
                        for topic, point in zip(topics, POINTS[school_no], strict=True)]
    Answer.objects.bulk_create(answers)
    return round


def event_on(topics, **fields):
    event = EventFactory(**fields)
    event.topics.set(topics)
    return event


def mentor_on(topics, municipality, *, last_name="Наставникова", **fields):
    mentor = MentorProfileFactory(person__municipality=municipality,
                                  person__last_name=last_name, **fields)
    mentor.topics.set(topics)
    return mentor


@pytest.fixture
def covered(municipality, other_municipality, topics):
    a, _b, c, _d, _e = topics
    event_on([c], municipality=municipality, title="Семинар по ФГОС", starts_at=in_days(-5))
    track = TrackFactory(program__municipality=municipality, number=1, theme="Обновлённые ФГОС",
                         start_date=datetime.date.today(),
                         end_date=datetime.date.today() + datetime.timedelta(days=60))
    track.topics.set([c])
    EventFactory(municipality=municipality, program=track.program, track=track,
                 title="Мастер-класс в треке", starts_at=in_days(20))
    # What does not cover A: cancelled, long ago, or in another municipality.
    event_on([a], municipality=municipality, title="Отменён", status="cancelled")
    event_on([a], municipality=municipality, title="Давно", starts_at=in_days(-400))
    event_on([a], municipality=other_municipality, title="Чужой")
    m1 = mentor_on([c], municipality, last_name="Первова", capacity=2)
    MentoringGroupFactory(municipality=municipality, mentor=m1.person)
    m2 = mentor_on([a], municipality, last_name="Вторых", capacity=3)
    m3 = mentor_on([a], municipality, last_name="Третьяков", capacity=1)
    MentoringGroupFactory(municipality=municipality, mentor=m3.person)
    mentor_on([a], municipality, is_active=False)
    mentor_on([a], other_municipality)
    return {"m1": m1, "m2": m2, "m3": m3, "track": track}
