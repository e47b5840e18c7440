"""config/pdf.py tables: a cell that fits one line is drawn as a string, the rest wrap."""

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from config import pdf


def _cells(value, width=30 * mm):
    (grid,) = pdf.table(["Показатель"], [[value]], widths=[width])
    return grid._cellvalues[1][0]


def test_a_short_cell_is_a_plain_string_drawn_as_it_is():
    assert _cells("4,25") == "4,25"
    assert _cells("<b>&amp;") == "<b>&amp;"  # not markup: drawn literally


def test_a_cell_that_does_not_fit_or_breaks_lines_wraps_as_a_paragraph():
    long = "Больше практики, разборов уроков и работы в парах"
    assert isinstance(_cells(long), Paragraph)
    assert isinstance(_cells("строка 1\nстрока 2"), Paragraph)
    assert isinstance(_cells("конец\x0bстроки"), Paragraph)
