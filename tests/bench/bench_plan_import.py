"""Benchmark: importing a 200-row plan table (DOCX and XLSX): preview, then apply; target ≤ 1 s.

Rows are built from the Spassky plan's wording (every period form of seed 003, people of the
registry and roles as text). Everything runs in a transaction that is rolled back.
"""

import datetime
import time

from django.db import transaction

from events.plan import importing
from events.plan.models import PlanItem
from tests.events.plan import spassky
from tests.factories import MunicipalityFactory, PersonFactory, ProgramFactory

ROWS = 200
TARGET_SECONDS = 1.0


def _rows():
    rows = []
    for n in range(ROWS):
        _number, title, period, responsible = spassky.ROWS[n % len(spassky.ROWS)]
        rows.append((str(n + 1), f"{title} (пункт {n + 1})", period, responsible))
    return rows


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк плана", time_zone="Asia/Vladivostok")
    for last, first, patronymic in spassky.PEOPLE:
        PersonFactory(municipality=municipality, last_name=last, first_name=first,
                      patronymic=patronymic)
    for _n in range(300):  # a registry of a district's size to match names against
        PersonFactory(municipality=municipality)
    return ProgramFactory(municipality=municipality, name="План 2022–2023",
                          start_date=datetime.date(2022, 8, 1),
                          end_date=datetime.date(2023, 6, 30))


def _timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def _measure(build, name):
    with transaction.atomic():
        program = _seed()
        content = build(_rows())
        preview, preview_seconds = _timed(
            lambda: importing.preview_import(program, content, name))
        applied, apply_seconds = _timed(
            lambda: importing.apply_import(program, content, name))
        again, again_seconds = _timed(lambda: importing.apply_import(program, content, name))
        assert preview.counts()["creates"] == ROWS, preview.errors[:3]
        assert again.counts()["unchanged"] == ROWS
        assert PlanItem.objects.filter(program=program).count() == ROWS
        transaction.set_rollback(True)
    return preview_seconds, apply_seconds, again_seconds


def run() -> list[tuple[str, str]]:
    rows = []
    for build, name in ((spassky.docx_bytes, "plan.docx"), (spassky.xlsx_bytes, "plan.xlsx")):
        preview, apply, again = _measure(build, name)
        total = preview + apply
        verdict = "в норме" if total <= TARGET_SECONDS else "МЕДЛЕННО"
        kind = name.rsplit(".", 1)[1].upper()
        rows += [
            (f"plan import {kind}: {ROWS} rows, preview (s)", f"{preview:.2f}"),
            (f"plan import {kind}: apply, all or nothing (s)", f"{apply:.2f}"),
            (f"plan import {kind}: preview + apply (target ≤ {TARGET_SECONDS:g} s)",
             f"{total:.2f} ({verdict})"),
            (f"plan import {kind}: the same table again, nothing changes (s)", f"{again:.2f}"),
        ]
    return rows
