"""A hand-made school: two schools, three topics, mentors with known expertise and load; a
finished flash-mentoring meeting of them."""

import datetime

import pytest
from django.utils import timezone

from events.models import Attendance, EventForm
from participants import services
from planning.models import FlashParticipant
from surveys.models import Answer, Question, Questionnaire, Response, Round
from tests.factories import (
    EventFactory,
    MenteeRecordFactory,
    MentorProfileFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
)


def mentor(municipality, school, last_name, *, topics, capacity):
    profile = MentorProfileFactory(
        person=PersonFactory(municipality=municipality, organisation=school,
                             last_name=last_name, experience_years=25),
        capacity=capacity)
    profile.topics.set(topics)
    return profile.person


def difficulty_answers(municipality, person, ratings, *, anonymous=False, days_ago=2):
    """A submitted response of `person` rating topics 1–5 in a difficulty round; the round."""
    questionnaire = Questionnaire.objects.create(
        title="Трудности в работе учителя", purpose=Questionnaire.Purpose.DIFFICULTY,
        is_anonymous=anonymous)
    question = Question.objects.create(questionnaire=questionnaire, position=1,
                                       code="topics_difficulty", kind=Question.Kind.MATRIX,
                                       text="Насколько трудно")
    now = timezone.now()
    round = Round.objects.create(municipality=municipality, questionnaire=questionnaire,
                                 title="Входное", audience=Round.Audience.MENTEES,
                                 opens_at=now - datetime.timedelta(days=days_ago),
                                 closes_at=now - datetime.timedelta(days=days_ago - 2))
    response = Response.objects.create(round=round, person=person,
                                       respondent_key=f"k{person.pk}{anonymous}",
                                       submitted_at=now)
    for topic, number in ratings.items():
        Answer.objects.create(response=response, question=question, topic=topic, number=number)
    return round


@pytest.fixture
def school(municipality):
    """Names the mentee, mentors and topics of the hand-made case."""
    s1 = OrganisationFactory(municipality=municipality, short_name="СОШ № 1")
    s2 = OrganisationFactory(municipality=municipality, short_name="СОШ № 2")
    lesson = TopicFactory(name="Проектирование урока")
    parents = TopicFactory(name="Работа с родителями")
    ovz = TopicFactory(name="ОВЗ: инклюзивное обучение")
    mentee = MenteeRecordFactory(person=PersonFactory(
        municipality=municipality, organisation=s1, last_name="Андреева", experience_years=1))
    mentee.difficulty_topics.set([lesson])  # declared; «родители» comes from her answers
    difficulty_answers(municipality, mentee.person, {parents: 5, ovz: 2})
    broad = mentor(municipality, s2, "Борисова", topics=[lesson, parents], capacity=3)
    near = mentor(municipality, s1, "Власова", topics=[lesson], capacity=1)
    full = mentor(municipality, s2, "Гусева", topics=[lesson, parents], capacity=1)
    other = mentor(municipality, s2, "Денисова", topics=[ovz], capacity=2)
    paired = PersonFactory(municipality=municipality, organisation=s2, last_name="Ершова",
                           experience_years=2)
    busy = PersonFactory(municipality=municipality, organisation=s2, last_name="Жукова",
                         experience_years=2)
    today = timezone.localdate()
    services.create_group(municipality, mentor=broad, mentees=[paired], start_date=today)
    services.create_group(municipality, mentor=full, mentees=[busy], start_date=today)
    return {"mentee": mentee.person, "broad": broad, "near": near, "full": full, "other": other,
            "paired": paired, "topics": (lesson, parents, ovz), "s1": s1, "s2": s2}


@pytest.fixture
def meeting(municipality, school):
    """A finished flash-mentoring meeting: mentors Борисова (2 free) and Власова (1 free);
    mentees Андреева and two young teachers; everyone present."""
    form, _created = EventForm.objects.get_or_create(name="флеш-наставничество")
    start = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(municipality=municipality, form=form, starts_at=start,
                         ends_at=start + datetime.timedelta(hours=2))
    young = [PersonFactory(municipality=municipality, last_name=name, experience_years=1)
             for name in ("Зайцева", "Ильина")]
    for person in (school["broad"], school["near"], school["mentee"], *young):
        Attendance.objects.create(event=event, person=person)
    return event, young


def participant(event, person):
    return FlashParticipant.objects.get(event=event, person=person)
