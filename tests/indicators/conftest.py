"""A small municipality whose every indicator is computed by hand in the tests.

Period 01.01.2026 – 31.03.2026 (90 days); the previous period 03.10.2025 – 31.12.2025.
Schools A, B, C, D; teachers a1 a2 b1 b2 c1 d1 d2 (a2 and b2 young). See each test for the sums.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User

from events.models import Attendance, Registration
from indicators.builder import Period
from indicators.models import ModelAdoption, PracticePresentation
from participants import roles
from participants.models import GroupMembership, MentoringGroup, MentorProfile
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SurveyResponseFactory,
    SurveyRoundFactory,
    TopicFactory,
)

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)


def local(municipality, *args):
    return datetime.datetime(*args, tzinfo=municipality.zone)


def make_event(municipality, title, start, *, cancelled=False):
    return EventFactory(municipality=municipality, title=title, starts_at=start,
                        ends_at=start + datetime.timedelta(hours=2),
                        status="cancelled" if cancelled else "planned")


def register(event, people, *, status="confirmed"):
    for person in people:
        Registration.objects.create(event=event, person=person, status=status)


def attend(event, people, *, present=True, walk_in=False):
    for person in people:
        Attendance.objects.create(event=event, person=person, present=present,
                                  is_walk_in=walk_in)


def group(municipality, mentor, mentees, start, end=None):
    g = MentoringGroup.objects.create(municipality=municipality, mentor=mentor,
                                      start_date=start, end_date=end)
    for mentee in mentees:
        GroupMembership.objects.create(group=g, mentee=mentee)
    return g


def answer_round(municipality, event, questions, rows, *, purpose="event_satisfaction"):
    """One submitted response per row; a row holds one scale value per question (None: skip)."""
    survey = SurveyRoundFactory(municipality=municipality, event=event,
                                questionnaire=questions[0].questionnaire)
    for row in rows:
        response = SurveyResponseFactory(round=survey)
        for question, value in zip(questions, row, strict=True):
            if value is not None:
                response.answers.create(question=question, number=value)
    return survey


# Topic → the 1–5 difficulty answers submitted in the period: «Оценивание» mean 23/6, four of
# six answered 4–5; «Дисциплина» mean 12/6, none; «Документация» only three answers (hidden).
DIFFICULTIES = {"Оценивание": (5, 4, 4, 3, 5, 2), "Дисциплина": (2, 2, 3, 1, 2, 2),
                "Документация": (5, 5, 5)}


def answer_difficulties(municipality):
    """A difficulty round (a topics × 1–5 matrix) answered in February; one answer from
    December (the previous period) and a draft, which the period does not count."""
    topics = {name: TopicFactory(name=name) for name in DIFFICULTIES}
    questionnaire = QuestionnaireFactory(purpose="difficulty")
    matrix = QuestionFactory(questionnaire=questionnaire, kind="matrix",
                             topics=list(topics.values()))
    survey = SurveyRoundFactory(municipality=municipality, questionnaire=questionnaire)
    february = local(municipality, 2026, 2, 10, 12)
    for n in range(6):
        response = SurveyResponseFactory(round=survey, submitted_at=february)
        for name, values in DIFFICULTIES.items():
            if n < len(values):
                response.answers.create(question=matrix, topic=topics[name], number=values[n])
    for submitted_at in (local(municipality, 2025, 12, 20, 12), None):
        response = SurveyResponseFactory(round=survey, submitted_at=submitted_at)
        response.answers.create(question=matrix, topic=topics["Дисциплина"], number=5)


def satisfaction_questions(purpose="event_satisfaction"):
    questionnaire = QuestionnaireFactory(purpose=purpose)
    return [QuestionFactory(questionnaire=questionnaire),
            QuestionFactory(questionnaire=questionnaire)]


def staff_user(username, municipality, role=roles.CURATOR):
    """A staff user whose person belongs to no school, so they are not counted as a teacher."""
    user = User.objects.create_user(username, password="pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    PersonFactory(municipality=municipality, organisation=None, user=user,
                  email=f"{username}@example.org")
    return user


def build_world(municipality, mark=""):
    """Schools, teachers, pairs, practices, events and answers of the hand-computed fixture."""
    m = municipality
    schools = {name: OrganisationFactory(municipality=m, short_name=f"МБОУ СОШ {name}{mark}",
                                         name=f"Школа {name}{mark}") for name in "ABCD"}

    def teacher(name, school, years):
        return PersonFactory(municipality=m, organisation=schools[school], last_name=name + mark,
                             experience_years=years)

    t = SimpleNamespace(a1=teacher("Аксёнова", "A", 20), a2=teacher("Белова", "A", 1),
                        b1=teacher("Васильева", "B", 15), b2=teacher("Громова", "B", 2),
                        c1=teacher("Данилова", "C", 30), d1=teacher("Егорова", "D", 5),
                        d2=teacher("Жукова", "D", None))
    ModelAdoption.objects.create(organisation=schools["A"], adopted_on=datetime.date(2025, 9, 1))
    ModelAdoption.objects.create(organisation=schools["B"], adopted_on=datetime.date(2026, 2, 1))
    ModelAdoption.objects.create(organisation=schools["C"], adopted_on=datetime.date(2026, 5, 1))
    MentorProfile.objects.create(person=t.a1, since=datetime.date(2025, 1, 1))
    MentorProfile.objects.create(person=t.b1, since=datetime.date(2026, 2, 15))
    MentorProfile.objects.create(person=t.c1, since=datetime.date(2024, 1, 1), is_active=False)
    group(m, t.a1, [t.a2], datetime.date(2025, 9, 1))
    group(m, t.b1, [t.b2, t.d1], datetime.date(2026, 2, 1))
    group(m, t.c1, [t.d2], datetime.date(2025, 10, 1), datetime.date(2025, 11, 30))
    level = PracticePresentation.Level
    for school, title, lvl, day in (
            ("A", "Ракушка добра", level.SCHOOL, datetime.date(2026, 1, 20)),
            ("A", "Ракушка добра", level.REGIONAL, datetime.date(2026, 3, 1)),
            ("C", "Шаги в науку", level.MUNICIPAL, datetime.date(2025, 12, 10)),
            ("D", "За сердцем Данко", level.FEDERAL, datetime.date(2026, 4, 10))):
        PracticePresentation.objects.create(organisation=schools[school], title=title,
                                            level=lvl, presented_on=day)

    e1 = make_event(m, "Семинар «Современный урок»", local(m, 2026, 1, 15, 10))
    register(e1, [t.a1, t.a2, t.b1, t.b2])
    register(e1, [t.d1], status="cancelled")
    attend(e1, [t.a1, t.a2, t.b1])
    attend(e1, [t.d2], walk_in=True)
    e2 = make_event(m, "Мастер-класс «Рабочая программа»", local(m, 2026, 2, 20, 15))
    register(e2, [t.a1, t.d1])
    attend(e2, [t.a1])
    attend(e2, [t.d1], present=False)
    e3 = make_event(m, "Круглый стол (отменён)", local(m, 2026, 3, 10, 15), cancelled=True)
    register(e3, [t.b1])
    # 00:30 on 1 April in Vladivostok is still 31 March in UTC: outside the period.
    e4 = make_event(m, "Деловая игра «За сердцем Данко»", local(m, 2026, 4, 1, 0, 30))
    register(e4, [t.a1])
    attend(e4, [t.a1])
    e5 = make_event(m, "Установочный семинар", local(m, 2025, 11, 10, 15))
    register(e5, [t.a1, t.a2])
    attend(e5, [t.a1])

    questions = satisfaction_questions()
    answer_round(m, e1, questions, [(5, 4), (5, 4), (4, 4), (3, 4), (2, 1), (5, 5)])
    answer_round(m, e2, questions, [(5, None), (4, None), (3, None), (2, None), (1, None)])
    draft = SurveyResponseFactory(round=e1.survey_rounds.first(), submitted_at=None)
    draft.answers.create(question=questions[0], number=1)
    difficulty = satisfaction_questions(purpose="difficulty")
    answer_round(m, e1, difficulty, [(1, 1)] * 5)
    answer_difficulties(m)
    return SimpleNamespace(schools=schools, teachers=t, events=(e1, e2, e3, e4, e5))


@pytest.fixture
def world(municipality):
    return build_world(municipality)


@pytest.fixture
def elsewhere(other_municipality):
    """Another municipality with data of every kind: none of it may count here."""
    return build_world(other_municipality, mark="-БК")


@pytest.fixture
def indicator_curator(municipality):
    return staff_user("indicator-curator", municipality)


@pytest.fixture
def other_indicator_curator(other_municipality):
    return staff_user("other-indicator-curator", other_municipality)
