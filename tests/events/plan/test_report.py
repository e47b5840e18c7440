"""«Отчёт об исполнении плана»: one builder, the page, PDF and XLSX show the same rows."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from events.models import Attendance, Event
from events.plan import importing, report, services
from events.plan.models import PlanItem
from tests.events.plan import spassky
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    ProgramFactory,
    RegistrationFactory,
    make_user,
)
from tests.pdf_text import needs_pdftotext, pdf_text

NOW = datetime.datetime(2023, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def plan(spassky_program, spassky_people, spassky_curator):
    """The Spassky plan with item 7 carried out by a contest held with attendance, item 3 done
    with evidence, item 9 not done, item 16 renamed to something Excel would run."""
    importing.apply_import(spassky_program, spassky.docx_bytes(), "plan.docx",
                           by=spassky_curator)
    municipality = spassky_program.municipality
    contest = EventFactory(municipality=municipality, program=spassky_program,
                           title="Конкурс «Формула успеха»: защита практик",
                           starts_at=datetime.datetime(2022, 12, 16, 4, tzinfo=datetime.UTC),
                           ends_at=datetime.datetime(2022, 12, 16, 7, tzinfo=datetime.UTC))
    cancelled = EventFactory(municipality=municipality, program=spassky_program,
                             title="Отборочный тур", status=Event.Status.CANCELLED,
                             starts_at=datetime.datetime(2022, 12, 5, 4, tzinfo=datetime.UTC),
                             ends_at=datetime.datetime(2022, 12, 5, 6, tzinfo=datetime.UTC))
    registrations = [RegistrationFactory(event=contest) for _ in range(3)]
    for registration in registrations[:2]:
        Attendance.objects.create(event=contest, person=registration.person)
    items = {item.number: item for item in PlanItem.objects.filter(program=spassky_program)}
    services.update_item(items[7], by=spassky_curator, events=[cancelled, contest])
    services.set_status(items[3], "done", by=spassky_curator, note="Приказ № 165/1-А",
                        evidence_url="https://spassk.example/165")
    services.update_item(items[16], by=spassky_curator, title="=SUM(A1) деловая игра")
    services.set_status(items[9], "not_done", by=spassky_curator,
                        note="=HYPERLINK(\"http://x\") перенесено решением оргкомитета")
    return spassky_program


def test_report_has_each_item_with_status_events_attendance_and_evidence(plan):
    built = report.execution_report(plan, now=NOW)

    head, rows = built.table()
    assert len(rows) == 16
    by_number = {row[0]: row for row in rows}
    assert by_number["3"][4] == "выполнено\nПриказ № 165/1-А"
    assert by_number["3"][6] == "https://spassk.example/165"
    assert by_number["7"][5] == (
        "05.12.2022 «Отборочный тур»: отменено\n"
        "16.12.2022 «Конкурс «Формула успеха»: защита практик»: записано 3, пришли 2")
    assert by_number["7"][3] == "Буглак С.Г., Корниенко Т.А., кураторы наставничества в ОО"
    assert dict(built.counts()) == {"запланировано": 14, "выполнено": 1, "перенесено": 0,
                                    "не выполнено": 1}


def test_report_for_a_period_keeps_the_items_that_overlap_it(plan):
    built = report.execution_report(plan, start=datetime.date(2022, 12, 1),
                                    end=datetime.date(2022, 12, 31), now=NOW)

    # 6 is «весь период»; 7 runs 1–16 December; 8 is December.
    assert [row.number for row in built.rows] == [6, 7, 8]


@pytest.mark.parametrize("size", [1, 3])
def test_report_queries_do_not_grow_with_items(spassky_program, spassky_curator, size,
                                               django_assert_num_queries):
    for number in range(size):
        item = services.create_item(spassky_program, by=spassky_curator, number=number + 1,
                                    title=f"Пункт {number}", period_kind="whole",
                                    responsible=[services.Responsible(text="МК")])
        services.update_item(item, by=spassky_curator, events=[
            EventFactory(municipality=spassky_program.municipality)])

    with django_assert_num_queries(3):  # items, their responsible people, their events
        report.execution_report(spassky_program, now=NOW)


def test_xlsx_has_the_same_rows_and_neutralises_formulas(plan):
    built = report.execution_report(plan, now=NOW)
    from events.plan import exports

    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(built))).active

    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    head, rows = built.table()
    start = values.index(head)
    assert values[start + 1:start + 17] == [[exports.safe_cell(cell) for cell in row]
                                            for row in rows]
    item_9 = next(row for row in values[start + 1:] if row[0] == "9")
    assert item_9[4] == "не выполнено\n=HYPERLINK(\"http://x\") перенесено решением оргкомитета"
    item_16 = next(row for row in values[start + 1:] if row[0] == "16")
    assert item_16[1] == "'=SUM(A1) деловая игра"
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)


@needs_pdftotext
def test_pdf_carries_the_items_in_cyrillic(plan, tmp_path):
    from events.plan import exports

    text = pdf_text(exports.to_pdf(report.execution_report(plan, now=NOW)), tmp_path)

    assert "Отчёт об исполнении плана" in text
    assert "Формирование муниципального реестра" in text
    assert "пришли 2" in text
    assert "выполнено: 1" in text


def test_page_and_files_for_the_curator_404_for_another_municipality(plan, spassky_curator):
    client = Client()
    client.force_login(spassky_curator)

    page = client.get(reverse("plan_report", args=[plan.pk]) + "?start=2022-12-01&end=bad")
    pdf = client.get(reverse("plan_report_file", args=[plan.pk, "pdf"]))
    xlsx = client.get(reverse("plan_report_file", args=[plan.pk, "xlsx"]))

    assert page.status_code == 200
    assert "Муниципальный этап конкурса практик наставничества" in page.content.decode()
    assert "пришли 2" in page.content.decode()
    assert pdf.content.startswith(b"%PDF") and xlsx.content.startswith(b"PK")
    foreign = ProgramFactory(municipality=MunicipalityFactory(name="Другой район"))
    assert client.get(reverse("plan_report", args=[foreign.pk])).status_code == 404


def test_page_is_refused_to_a_participant(plan, spassky_municipality):
    from participants import roles

    client = Client()
    client.force_login(make_user("teacher", role=roles.PARTICIPANT,
                                 municipality=spassky_municipality))

    assert client.get(reverse("plan_report", args=[plan.pk])).status_code == 403
