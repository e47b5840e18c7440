"""Benchmark: the program attendance report of 1,000 people × 40 events as page, PDF and XLSX.

Each is timed as a curator gets it, through the test client: build, render, response. `run()`
expects Django set up on a fresh database (the bench runner does that); its data lives in one
transaction that is rolled back.
"""

import datetime
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from events.models import Attendance, Event, EventForm, Program, Registration, Track
from participants import roles
from participants.models import Organisation, Person
from tests.factories import MunicipalityFactory, make_user

PEOPLE = 1000
EVENTS = 40
SCHOOLS = 18
RUNS = 3
TARGET_SECONDS = 1.0
START = datetime.datetime(2025, 9, 1, 1, 0, tzinfo=datetime.UTC)


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк посещаемости")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=municipality, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}")
        for n in range(1, SCHOOLS + 1))
    people = [Person(municipality=municipality, organisation=schools[n % SCHOOLS],
                     last_name=f"Сергеева{n}", first_name="Ольга", patronymic="Игоревна",
                     experience_years=n % 20) for n in range(PEOPLE)]
    for person in people:
        person.refresh_search_text()
    people = Person.objects.bulk_create(people)
    program = Program.objects.create(municipality=municipality, name="Мастер-мастеру (бенч)",
                                     start_date=datetime.date(2025, 9, 1),
                                     end_date=datetime.date(2026, 6, 30))
    track = Track.objects.create(program=program, number=1, theme="Анализ урока",
                                 start_date=program.start_date, end_date=program.end_date)
    form = EventForm.objects.get_or_create(name="семинар")[0]
    events = Event.objects.bulk_create(
        Event(municipality=municipality, program=program, track=track, form=form,
              title=f"Семинар-практикум № {n + 1}", academic_hours=2 + n % 3,
              starts_at=START + datetime.timedelta(days=7 * n),
              ends_at=START + datetime.timedelta(days=7 * n, hours=2))
        for n in range(EVENTS))
    registrations, marks = [], []
    for e, event in enumerate(events):
        for p, person in enumerate(people):
            seed = (p * 7 + e * 13) % 10
            if seed < 6:
                registrations.append(Registration(event=event, person=person,
                                                  status="confirmed" if seed else "waitlisted"))
            if seed < 5 or seed == 9:
                marks.append(Attendance(event=event, person=person, present=seed != 4,
                                        is_walk_in=seed == 9))
    Registration.objects.bulk_create(registrations, batch_size=5000)
    Attendance.objects.bulk_create(marks, batch_size=5000)
    curator = make_user("bench-curator", role=roles.CURATOR, municipality=municipality)
    return program, curator, len(registrations), len(marks)


def _get(client, url):
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started, time.process_time() - cpu, response


def _median(client, url):
    """Median wall and CPU seconds, and the last response."""
    runs = [_get(client, url) for _ in range(RUNS)]
    return (statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs),
            runs[-1][2])


def _measure():
    started = time.perf_counter()
    program, curator, registrations, marks = _seed()
    seeding = time.perf_counter() - started
    client = Client()
    client.force_login(curator)
    page_url = f"/attendance/program/{program.pk}/"
    client.get(page_url)  # warm: templates, fonts, the session
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1/programs/{program.pk}/attendance.xlsx")
    result = {"seeding": seeding, "registrations": registrations, "marks": marks,
              "queries": len(queries)}
    for name, url in [("page", page_url),
                      ("pdf", f"/attendance/program/{program.pk}.pdf"),
                      ("xlsx", f"/attendance/program/{program.pk}.xlsx")]:
        result[name], result[f"{name}_cpu"], response = _median(client, url)
        result[f"{name}_bytes"] = len(response.content)
    return result


def verdict(seconds, target):
    """«0.62 (0.62× target, в норме)»: the figure, its ratio to the target, and the verdict."""
    ratio = seconds / target
    return f"{seconds:.2f} ({ratio:.2f}× target, {'в норме' if ratio <= 1 else 'МЕДЛЕННО'})"


def _rows(result):
    rows = []
    for name, label in (("page", "program report page"), ("pdf", "its PDF"),
                        ("xlsx", "its XLSX")):
        rows.append((f"attendance: {label}, median of {RUNS} (s, target ≤ {TARGET_SECONDS:g})",
                     verdict(result[name], TARGET_SECONDS)))
        # On a shared, loaded machine wall time grows with the load; CPU time does not.
        rows.append((f"attendance: {label}, CPU time of this process (s)",
                     verdict(result[f"{name}_cpu"], TARGET_SECONDS)))
    return rows


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    # Production settings name static files from collectstatic's manifest, which a bench run
    # has not made; plain names cost the page the same.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages), transaction.atomic():
        result = _measure()
        transaction.set_rollback(True)
    return [
        ("attendance: people × events", f"{PEOPLE} × {EVENTS}"),
        ("attendance: registrations / marks",
         f"{result['registrations']} / {result['marks']}"),
        ("attendance: inserting the data with bulk_create (s)", f"{result['seeding']:.1f}"),
        ("attendance: SQL queries for the XLSX through the API", str(result["queries"])),
        *_rows(result),
        ("attendance: page / PDF / XLSX size (KB)",
         " / ".join(f"{result[k] // 1024}" for k in ("page_bytes", "pdf_bytes", "xlsx_bytes"))),
    ]
