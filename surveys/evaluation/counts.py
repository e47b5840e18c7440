"""The answers of rounds counted in the database: what the evaluation form of a round or a
series is computed from.

A form shows distributions, means, medians and rankings, never a person's row, so the database
returns each distinct answer of a round and question once with how many gave it: 108,000 answer
rows of 2,000 respondents come back as a few thousand, and 125 rounds of a program as one result
sorted into buckets by round. One query holds three kinds of rows (UNION ALL):
- NUMBER: a number (scale, number, a matrix cell) with its topic; a matrix cell also with the
  respondent's school and experience group, which its breakdowns need;
- PICK: choices and text of the other questions (a free text is its own row, once per wording);
- RESPONDENTS: per matrix question, school and experience group, the responses that rated at
  least one topic — the group sizes, which per-topic counts cannot give.
"""

import json
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from surveys.models import Answer, Response

NUMBER, PICK, RESPONDENTS = 1, 2, 3


@dataclass
class Cell:
    """Answers with one number: how many gave `value` (to `topic`, in a school and group)."""

    topic_id: int | None
    value: float
    organisation_id: int | None
    young: bool | None
    n: int


@dataclass
class Pick:
    """Answers with the same choices and the same own text."""

    choices: list
    text: str
    n: int


@dataclass
class Group:
    """Respondents of one school and experience group (either may be unknown)."""

    organisation_id: int | None
    young: bool | None
    n: int
    short_name: str = ""
    name: str = ""


@dataclass
class Counts:
    """A round's answers, counted: by question id."""

    numbers: dict = field(default_factory=dict)  # question id -> [Cell]
    picks: dict = field(default_factory=dict)  # question id -> [Pick]
    raters: dict = field(default_factory=dict)  # matrix question id -> [Group]
    respondents: list = field(default_factory=list)  # [Group] of every submitted response

    @property
    def responses(self):
        return sum(group.n for group in self.respondents)


def _none(output_field):
    return Cast(Value(None), output_field)


def _answer_counts(round_ids):
    """The three kinds of rows as one UNION ALL, all with the same columns."""
    answers = Answer.objects.filter(response__round_id__in=round_ids,
                                    response__submitted_at__isnull=False)
    cell = Q(topic__isnull=False)
    organisation = Case(When(cell, then=F("response__organisation_id")),
                        output_field=IntegerField())
    young = Case(When(cell, then=F("response__is_young_specialist")),
                 output_field=BooleanField())
    numbers = answers.filter(number__isnull=False).values(
        part=Value(NUMBER), round=F("response__round_id"), question_ref=F("question_id"),
        topic_ref=F("topic_id"), value=Cast("number", FloatField()), organisation=organisation,
        young=young, raw=_none(TextField()), said=Value("")).annotate(n=Count("id")).order_by()
    picks = answers.filter(number__isnull=True).values(
        part=Value(PICK), round=F("response__round_id"), question_ref=F("question_id"),
        topic_ref=_none(IntegerField()), value=_none(FloatField()),
        organisation=_none(IntegerField()), young=_none(BooleanField()),
        raw=Cast("choices", TextField()), said=F("text")).annotate(n=Count("id")).order_by()
    raters = answers.filter(cell, number__isnull=False).values(
        part=Value(RESPONDENTS), round=F("response__round_id"), question_ref=F("question_id"),
        topic_ref=_none(IntegerField()), value=_none(FloatField()),
        organisation=F("response__organisation_id"), young=F("response__is_young_specialist"),
        raw=_none(TextField()), said=Value("")).annotate(
        n=Count("response_id", distinct=True)).order_by()
    return numbers.union(picks, raters, all=True)


def counted(round_ids, *, chosen):
    """{round id: Counts} of the rounds' submitted responses; `chosen` are the ids of the
    questions whose choices mean something (their JSON is decoded, the rest left alone)."""
    by_round = {round_id: Counts() for round_id in round_ids}
    for row in _answer_counts(round_ids):
        counts, question = by_round[row["round"]], row["question_ref"]
        if row["part"] == NUMBER:
            counts.numbers.setdefault(question, []).append(Cell(
                row["topic_ref"], row["value"], row["organisation"], row["young"], row["n"]))
        elif row["part"] == PICK:
            raw = row["raw"]
            choices = json.loads(raw) if question in chosen and raw else []
            counts.picks.setdefault(question, []).append(Pick(choices, row["said"], row["n"]))
        else:
            counts.raters.setdefault(question, []).append(
                Group(row["organisation"], row["young"], row["n"]))
    for row in (Response.objects.filter(round_id__in=round_ids, submitted_at__isnull=False)
                .values("round_id", "organisation_id", "is_young_specialist",
                        "organisation__short_name", "organisation__name")
                .annotate(n=Count("id")).order_by()):
        by_round[row["round_id"]].respondents.append(Group(
            row["organisation_id"], row["is_young_specialist"], row["n"],
            row["organisation__short_name"] or "", row["organisation__name"] or ""))
    return by_round
