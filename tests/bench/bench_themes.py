"""Benchmark: the themes page (difficulties → themes) over many difficulty answers.

The issue's target is 1,000,000 answers in at most 1 s on PostgreSQL. The bench runner uses a
throwaway PostgreSQL database when DATABASE_URL points at a PostgreSQL server
(`DATABASE_URL=postgres://… make bench BENCH=themes`), else SQLite: the row says which database
was measured, and on SQLite that the target was not checked. BENCH_THEMES_ANSWERS sets the size
(default 1,000,000). `run()` expects Django set up on a fresh database; its data lives in one
transaction that is rolled back. On PostgreSQL the tables are analysed after seeding, as
autovacuum would have done long before a curator opens the page.
"""

import os
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from events.models import Event, EventForm
from participants.models import MentorProfile, Organisation, Person, Topic
from planning.themes.builder import theme_ranking
from planning.themes.services import summarise_closed_rounds
from surveys.models import Answer, Question, Questionnaire, Response, Round
from tests.factories import MunicipalityFactory, in_days

ANSWERS = int(os.environ.get("BENCH_THEMES_ANSWERS", "1000000"))
TOPICS = 10
ROUNDS = 4
SCHOOLS = 20
MENTORS = 300
RUNS = 3
TARGET_SECONDS = 1.0


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк тем")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=municipality, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}")
        for n in range(1, SCHOOLS + 1))
    topics = Topic.objects.bulk_create(Topic(name=f"Бенч-тема трудности {n}", position=n)
                                       for n in range(TOPICS))
    questionnaire = Questionnaire.objects.create(title="Трудности (бенч)", purpose="difficulty")
    matrix = Question.objects.create(questionnaire=questionnaire, position=1, code="difficulty",
                                     kind="matrix", text="Насколько трудно?")
    matrix.topics.set(topics)
    rounds = [Round.objects.create(municipality=municipality, questionnaire=questionnaire,
                                   title=f"Трудности {n}", audience="mentees",
                                   opens_at=in_days(-30 * n - 5),
                                   closes_at=in_days(-30 * n if n else 5))
              for n in range(ROUNDS)]  # the latest still open: read live whatever is stored
    now = timezone.now()
    respondents = ANSWERS // TOPICS
    responses = Response.objects.bulk_create(
        (Response(round=rounds[n % ROUNDS], respondent_key=f"k{n}",
                  organisation=schools[n % SCHOOLS], is_young_specialist=n % 3 == 0,
                  submitted_at=now) for n in range(respondents)), batch_size=5000)
    Answer.objects.bulk_create(
        (Answer(response=r, question=matrix, topic=t, number=Decimal((n * 7 + i) % 5 + 1))
         for n, r in enumerate(responses) for i, t in enumerate(topics)), batch_size=10000)
    people = [Person(municipality=municipality, organisation=schools[n % SCHOOLS],
                     last_name=f"Наставникова{n}", first_name="Анна") for n in range(MENTORS)]
    for person in people:
        person.refresh_search_text()
    mentors = MentorProfile.objects.bulk_create(
        MentorProfile(person=p) for p in Person.objects.bulk_create(people))
    MentorProfile.topics.through.objects.bulk_create(
        MentorProfile.topics.through(mentorprofile=m, topic=topics[n % TOPICS])
        for n, m in enumerate(mentors))
    form = EventForm.objects.get_or_create(name="семинар")[0]
    for n in range(TOPICS // 2):
        event = Event.objects.create(municipality=municipality, title=f"Семинар {n}", form=form,
                                     starts_at=in_days(n - 3), ends_at=in_days(n - 3, hour=17))
        event.topics.set([topics[n]])
    staff = User.objects.create_superuser("bench-themes", password="x")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Response, Answer, Round, Question):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return municipality, staff, respondents * TOPICS


def _median(action):
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _measure():
    started = time.perf_counter()
    municipality, staff, answers = _seed()
    seeding = time.perf_counter() - started
    # Counted by a wrapper: the query log of CaptureQueriesContext is capped at 9,000 entries,
    # which the bulk inserts before have filled, so its difference would read 0.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: (queries.append(sql),
                                                                  execute(sql, *args))[1]):
        theme_ranking(municipality)
    live = _median(lambda: theme_ranking(municipality))
    started = time.perf_counter()
    summarise_closed_rounds()  # what the hourly sweep does once the rounds have closed
    sweep = time.perf_counter() - started
    build = _median(lambda: theme_ranking(municipality))
    client = Client()
    client.force_login(staff)
    # Production settings want collected static files; the page's links do not matter here.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        page = _median(lambda: client.get("/planning/themes/"))
        ok = client.get("/planning/themes/").status_code == 200
    return answers, seeding, len(queries), live, sweep, build, page, ok


def run() -> list[tuple[str, str]]:
    with transaction.atomic():
        answers, seeding, queries, live, sweep, build, page, ok = _measure()
        transaction.set_rollback(True)
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if database != "PostgreSQL":
        verdict = "цель не проверена: нужен PostgreSQL (DATABASE_URL=postgres://…)"
    elif answers < 1_000_000:
        verdict = "цель не проверена: ответов меньше 1 000 000"
    else:
        verdict = "в норме" if page <= TARGET_SECONDS else "МЕДЛЕННО"
    return [
        ("themes: difficulty answers (topic cells)", str(answers)),
        ("themes: inserting the data with bulk_create (s)", f"{seeding:.1f}"),
        ("themes: SQL queries to build the report", str(queries)),
        (f"themes: build the report from the answers alone, median of {RUNS} (s)",
         f"{live:.2f}"),
        (f"themes: the hourly sweep summarising {ROUNDS - 1} closed rounds (s)", f"{sweep:.2f}"),
        (f"themes: build the report, closed rounds stored, the open one live, median of {RUNS} "
         "(s)", f"{build:.2f}"),
        ("themes: database measured", database),
        (f"themes: the page, median of {RUNS} (s; target ≤ {TARGET_SECONDS:g} "
         f"for 1,000,000 answers on PostgreSQL)", f"{page:.2f} ({verdict})"),
        ("themes: page answered 200", "yes" if ok else "NO"),
    ]
