"""Read side: a mentor's portfolio, and a pair's observation visits over time."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from events.models import Event
from participants.models import PersonalProgram
from portfolio.models import Achievement, ObservationVisit
from portfolio.points import mentor_points
from practices.models import Practice, Review
from surveys.models import Answer


@dataclass
class Portfolio:
    mentor: object
    period: object
    programs: list
    practices: list
    events: list
    visits: list
    achievements: list
    points: object
    rules: dict


def mentor_portfolio(mentor, period):
    """Everything the mentor did (all time), and their points over the period."""
    programs = list(PersonalProgram.objects.filter(group__mentor=mentor)
                    .select_related("group").prefetch_related("group__mentees")
                    .order_by("-start_date", "-pk"))
    accepted = Review.objects.filter(outcome=Review.Outcome.ACCEPTED).order_by("decided_at")
    practices = list(Practice.objects.filter(author=mentor).prefetch_related(
        Prefetch("reviews", queryset=accepted, to_attr="accepted_reviews"))
        .order_by("-created_at", "-pk"))
    events = list(mentor.responsible_events.filter(starts_at__lt=timezone.now())
                  .exclude(status=Event.Status.CANCELLED)
                  .select_related("form", "municipality").order_by("-starts_at", "-pk"))
    visits = list(ObservationVisit.objects.filter(mentor=mentor).select_related("mentee")
                  .order_by("-date", "-pk"))
    achievements = list(Achievement.objects.filter(mentor=mentor).order_by("-date", "-pk"))
    points, rules = mentor_points(mentor, period)
    return Portfolio(mentor, period, programs, practices, events, visits, achievements, points,
                     rules)


@dataclass
class VisitHistory:
    visits: list
    rows: list  # (question text, [value per visit])


def answer_value(number, choices, text):
    """A stored answer as shown: the number (whole if it is), or the choices and text."""
    if number is not None:
        return int(number) if number == int(number) else float(number)
    return "; ".join([*(choices or []), *([text] if text else [])])


def visit_history(visits):
    """The visits oldest first, and per criterion of the map its answer at each visit.

    A criterion keeps its code across versions of the map, so a row follows it through edits.
    Three queries whatever the number of visits.
    """
    visits = list(visits.select_related("mentee", "mentor").order_by("date", "pk"))
    column = {visit.response_id: index for index, visit in enumerate(visits)}
    rows, order = defaultdict(lambda: [""] * len(visits)), {}
    for answer in (Answer.objects.filter(response_id__in=column)
                   .values("response_id", "question__code", "question__text",
                           "question__position", "number", "choices", "text")
                   .order_by("question__position")):
        code = answer["question__code"]
        order.setdefault(code, (answer["question__position"], answer["question__text"]))
        rows[code][column[answer["response_id"]]] = answer_value(
            answer["number"], answer["choices"], answer["text"])
    ordered = sorted(order.items(), key=lambda item: item[1][0])
    return VisitHistory(visits, [(text, rows[code]) for code, (_p, text) in ordered])
