"""Points for stimulating payments (seed 001, the act «О стимулирующих выплатах»): the
municipality's table, and the points of each mentor over a period, per school.

What counts, each item once, in the period:
- a personal program the mentor leads that runs at some time in the period;
- a practice of theirs accepted at a level of the bank (the day of the decision), per level;
- an event of the municipal school of mentoring they are responsible for (held, not
  cancelled; its start), as passing on experience at the municipal level; and talks, projects
  and contests recorded in their portfolio (their date), each at its level.
The default table gives a school contest no points (the seed names municipal and regional
contests only). Six queries whatever the number of mentors.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from participants.models import Person, PersonalProgram
from portfolio.models import Achievement, Criterion, PointsRule
from practices.models import Level, Review

C, L = Criterion, Level
# The default table: the seed gives the criteria and that a practice's points grow with its
# level, not the numbers; a municipality sets its own.
DEFAULT_POINTS = {
    (C.PROGRAM, ""): 3,
    (C.PRACTICE, L.SCHOOL): 1, (C.PRACTICE, L.MUNICIPAL): 2, (C.PRACTICE, L.REGIONAL): 3,
    (C.EXPERIENCE, L.SCHOOL): 1, (C.EXPERIENCE, L.MUNICIPAL): 2, (C.EXPERIENCE, L.REGIONAL): 3,
    (C.PROJECT, L.SCHOOL): 1, (C.PROJECT, L.MUNICIPAL): 2, (C.PROJECT, L.REGIONAL): 3,
    # «Участие в конкурсном движении муниципального, регионального уровней»: a school contest
    # gives nothing until the municipality says otherwise.
    (C.CONTEST, L.SCHOOL): 0, (C.CONTEST, L.MUNICIPAL): 2, (C.CONTEST, L.REGIONAL): 3,
}
RULE_KEYS = tuple(DEFAULT_POINTS)
NO_SCHOOL = "—"


def rules_of(municipality):
    """(criterion, level) → points: the municipality's table, the default before it sets one."""
    stored = {(r.criterion, r.level): r.points
              for r in PointsRule.objects.filter(municipality=municipality)}
    return stored or dict(DEFAULT_POINTS)


def rule_label(criterion, level):
    text = Criterion(criterion).label
    return f"{text} — {Level(level).label}" if level else str(text)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def label(self):
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"


@dataclass
class MentorPoints:
    person_id: int
    name: str
    school: str
    counts: Counter = field(default_factory=Counter)
    points: dict = field(default_factory=dict)  # (criterion, level) → points

    @property
    def total(self):
        return sum(self.points.values())

    def by_criterion(self):
        """criterion → points, in the order of the act."""
        found = dict.fromkeys(Criterion.values, 0)
        for (criterion, _level), value in self.points.items():
            found[criterion] += value
        return found


@dataclass
class SchoolPoints:
    name: str
    mentors: list

    @property
    def total(self):
        return sum(m.total for m in self.mentors)


@dataclass
class PointsSummary:
    municipality: str
    period: Period
    rules: dict
    schools: list
    built_at: datetime.datetime

    @property
    def total(self):
        return sum(s.total for s in self.schools)


def _bounds(period, zone):
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time()), zone)
    end = timezone.make_aware(datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time()), zone)
    return start, end


def _counts(municipality, period, person_ids=None):
    """person id → Counter of (criterion, level): four grouped queries."""
    start, end = _bounds(period, municipality.zone)
    found = defaultdict(Counter)

    def only(queryset, path):
        return queryset if person_ids is None else queryset.filter(**{f"{path}__in": person_ids})

    programs = only(PersonalProgram.objects.filter(
        group__municipality=municipality, start_date__lte=period.end,
        end_date__gte=period.start), "group__mentor_id")
    for row in programs.values("group__mentor_id").annotate(n=Count("pk")).order_by():
        found[row["group__mentor_id"]][(C.PROGRAM, "")] += row["n"]
    reviews = only(Review.objects.filter(
        practice__municipality=municipality, outcome=Review.Outcome.ACCEPTED,
        decided_at__gte=start, decided_at__lt=end), "practice__author_id")
    for row in reviews.values("practice__author_id", "level").annotate(n=Count("pk")).order_by():
        found[row["practice__author_id"]][(C.PRACTICE, row["level"])] += row["n"]
    # An event counts once it has been held: one still ahead may yet be cancelled.
    led = only(Event.responsible.through.objects.filter(
        event__municipality=municipality, event__starts_at__gte=start,
        event__starts_at__lt=min(end, timezone.now())).exclude(
        event__status=Event.Status.CANCELLED), "person_id")
    for row in led.values("person_id").annotate(n=Count("event_id", distinct=True)).order_by():
        found[row["person_id"]][(C.EXPERIENCE, L.MUNICIPAL)] += row["n"]
    recorded = only(Achievement.objects.filter(
        municipality=municipality, date__gte=period.start, date__lte=period.end), "mentor_id")
    for row in recorded.values("mentor_id", "kind", "level").annotate(n=Count("pk")).order_by():
        found[row["mentor_id"]][(row["kind"], row["level"])] += row["n"]
    return found


def _sort_key(text):
    return text.lower().replace("ё", "е")


def _mentor_points(row, counts, rules):
    school = row["organisation__short_name"] or row["organisation__name"] or NO_SCHOOL
    name = " ".join(p for p in (row["last_name"], row["first_name"], row["patronymic"]) if p)
    points = {key: n * rules.get(key, 0) for key, n in counts.items()}
    return MentorPoints(row["pk"], name, school, counts, points)


def points_summary(municipality, period, *, organisation_id=None, person_ids=None):
    """Every mentor of the municipality (of one school, if asked) with their points, per school.

    Active mentors always appear; a mentor no longer active only with points in the period.
    """
    rules = rules_of(municipality)
    mentors = Person.objects.filter(municipality=municipality, mentor_profile__isnull=False,
                                    is_anonymised=False)
    if organisation_id is not None:
        mentors = mentors.filter(organisation_id=organisation_id)
    if person_ids is not None:
        mentors = mentors.filter(pk__in=person_ids)
    rows = list(mentors.values("pk", "last_name", "first_name", "patronymic",
                               "organisation__short_name", "organisation__name",
                               "mentor_profile__is_active"))
    counts = _counts(municipality, period, person_ids)
    schools = defaultdict(list)
    for row in rows:
        mentor = _mentor_points(row, counts.get(row["pk"], Counter()), rules)
        if row["mentor_profile__is_active"] or mentor.counts:
            schools[mentor.school].append(mentor)
    ordered = [SchoolPoints(name, sorted(found, key=lambda m: _sort_key(m.name)))
               for name, found in sorted(schools.items(),
                                         key=lambda item: (item[0] == NO_SCHOOL,
                                                           _sort_key(item[0])))]
    return PointsSummary(municipality.name, period, rules, ordered, timezone.now())


def mentor_points(mentor, period):
    """One mentor's points in the period, by (criterion, level)."""
    summary = points_summary(mentor.municipality, period, person_ids=[mentor.pk])
    found = [m for school in summary.schools for m in school.mentors]
    if found:
        return found[0], summary.rules
    return MentorPoints(mentor.pk, mentor.full_name, ""), summary.rules


def detail_rows(summary):
    """Long form for the spreadsheet: school, mentor, criterion, level, count, each, points."""
    return [(school.name, mentor.name, str(Criterion(criterion).label),
             str(Level(level).label) if level else "", n, summary.rules.get((criterion, level), 0),
             mentor.points[(criterion, level)])
            for school in summary.schools for mentor in school.mentors
            for (criterion, level), n in sorted(mentor.counts.items())]


CRITERIA_SHORT = {
    C.PROGRAM: _("Программы"), C.PRACTICE: _("Практики"), C.EXPERIENCE: _("Трансляция опыта"),
    C.PROJECT: _("Проекты"), C.CONTEST: _("Конкурсы"),
}
