"""PDF column widths of evaluation tables: every column gets a positive width, all fit the page."""

import pytest
from reportlab.lib.units import mm

from surveys.evaluation import exports
from surveys.evaluation.figures import NUM, TEXT

PORTRAIT, LANDSCAPE = 180 * mm, 267 * mm


@pytest.mark.parametrize("width", [PORTRAIT, LANDSCAPE])
@pytest.mark.parametrize("texts", range(1, 11))
@pytest.mark.parametrize("numbers", [0, 1, 4])
def test_columns_are_positive_and_fill_the_width(width, texts, numbers):
    kinds = [TEXT] * texts + [NUM] * numbers
    labels = [f"Столбец номер {i}" for i in range(len(kinds))]
    rows = [["Длинный текст ответа участника " * 3] * texts + ["3,86"] * numbers]
    widths = exports._widths(kinds, labels, rows, width)
    assert all(w > 0 for w in widths), widths
    assert sum(widths) == pytest.approx(width)


def test_six_text_columns_next_to_numbers_leave_the_numbers_room():
    kinds = [TEXT] * 6 + [NUM, NUM]
    labels = ["Вопрос", "Школа", "Группа", "Трек", "Мероприятие", "Ответ", "Среднее", "n"]
    widths = exports._widths(kinds, labels, [["текст"] * 6 + ["1", "2"]], PORTRAIT)
    # A number column keeps at least what a text column gets when the page is this crowded.
    assert min(widths[6:]) >= min(widths[:6]) * 0.5
