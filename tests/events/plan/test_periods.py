"""Periods as Russian plans write them, read into a kind and dates (and back into words)."""

import datetime

import pytest

from events.plan.periods import PeriodError, parse_period, period_label

D, T = datetime.date, datetime.time
PROGRAM = {"program_start": D(2022, 9, 1), "program_end": D(2023, 6, 30)}


@pytest.mark.parametrize(("text", "kind", "start", "end", "time", "label"), [
    ("август – 10 сентября 2022 г.", "range", D(2022, 8, 1), D(2022, 9, 10), None,
     "01.08.2022 – 10.09.2022"),
    ("до 15.09. 2022 г.", "deadline", D(2022, 9, 15), D(2022, 9, 15), None, "до 15.09.2022"),
    ("ноябрь 2022 г.", "month", D(2022, 11, 1), D(2022, 11, 30), None, "ноябрь 2022"),
    ("в течение года", "whole", None, None, None, "весь период"),
    ("В течении всего периода", "whole", None, None, None, "весь период"),
    ("01–16.12.2022", "range", D(2022, 12, 1), D(2022, 12, 16), None,
     "01.12.2022 – 16.12.2022"),
    ("16.12.2022, 14:00", "day", D(2022, 12, 16), D(2022, 12, 16), T(14, 0),
     "16.12.2022, 14:00"),
    ("с 1 декабря по 16 декабря\n\n2022 г.", "range", D(2022, 12, 1), D(2022, 12, 16), None,
     "01.12.2022 – 16.12.2022"),
    ("11.01.-18.01.2023 г.", "range", D(2023, 1, 11), D(2023, 1, 18), None,
     "11.01.2023 – 18.01.2023"),
    ("декабрь 2022 – январь 2023", "range", D(2022, 12, 1), D(2023, 1, 31), None,
     "01.12.2022 – 31.01.2023"),
    ("март", "month", D(2023, 3, 1), D(2023, 3, 31), None, "март 2023"),  # the program's year
    ("28.02.2023 г.", "day", D(2023, 2, 28), D(2023, 2, 28), None, "28.02.2023"),
])
def test_period_is_read_as_written(text, kind, start, end, time, label):
    period = parse_period(text, **PROGRAM)

    assert (period.kind, period.starts_on, period.ends_on, period.at_time) == (kind, start, end,
                                                                               time)
    shown_start = period.starts_on or PROGRAM["program_start"]
    shown_end = period.ends_on or PROGRAM["program_end"]
    assert period_label(period.kind, shown_start, shown_end, period.at_time) == label


@pytest.mark.parametrize(("text", "message"), [
    ("", "Не указан срок."),
    ("31.02.2023", "Срок «31.02.2023»: такой даты нет."),
    ("16–05.12.2022", "Срок «16–05.12.2022»: конец периода раньше начала."),
    ("16.12.2022, 25:00", "Срок «16.12.2022, 25:00»: такого времени нет."),
    ("июль", "Срок «июль»: месяц не попадает в период программы; укажите год."),
    ("2022", "Срок «2022»: не указан месяц."),
    ("01.01.1900", "Срок «01.01.1900»: год 1900 вне допустимого диапазона."),
])
def test_unreadable_period_says_why(text, message):
    with pytest.raises(PeriodError) as refused:
        parse_period(text, **PROGRAM)

    assert str(refused.value) == message
