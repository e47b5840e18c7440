"""Benchmark: mentor suggestions for 5,000 mentees × 500 mentors; flash-mentoring matching of
2,000 people with 10 choices each (the algorithm alone and the whole result from the database).

`run()` expects Django set up on a fresh test database (the bench runner does that). Its data
lives in one transaction that is rolled back, so other benchmarks see an empty database.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from events.models import Event, EventForm
from participants.models import (
    GroupMembership,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Organisation,
    Person,
    Topic,
)
from planning.matching.flash import flash_result
from planning.matching.stable import stable_match
from planning.matching.suggestions import mentor_suggestions
from planning.models import FlashChoice, FlashParticipant
from surveys.models import Answer, Question, Questionnaire, Response, Round
from tests.factories import MunicipalityFactory

MENTEES, MENTORS, SCHOOLS, TOPICS = 5000, 500, 40, 30
RATED = 2000  # mentees who also answered a named difficulty round, every topic
FLASH_MENTORS, FLASH_MENTEES, CHOICES = 400, 1600, 10
SUGGESTIONS_TARGET, FLASH_TARGET = 2.0, 1.0
RUNS = 3


def _people(municipality, schools, count, prefix, years):
    people = [Person(municipality=municipality, organisation=schools[n % len(schools)],
                     last_name=f"{prefix}{n}", first_name="Анна", experience_years=years)
              for n in range(count)]
    for person in people:
        person.refresh_search_text()
    return Person.objects.bulk_create(people, batch_size=2000)


def _seed_registry(rng):
    municipality = MunicipalityFactory(name="Бенчмарк подбора наставников")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=municipality, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}")
        for n in range(1, SCHOOLS + 1))
    topics = Topic.objects.bulk_create(Topic(name=f"Бенч-тема подбора {n}", position=100 + n)
                                       for n in range(TOPICS))
    mentor_people = _people(municipality, schools, MENTORS, "Наставница", 20)
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(person=p, capacity=rng.randint(2, 5)) for p in mentor_people)
    MentorProfile.topics.through.objects.bulk_create(
        MentorProfile.topics.through(mentorprofile=profile, topic=topic)
        for profile in profiles for topic in rng.sample(topics, rng.randint(3, 6)))
    mentee_people = _people(municipality, schools, MENTEES, "Молодая", 1)
    records = MenteeRecord.objects.bulk_create(
        MenteeRecord(person=p, reason=MenteeRecord.Reason.YOUNG_SPECIALIST)
        for p in mentee_people)
    MenteeRecord.difficulty_topics.through.objects.bulk_create(
        MenteeRecord.difficulty_topics.through(menteerecord=record, topic=topic)
        for record in records for topic in rng.sample(topics, rng.randint(1, 3)))
    _seed_answers(municipality, mentee_people[:RATED], topics, rng)
    # Some mentors already have mentees (from outside the 5,000), so loads differ.
    busy = _people(municipality, schools, 300, "Занятая", 2)
    today = timezone.localdate()
    groups = MentoringGroup.objects.bulk_create(
        MentoringGroup(municipality=municipality, mentor=mentor_people[n % MENTORS],
                       start_date=today) for n in range(len(busy)))
    GroupMembership.objects.bulk_create(GroupMembership(group=g, mentee=p)
                                        for g, p in zip(groups, busy, strict=True))
    return municipality


def _seed_answers(municipality, people, topics, rng):
    questionnaire = Questionnaire.objects.create(title="Трудности (бенч)", purpose="difficulty")
    question = Question.objects.create(questionnaire=questionnaire, position=1, code="matrix",
                                       kind="matrix", text="Насколько трудно")
    now = timezone.now()
    round = Round.objects.create(municipality=municipality, questionnaire=questionnaire,
                                 title="Входное (бенч)", audience="mentees",
                                 opens_at=now - datetime.timedelta(days=5), closes_at=now)
    responses = Response.objects.bulk_create(
        Response(round=round, person=p, respondent_key=f"m{p.pk}", submitted_at=now)
        for p in people)
    Answer.objects.bulk_create(
        (Answer(response=r, question=question, topic=t, number=Decimal(rng.randint(1, 5)))
         for r in responses for t in topics), batch_size=5000)


def _seed_flash(municipality, rng):
    schools = list(Organisation.objects.filter(municipality=municipality)[:5])
    form, _created = EventForm.objects.get_or_create(name="флеш-наставничество")
    start = timezone.now() - datetime.timedelta(days=1)
    event = Event.objects.create(municipality=municipality, title="Флеш-наставничество (бенч)",
                                 form=form, starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=3))
    people = _people(municipality, schools, FLASH_MENTORS + FLASH_MENTEES, "Флеш", 5)
    participants = FlashParticipant.objects.bulk_create(
        FlashParticipant(event=event, person=p,
                         side="mentor" if n < FLASH_MENTORS else "mentee",
                         capacity=rng.randint(1, 5) if n < FLASH_MENTORS else 0)
        for n, p in enumerate(people))
    mentors, mentees = participants[:FLASH_MENTORS], participants[FLASH_MENTORS:]
    FlashChoice.objects.bulk_create(
        (FlashChoice(chooser=p, chosen=c, rank=rank)
         for p in participants
         for rank, c in enumerate(rng.sample(mentees if p.side == "mentor" else mentors,
                                             CHOICES), start=1)), batch_size=5000)
    return event


def _median(action):
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def _plain_lists(rng):
    mentors = [f"m{n}" for n in range(FLASH_MENTORS)]
    mentees = [f"e{n}" for n in range(FLASH_MENTEES)]
    return ({e: rng.sample(mentors, CHOICES) for e in mentees},
            {m: rng.sample(mentees, CHOICES) for m in mentors},
            {m: rng.randint(1, 5) for m in mentors})


def _verdict(seconds, target):
    return "в норме" if seconds <= target else "МЕДЛЕННО"


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    rng = random.Random(12)
    with transaction.atomic():
        started = time.perf_counter()
        municipality = _seed_registry(rng)
        event = _seed_flash(municipality, rng)
        seeding = time.perf_counter() - started
        suggest, items = _median(lambda: mentor_suggestions(municipality.pk))
        flash, result = _median(lambda: flash_result(event))
        transaction.set_rollback(True)
    lists = _plain_lists(rng)
    algorithm, match = _median(lambda: stable_match(*lists))
    with_mentor = sum(1 for item in items if item.suggestions)
    return [
        ("matching: database measured",
         "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"),
        ("matching: mentees × mentors", f"{MENTEES} × {MENTORS}"),
        ("matching: inserting the data with bulk_create (s)", f"{seeding:.1f}"),
        (f"matching: suggestions, median of {RUNS} (s, target ≤ {SUGGESTIONS_TARGET:g})",
         f"{suggest:.2f} ({_verdict(suggest, SUGGESTIONS_TARGET)})"),
        ("matching: mentees with at least one suggestion", f"{with_mentor} of {len(items)}"),
        ("matching: flash people × choices each",
         f"{FLASH_MENTORS + FLASH_MENTEES} × {CHOICES}"),
        (f"matching: flash result from the database, median of {RUNS} "
         f"(s, target ≤ {FLASH_TARGET:g})", f"{flash:.2f} ({_verdict(flash, FLASH_TARGET)})"),
        ("matching: flash proposed pairs", str(len(result.proposals))),
        (f"matching: stable matching alone, median of {RUNS} (s)",
         f"{algorithm:.3f} ({len(match)} pairs)"),
    ]
