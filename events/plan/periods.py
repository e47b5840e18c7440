"""Periods of a plan as Russian orders write them, read into a kind and dates, and back to words.

«август – 10 сентября 2022 г.», «до 15.09. 2022 г.», «ноябрь 2022 г.», «В течении всего периода»,
«с 1 декабря по 16 декабря 2022 г.», «11.01.-18.01.2023 г.», «01–16.12.2022», «16.12.2022, 14:00».
A part without a year takes it from the other part, else from the program's period.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.plan.models import PeriodKind, month_bounds
from participants.models import fold

# Genitive and nominative stems: «декабрь», «декабря», «дек.».
MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
MONTH_WORD = re.compile(r"^(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|"
                        r"декабр)[а-я]*\.?$")
GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
            "сентября", "октября", "ноября", "декабря")
NOMINATIVE = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
              "сентябрь", "октябрь", "ноябрь", "декабрь")
WHOLE = re.compile(r"^(?:в )?(?:течени[еия]|протяжении) (?:всего )?(?:учебного )?"
                   r"(?:года|периода|срока)$|^весь период$|^постоянно$|^ежемесячно$|"
                   r"^в течени[еи] (?:\d{4}(?:-\d{4})? )?учебного года$")
DASHES = re.compile("[\u2010-\u2015\u2212]")
TIME = re.compile(r"(?:,|\s)\s*(?:в\s*)?(\d{1,2})[:.](\d{2})(?:\s*ч\.?)?$")
YEAR_WORDS = re.compile(r"(\d{4})\s*(?:г\.?|гг\.?|года|год)(?=$|[\s,.;-])")
NUMERIC = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?(?:\.(\d{2}|\d{4}))?\.?$")
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    kind: str
    starts_on: datetime.date | None = None  # None only for «весь период»
    ends_on: datetime.date | None = None
    at_time: datetime.time | None = None


class PeriodError(ValueError):
    """A period the parser cannot read; its message is Russian and says why."""


@dataclass
class _Part:
    day: int | None = None
    month: int | None = None
    year: int | None = None


def parse_period(text, *, program_start=None, program_end=None):
    """The period a cell means; raises PeriodError with the reason."""
    raw = " ".join((text or "").split())
    if not raw:
        raise PeriodError(_("Не указан срок."))
    words = _normalised(raw)
    if WHOLE.match(words):
        return Period(PeriodKind.WHOLE)
    deadline = re.match(r"^(?:до|не позднее|не позже)\s+(.+)$", words)
    if deadline:
        day = _one_day(deadline.group(1), raw, program_start, program_end)
        return Period(PeriodKind.DEADLINE, day, day)
    at_time = None
    timed = TIME.search(words)
    if timed:
        at_time = _time(timed, raw)
        words = words[:timed.start()].strip(" ,")
    left, right = _split_range(words)
    if right is None:
        part = _part(left, raw)
        _fill_year(part, program_start, program_end, raw)
        if part.day is None:
            if at_time is not None:
                raise PeriodError(_("Срок «%(text)s»: время указано без дня.") % {"text": raw})
            start, end = month_bounds(part.year, part.month)
            return Period(PeriodKind.MONTH, start, end)
        day = _date(part, raw)
        return Period(PeriodKind.DAY, day, day, at_time)
    if at_time is not None:
        raise PeriodError(_("Срок «%(text)s»: время у периода не поддерживается; укажите один "
                            "день со временем.") % {"text": raw})
    first, last = _part(left, raw), _part(right, raw)
    if last.month is None:
        raise PeriodError(_("Срок «%(text)s»: не понятен конец периода.") % {"text": raw})
    first.month = first.month or last.month
    _fill_year(last, program_start, program_end, raw)
    if first.year is None:
        # «декабрь – январь 2023» crosses the new year; within one month order is checked below.
        first.year = last.year - 1 if first.month > last.month else last.year
    start = _date(first, raw) if first.day else month_bounds(first.year, first.month)[0]
    end = _date(last, raw) if last.day else month_bounds(last.year, last.month)[1]
    if end < start:
        raise PeriodError(_("Срок «%(text)s»: конец периода раньше начала.") % {"text": raw})
    return Period(PeriodKind.RANGE, start, end)


def _normalised(raw):
    text = fold(raw)
    text = DASHES.sub("-", text)
    text = YEAR_WORDS.sub(r"\1", text)
    text = re.sub(r"(\d)\.\s+(\d)", r"\1.\2", text)  # «15.09. 2022»
    text = re.sub(r"^с\s+(.+?)\s+по\s+(.+)$", r"\1 - \2", text)  # «с 1 по 16 декабря»
    text = re.sub(r"^(?:в|на)\s+(?=[а-я])", "", text)  # «в октябре 2022»
    return " ".join(text.split()).strip(" .;")


def _split_range(words):
    if words.count("-") > 1:
        raise PeriodError(_("Срок «%(text)s» не распознан.") % {"text": words})
    if "-" not in words:
        return words, None
    left, right = (side.strip(" ,.") for side in words.split("-"))
    if not left or not right:
        raise PeriodError(_("Срок «%(text)s»: у периода нет начала или конца.") % {"text": words})
    return left, right


def _part(words, raw):
    """«10 сентября 2022», «16.12.2022», «11.01», «август», «1» → day, month, year."""
    tokens = words.replace(",", " ").split()
    if len(tokens) == 1 and NUMERIC.match(tokens[0]):
        day, month, year = NUMERIC.match(tokens[0]).groups()
        part = _Part(int(day), int(month) if month else None, _year(year))
        return part  # a bare day («с 1 по 16 декабря») takes its month from the other side
    part = _Part()
    for token in tokens:
        if token.isdigit() and len(token) == 4 and part.year is None:
            part.year = int(token)
        elif token.isdigit() and len(token) <= 2 and part.day is None and part.month is None:
            part.day = int(token)
        elif MONTH_WORD.match(token) and part.month is None:
            part.month = _month(token)
        else:
            raise PeriodError(_("Срок «%(text)s» не распознан: непонятно «%(word)s».")
                              % {"text": raw, "word": token})
    if part.month is None and (part.day is None or part.year is not None):
        raise PeriodError(_("Срок «%(text)s»: не указан месяц.") % {"text": raw})
    return part


def _month(token):
    stem = token.rstrip(".")
    for prefix, number in sorted(MONTHS.items(), key=lambda kv: -len(kv[0])):
        if stem.startswith(prefix):
            return number
    raise PeriodError(_("Месяц «%(word)s» не распознан.") % {"word": token})


def _year(text):
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _fill_year(part, program_start, program_end, raw):
    """A part without a year: the year in which that month falls within the program."""
    if part.month is None:
        raise PeriodError(_("Срок «%(text)s»: не указан месяц.") % {"text": raw})
    if part.year is not None:
        if not MIN_YEAR <= part.year <= MAX_YEAR:
            raise PeriodError(_("Срок «%(text)s»: год %(year)s вне допустимого диапазона.")
                              % {"text": raw, "year": part.year})
        return
    if program_start is None or program_end is None:
        raise PeriodError(_("Срок «%(text)s»: не указан год.") % {"text": raw})
    for year in range(program_start.year, program_end.year + 1):
        first, last = month_bounds(year, part.month)
        if last >= program_start and first <= program_end:
            part.year = year
            return
    raise PeriodError(_("Срок «%(text)s»: месяц не попадает в период программы; укажите год.")
                      % {"text": raw})


def _date(part, raw):
    try:
        return datetime.date(part.year, part.month, part.day)
    except (TypeError, ValueError) as exc:
        raise PeriodError(_("Срок «%(text)s»: такой даты нет.") % {"text": raw}) from exc


def _one_day(words, raw, program_start, program_end):
    part = _part(words.strip(" ,."), raw)
    _fill_year(part, program_start, program_end, raw)
    if part.day is None:  # «до декабря 2022» — by the end of that month
        return month_bounds(part.year, part.month)[1]
    return _date(part, raw)


def _time(match, raw):
    try:
        return datetime.time(int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise PeriodError(_("Срок «%(text)s»: такого времени нет.") % {"text": raw}) from exc


# --- back to words ------------------------------------------------------------------------------

def period_label(kind, starts_on, ends_on, at_time=None):
    """The period in words, as a plan would print it: «01.12.2022 – 16.12.2022», «до 15.09.2022»,
    «ноябрь 2022», «16.12.2022, 14:00», «весь период»."""
    if kind == PeriodKind.WHOLE:
        return _("весь период")
    if kind == PeriodKind.DEADLINE:
        return _("до %(date)s") % {"date": f"{ends_on:%d.%m.%Y}"}
    if kind == PeriodKind.MONTH:
        return f"{NOMINATIVE[starts_on.month - 1]} {starts_on.year}"
    if kind == PeriodKind.DAY:
        return f"{starts_on:%d.%m.%Y}" + (f", {at_time:%H:%M}" if at_time else "")
    return f"{starts_on:%d.%m.%Y} – {ends_on:%d.%m.%Y}"
