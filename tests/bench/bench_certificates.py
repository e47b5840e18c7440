"""Benchmark: a batch of 300 certificates for a track (issue + one PDF of 300 pages, and a ZIP).

`run()` expects Django set up on a fresh database (the bench runner does that); the data lives
in one transaction that is rolled back, so other benchmarks see an empty database.
"""

import datetime
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.certificates import services
from events.certificates.pdf import certificates_pdf, certificates_zip
from events.models import Attendance, Event, EventForm, Program, Track
from participants.models import Person
from tests.bench.bench_attendance import verdict
from tests.factories import MunicipalityFactory, in_days

PEOPLE = 300
EVENTS = 8
TARGET_SECONDS = 5.0




def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк", time_zone="Asia/Vladivostok")
    program = Program.objects.create(municipality=municipality, name="Мастер-мастеру",
                                     start_date=datetime.date(2026, 1, 1),
                                     end_date=datetime.date(2026, 12, 31))
    track = Track.objects.create(program=program, number=1, theme="Анализ современного урока",
                                 start_date=datetime.date(2026, 1, 1),
                                 end_date=datetime.date(2026, 12, 31))
    form = EventForm.objects.get_or_create(name="семинар")[0]
    events = Event.objects.bulk_create(
        Event(municipality=municipality, program=program, track=track, form=form,
              title=f"Семинар № {n}", starts_at=in_days(-60 + n), academic_hours=2,
              ends_at=in_days(-60 + n) + datetime.timedelta(hours=2)) for n in range(EVENTS))
    people = []
    for n in range(PEOPLE):
        person = Person(municipality=municipality, last_name=f"Иванова{'абв'[n % 3]}",
                        first_name="Мария", patronymic="Петровна", email=f"p{n}@example.org")
        person.refresh_search_text()
        people.append(person)
    people = Person.objects.bulk_create(people)
    Attendance.objects.bulk_create(Attendance(event=e, person=p) for p in people for e in events)
    return track


def _measure():
    track = _seed()
    reverse("cabinet")  # the URLconf loads once per process: a server has it loaded already
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        certificates = services.issue_batch(track=track)
    issued = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    pdf = certificates_pdf(certificates)
    rendered, rendered_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    archive = certificates_zip(certificates)
    zipped, zipped_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"count": len(certificates), "issue": issued, "queries": len(queries),
            "pdf": rendered, "pdf_cpu": rendered_cpu, "pdf_mb": len(pdf) / 1e6, "zip": zipped,
            "zip_cpu": zipped_cpu, "zip_mb": len(archive) / 1e6}


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    with transaction.atomic():
        result = _measure()
        transaction.set_rollback(True)
    total, total_zip = result["issue"] + result["pdf"], result["issue"] + result["zip"]
    return [
        ("certificates: batch size (people × events)", f"{result['count']} × {EVENTS}"),
        ("certificates: issue the batch, mails queued (s)", f"{result['issue']:.2f}"),
        ("certificates: SQL queries to issue the batch", str(result["queries"])),
        ("certificates: one PDF of the batch (s)", f"{result['pdf']:.2f}"),
        # On a shared, loaded machine wall time grows with the load; CPU time does not.
        ("certificates: one PDF of the batch, CPU time of this process (s)",
         f"{result['pdf_cpu']:.2f}"),
        (f"certificates: issue + PDF (s, target ≤ {TARGET_SECONDS:g})",
         verdict(total, TARGET_SECONDS)),
        ("certificates: PDF size (MB)", f"{result['pdf_mb']:.1f}"),
        ("certificates: ZIP of a PDF each (s)", f"{result['zip']:.2f}"),
        ("certificates: ZIP of a PDF each, CPU time of this process (s)",
         f"{result['zip_cpu']:.2f}"),
        (f"certificates: issue + ZIP (s, target ≤ {TARGET_SECONDS:g})",
         verdict(total_zip, TARGET_SECONDS)),
        ("certificates: ZIP size (MB)", f"{result['zip_mb']:.1f}"),
    ]
