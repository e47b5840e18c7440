"""The tables of an evaluation form, and the figures of one question in one round.

A table is plain data — columns, rows of values, facts, a note, a chart — so that the page,
JSON, PDF, XLSX and CSV all show the same thing. Values stay numbers (shares as 0..1); each
column says how to show them. No table has a row per person.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from math import ceil, floor, fsum
from types import SimpleNamespace
from typing import NamedTuple

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Question
from surveys.questions import OTHER, SCALE_POINTS, scale_labels
from surveys.suppression import hidden_groups, suppressed_text

Kind = Question.Kind

# How a renderer shows a value: text, count, mean, share (0..1), signed change, NPS points.
TEXT, INT, NUM, PCT, DELTA, POINTS = "text", "int", "num", "pct", "delta", "points"
NUMERIC = (INT, NUM, PCT, DELTA, POINTS)


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Fact:
    key: str
    label: str
    value: object
    kind: str = TEXT


@dataclass
class Chart:
    """Bars of `value_key` per row, labelled by `label_key`; with `compare_key`, two bars per
    row (that value, then this one), as «было — стало»."""

    label_key: str
    value_key: str
    kind: str = PCT
    max_value: float | None = None
    compare_key: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    note: str = ""
    chart: Chart | None = None


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


@dataclass
class Form:
    kind: str
    title: str
    header: list[Fact]
    sections: list[Section]
    filename: str
    # The municipality's zone: the export's "generated at" is shown in it, like every time.
    time_zone: str = "UTC"


# --- small figures -------------------------------------------------------------------------------

def num(value, digits=2):
    return None if value is None or pd.isna(value) else round(float(value), digits)


def share(count, total):
    return round(count / total, 4) if total else None


def local_date(moment, zone):
    return timezone.localtime(moment, zone).strftime("%d.%m.%Y")


def shuffled(texts):
    """Distinct texts with how often each was written, the most frequent first and otherwise
    in an order that looks random but follows only their content: neither who wrote them nor
    when can be read from it, and the same answers always come out the same."""
    counts = Counter(texts)
    return sorted(counts.items(),
                  key=lambda item: (-item[1], hashlib.sha256(item[0].encode()).hexdigest()))


def natural_key(name):
    """«СОШ № 2» before «СОШ № 10»: numbers inside names compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


class Numbers:
    """Numbers given as how many gave each value — the distribution a database counted."""

    def __init__(self, counts=()):
        totals = Counter()
        for value, n in counts:
            totals[float(value)] += n
        self.values = sorted(totals.items())
        self.n = sum(totals.values())

    def count(self, test):
        return sum(n for value, n in self.values if test(value))

    @property
    def mean(self):
        return fsum(value * n for value, n in self.values) / self.n if self.n else None

    @property
    def median(self):
        if not self.n:
            return None
        middle = (self.n - 1) / 2
        return (self._nth(floor(middle)) + self._nth(ceil(middle))) / 2

    def _nth(self, index):
        """The value at `index` of the numbers in order."""
        for value, n in self.values:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    @property
    def min(self):
        return self.values[0][0] if self.values else None

    @property
    def max(self):
        return self.values[-1][0] if self.values else None


def numeric_facts(values):
    return [Fact("answered", _("Ответов"), values.n, INT),
            Fact("mean", _("Среднее"), num(values.mean), NUM),
            Fact("median", _("Медиана"), num(values.median), NUM)]


def question_title(question):
    return f"{question['position']}. {question['text']}"


# --- a question's tables: from the counted answers (surveys/evaluation/counts.py) ----------------

def scale_table(question, values, key):
    """A scale question from its Numbers."""
    low, high = SCALE_POINTS[question["kind"]]
    n, counts = values.n, Counter()
    for value, count in values.values:
        counts[round(value)] += count
    # Enough of a Question for the labels helper of surveys.questions.
    labels = scale_labels(SimpleNamespace(kind=question["kind"],
                                          scale_labels=question["scale_labels"]))
    every_point = len(labels) == high - low + 1
    rows = []
    for point in range(low, high + 1):
        label = f"{point} — {labels[point - low]}" if every_point else str(point)
        rows.append({"option": label, "count": counts[point], "share": share(counts[point], n)})
    facts = numeric_facts(values)
    if question["kind"] == Kind.SCALE_5:
        facts.append(Fact("top_share", _("Доля оценок 4–5"),
                          share(values.count(lambda v: v >= 4), n), PCT))
    else:
        promoters = values.count(lambda v: v >= 9)
        detractors = values.count(lambda v: v <= 6)
        facts.append(Fact("top_share", _("Доля оценок 9–10"), share(promoters, n), PCT))
        nps = round((promoters - detractors) / n * 100, 1) if n else None
        facts.append(Fact("nps", _("NPS (% 9–10 минус % 0–6)"), nps, POINTS))
    return Table(key, question_title(question), distribution_columns(_("Ответов")), rows, facts,
                 chart=Chart("option", "share"))


def distribution_columns(count_label):
    return [Column("option", _("Вариант")), Column("count", count_label, INT),
            Column("share", _("Доля"), PCT)]


def choice_tables(question, picks, key):
    """A single or multiple choice question from its Picks (one answer per respondent)."""
    answered = [pick for pick in picks if pick.choices or pick.text]
    n, counts, texts = 0, Counter(), Counter()
    for pick in answered:
        n += pick.n
        for choice in pick.choices:
            counts[choice] += pick.n
        if pick.text:
            texts[pick.text] += pick.n
    options = [c for c in question["choices"] if c != OTHER]
    if question["allow_other"] or counts[OTHER]:
        options.append(OTHER)
    rows = [{"option": _("другое") if option == OTHER else option,
             "count": counts[option], "share": share(counts[option], n)}
            for option in options]
    multiple = question["kind"] == Kind.MULTIPLE
    title = question_title(question) + (" " + _("(несколько вариантов)") if multiple else "")
    table = Table(key, title,
                  distribution_columns(_("Выбрали") if multiple else _("Ответов")), rows,
                  [Fact("answered", _("Ответили"), n, INT)], chart=Chart("option", "share"))
    if multiple:
        table.note = _("Доля — от ответивших на вопрос; сумма может быть больше 100 %.")
    if not texts:
        return [table]
    return [table, text_table(question, texts, f"{key}-other",
                              title=_("%(question)s — свои варианты («другое»)")
                              % {"question": question_title(question)})]


def written(picks):
    """The free texts of Picks: {text: how many wrote it}."""
    texts = Counter()
    for pick in picks:
        if pick.text:
            texts[pick.text] += pick.n
    return texts


def text_table(question, texts, key, *, title=None):
    """Free texts ({text: count}); identical ones once, with a count when any was written more
    than once."""
    counted = shuffled(texts)
    columns = [Column("text", _("Ответ"))]
    rows = [{"text": text} for text, _count in counted]
    if any(count > 1 for _text, count in counted):
        columns.append(Column("count", _("Сколько раз"), INT))
        rows = [{"text": text, "count": count} for text, count in counted]
    return Table(key, title or question_title(question), columns, rows,
                 [Fact("answered", _("Ответов"), sum(texts.values()), INT)])


def number_table(question, values, key):
    facts = numeric_facts(values) + [
        Fact("min", _("Минимум"), num(values.min), NUM),
        Fact("max", _("Максимум"), num(values.max), NUM)]
    return Table(key, question_title(question), facts=facts)


# --- the difficulty matrix ----------------------------------------------------------------------

HARD_POINT = 4  # «скорее трудно» and «очень трудно»


class Ranked(NamedTuple):
    """A topic's place in a ranking: its answers, mean difficulty and share of 4–5."""

    topic_id: int
    name: str
    n: int
    mean: float | None
    hard_share: float | None


def rank_topics(parts, topics):
    """Topics hardest first by mean, as Ranked, from parts (topic id, answers, their sum,
    answers of 4–5) added up per topic; `topics` are (id, name) in vocabulary order, which ties
    keep, and a topic nobody rated comes last."""
    totals = {}
    for topic_id, n, total, hard in parts:
        before = totals.get(topic_id, (0, 0.0, 0))
        totals[topic_id] = (before[0] + n, before[1] + float(total), before[2] + hard)
    ranked = []
    for topic_id, name in topics:
        n, total, hard = totals.get(topic_id, (0, 0.0, 0))
        ranked.append(Ranked(topic_id, name, n, num(total / n) if n else None,
                             num(hard / n, 4) if n else None))
    ranked.sort(key=lambda r: (r.mean is None, -(r.mean or 0)))  # stable: ties keep the order
    return ranked


def ranking(cells, topics):
    """rank_topics of matrix Cells (or anything with topic_id, value and n)."""
    return rank_topics(((cell.topic_id, cell.n, float(cell.value) * cell.n,
                         cell.n if cell.value >= HARD_POINT else 0) for cell in cells), topics)


RANK_COLUMNS = (("rank", "Место", INT), ("topic", "Тема", TEXT), ("count", "Ответов", INT),
                ("mean", "Средняя трудность (1–5)", NUM),
                ("hard_share", "Доля «скорее трудно» и «очень трудно»", PCT))


def rank_columns():
    return [Column(key, _(label), kind) for key, label, kind in RANK_COLUMNS]


def ranked_rows(ranked):
    return [{"rank": place, "topic": r.name, "count": r.n, "mean": r.mean,
             "hard_share": r.hard_share} for place, r in enumerate(ranked, start=1)]


def experience_key(young):
    return None if young is None else ("young" if young else "others")


def school_key(organisation_id):
    return None if organisation_id is None else f"org{organisation_id}"


def matrix_tables(question, cells, raters, respondents, topics, key):
    """A matrix question from its Cells, the Groups of those who rated a topic, and the Groups
    of all respondents (for the schools' names)."""
    cells = [cell for cell in cells if cell.topic_id is not None]
    ranked = ranking(cells, topics)
    overall = Table(
        key, _("%(question)s — темы по трудности") % {"question": question_title(question)},
        rank_columns(), ranked_rows(ranked),
        [Fact("answered", _("Ответили"), sum(group.n for group in raters), INT)],
        chart=Chart("topic", "mean", NUM, 5.0))
    title = question_title(question)
    experience = _grouped(cells, raters, lambda c: experience_key(c.young))
    school = _grouped(cells, raters, lambda c: school_key(c.organisation_id))
    return [overall,
            breakdown(*experience, topics, experience_labels(), f"{key}-experience",
                      _("%(question)s — по опыту работы") % {"question": title},
                      _("Группа")),
            breakdown(*school, topics, school_labels(respondents), f"{key}-schools",
                      _("%(question)s — по школам") % {"question": title}, _("Школа"))]


def _grouped(cells, raters, key_of):
    """Cells by group key, and the respondents of each group; unknown groups left out."""
    by_group, sizes = {}, Counter()
    for cell in cells:
        group = key_of(cell)
        if group is not None:
            by_group.setdefault(group, []).append(cell)
    for rater in raters:
        group = key_of(rater)
        if group is not None:
            sizes[group] += rater.n
    return by_group, dict(sizes)


def experience_labels():
    return {"young": _("Молодые специалисты"), "others": _("Остальные педагоги")}


def school_labels(respondents):
    """«org<id>» → the school's short name, in natural order of the names."""
    schools = {school_key(g.organisation_id): g.short_name or g.name
               for g in respondents if g.organisation_id is not None}
    return dict(sorted(schools.items(), key=lambda kv: natural_key(kv[1])))


def group_rankings(by_group, sizes, topics, labels, *, rank=ranking):
    """Per group shown: (group, n, topics ranked by that group's own means); and the hidden.
    `by_group` holds what `rank` ranks for each group (Cells unless told), `sizes` its
    respondents."""
    hidden = hidden_groups(sizes)
    shown = [g for g in labels if g in sizes and g not in hidden]
    return ([(g, sizes[g], rank(by_group.get(g, ()), topics)) for g in shown],
            [g for g in labels if g in hidden])


def breakdown(by_group, sizes, topics, labels, key, title, group_label):
    """Topics per group, each group's list ranked by its own mean difficulty."""
    shown, hidden = group_rankings(by_group, sizes, topics, labels)
    return breakdown_table(key, title, group_label,
                           [(labels[g], n, ranked) for g, n, ranked in shown],
                           [labels[g] for g in hidden])


def breakdown_table(key, title, group_label, shown, hidden):
    """The table of topics ranked per group: `shown` are (name, n, ranked), `hidden` the
    names of the groups too small to show."""
    rows = [{"group": f"{label} (n={n})", **row}
            for label, n, ranked in shown for row in ranked_rows(ranked)]
    columns = [Column("group", group_label), *rank_columns()] if shown else []
    note = f"{', '.join(hidden)}: {suppressed_text()}" if hidden else ""
    return Table(key, title, columns, rows, note=note)
