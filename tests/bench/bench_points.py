"""Benchmark: the points summary of a municipality with 500 mentors (the issue's target: ≤ 1 s).

Each mentor leads a personal program and two events, has a practice accepted at two levels and
three portfolio records, in 25 schools. Measured: the builder, the page, the PDF and the XLSX,
medians of three runs, and the SQL queries of the builder (constant: six). `run()` expects Django
set up on a fresh database; its data lives in one transaction that is rolled back.
"""

import datetime
import os
import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from events.models import Event, EventForm
from participants import roles
from participants.models import (
    MentoringGroup,
    MentorProfile,
    Organisation,
    Person,
    PersonalProgram,
)
from portfolio.models import Achievement
from portfolio.points import Period, points_summary
from practices.models import Practice, Review
from tests.factories import MunicipalityFactory

MENTORS = int(os.environ.get("BENCH_POINTS_MENTORS", "500"))
SCHOOLS = 25
RUNS = 3
TARGET_SECONDS = 1.0
PERIOD = Period(datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


def _at(day):
    return timezone.make_aware(datetime.datetime(2026, 10, 1, 10) + datetime.timedelta(days=day))


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк баллов")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=municipality, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}")
        for n in range(1, SCHOOLS + 1))
    people = Person.objects.bulk_create(
        Person(municipality=municipality, organisation=schools[n % SCHOOLS],
               last_name=f"Наставникова{n}", first_name="Анна") for n in range(MENTORS))
    MentorProfile.objects.bulk_create(MentorProfile(person=p) for p in people)
    groups = MentoringGroup.objects.bulk_create(
        MentoringGroup(municipality=municipality, mentor=p, start_date=datetime.date(2026, 9, 1))
        for p in people)
    PersonalProgram.objects.bulk_create(
        PersonalProgram(group=g, goal="Урок", start_date=datetime.date(2026, 10, 1),
                        end_date=datetime.date(2027, 5, 31)) for g in groups)
    practices = Practice.objects.bulk_create(
        Practice(municipality=municipality, author=p, author_name=p.last_name, title="Практика")
        for p in people)
    Review.objects.bulk_create(
        Review(practice=practice, level=level, submitted_at=_at(n), outcome="accepted",
               decided_at=_at(n)) for n, practice in enumerate(practices)
        for level in ("school", "municipal"))
    form = EventForm.objects.get_or_create(name="семинар")[0]
    events = Event.objects.bulk_create(
        Event(municipality=municipality, title=f"Семинар {n}", form=form, starts_at=_at(n % 200),
              ends_at=_at(n % 200) + datetime.timedelta(hours=2)) for n in range(MENTORS))
    through = Event.responsible.through
    through.objects.bulk_create(
        through(event_id=events[(n + k) % MENTORS].pk, person_id=p.pk)
        for n, p in enumerate(people) for k in (0, 1))
    Achievement.objects.bulk_create(
        Achievement(municipality=municipality, mentor=p, kind=kind, level=level, title=kind,
                    date=datetime.date(2027, 2, 1), evidence_url="https://school.example/proof")
        for p in people for kind, level in (("project", "school"), ("contest", "regional"),
                                            ("experience", "municipal")))
    staff = User.objects.create_user("bench-points", password="x", is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.CURATOR))
    Person.objects.create(municipality=municipality, user=staff, last_name="Куратор",
                          first_name="Бенч")
    return municipality, staff


def _median(action):
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _measure():
    municipality, staff = _seed()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: (queries.append(sql),
                                                                  execute(sql, *args))[1]):
        summary = points_summary(municipality, PERIOD)
    build = _median(lambda: points_summary(municipality, PERIOD))
    client = Client()
    client.force_login(staff)
    query = "from=2026-09-01&to=2027-08-31"
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        api = _median(lambda: client.get(f"/api/v1/points-summary?{query}"))
        page = _median(lambda: client.get(f"/points/?{query}"))
        pdf = _median(lambda: client.get(f"/api/v1/points-summary.pdf?{query}"))
        xlsx = _median(lambda: client.get(f"/api/v1/points-summary.xlsx?{query}"))
        ok = (client.get(f"/api/v1/points-summary?{query}").status_code
              == client.get(f"/points/?{query}").status_code == 200)
    mentors = sum(len(s.mentors) for s in summary.schools)
    return mentors, summary.total, len(queries), build, api, page, pdf, xlsx, ok


def run() -> list[tuple[str, str]]:
    with transaction.atomic():
        mentors, total, queries, build, api, page, pdf, xlsx, ok = _measure()
        transaction.set_rollback(True)
    def verdict(seconds):
        return "в норме" if seconds <= TARGET_SECONDS else "МЕДЛЕННЕЕ ЦЕЛИ"

    return [
        ("points: mentors in the summary", str(mentors)),
        ("points: total points", str(total)),
        ("points: SQL queries to build the summary", str(queries)),
        (f"points: build the summary, median of {RUNS} (s)", f"{build:.3f}"),
        (f"points: GET /api/v1/points-summary, median of {RUNS} (s; target ≤ "
         f"{TARGET_SECONDS:g})", f"{api:.3f} ({verdict(api)})"),
        (f"points: the page /points/, median of {RUNS} (s; target ≤ {TARGET_SECONDS:g})",
         f"{page:.3f} ({verdict(page)})"),
        (f"points: the PDF, median of {RUNS} (s)", f"{pdf:.3f}"),
        (f"points: the XLSX, median of {RUNS} (s)", f"{xlsx:.3f}"),
        ("points: answered 200", "yes" if ok else "NO"),
    ]
