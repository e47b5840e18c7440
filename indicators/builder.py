"""The municipal indicators for a period and the period before it: one builder, many renderers.

Each indicator is a share — a numerator over a denominator — with the list behind the numerator
(the drill-down). Stocks (schools that adopted the model, the mentor registry) are read as of the
last day of the period; flows (pairs active, practices presented, events held) within it. The
data is read in a fixed number of queries whatever the size of the municipality, then counted
in Python for both periods.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from events.models import Attendance, Event, Registration
from indicators.models import ModelAdoption, PracticePresentation, StaffCount
from participants.models import (
    YOUNG_SPECIALIST_YEARS,
    GroupMembership,
    MentoringGroup,
    MentorProfile,
    Organisation,
    Person,
)
from practices.models import Review
from surveys.evaluation.figures import HARD_POINT, rank_topics
from surveys.models import Answer, Question, Questionnaire
from surveys.suppression import hidden_groups, is_small, suppressed_text

# An answer of 4 or 5 on the 1–5 scale of an event's questionnaire counts as satisfied.
SATISFIED_FROM = 4
# A chart shows at most this many events; the table lists them all.
CHART_EVENTS = 15
# The «hardest topics» chart: the topics of the difficulty questionnaires, hardest first.
HARDEST_TOPICS = 10


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length that ends the day before this one starts."""
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def __contains__(self, day):
        return day is not None and self.start <= day <= self.end

    def label(self):
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"


@dataclass
class Item:
    """One line behind a numerator: who or what, and what about it."""

    name: str
    detail: str = ""


@dataclass
class Indicator:
    key: str
    title: str
    numerator: int | None
    denominator: int | None
    previous_numerator: int | None
    previous_denominator: int | None
    items: list[Item] = field(default_factory=list)
    source: str = ""
    note: str = ""

    @property
    def share(self):
        return _share(self.numerator, self.denominator)

    @property
    def previous_share(self):
        return _share(self.previous_numerator, self.previous_denominator)

    @property
    def change(self):
        """The change of the share against the previous period, in percentage points."""
        if self.share is None or self.previous_share is None:
            return None
        return round((self.share - self.previous_share) * 100, 1)

    @property
    def suppressed(self):
        return self.numerator is None


@dataclass
class MonthAttendance:
    label: str
    registered: int
    attended: int


@dataclass
class EventSatisfaction:
    title: str
    date: datetime.date
    respondents: int
    share: float | None  # None when suppressed


@dataclass
class TopicDifficulty:
    """A topic of the difficulty questionnaires answered in the period; figures None when fewer
    than five answered it."""

    topic: str
    respondents: int
    mean: float | None  # 1–5
    hard_share: float | None  # answers of 4–5


@dataclass
class IndicatorReport:
    municipality: str
    department: str
    period: Period
    previous: Period
    indicators: list[Indicator]
    months: list[MonthAttendance]
    satisfaction: list[EventSatisfaction]
    topics: list[TopicDifficulty]
    built_at: datetime.datetime

    def indicator(self, key):
        return next(item for item in self.indicators if item.key == key)


def _share(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _school_name(org):
    return org["short_name"] or org["name"]


def _person_name(person):
    return " ".join(p for p in (person["last_name"], person["first_name"], person["patronymic"])
                    if p)


def _local_bounds(municipality, start, end):
    zone = municipality.zone
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=zone)
    return first, after


def _load(municipality, span):
    """Every row both periods need, in a fixed number of queries."""
    first, after = _local_bounds(municipality, span.start, span.end)
    groups_qs = (MentoringGroup.objects.filter(municipality=municipality,
                                               start_date__lte=span.end)
                 .exclude(end_date__lt=span.start))
    events_qs = Event.objects.filter(municipality=municipality, starts_at__gte=first,
                                     starts_at__lt=after)
    return {
        "schools": {o["id"]: o for o in Organisation.objects.filter(municipality=municipality)
                    .values("id", "name", "short_name")},
        "teachers": {p["id"]: p for p in Person.objects.filter(
            municipality=municipality, organisation__isnull=False, is_anonymised=False)
            .values("id", "last_name", "first_name", "patronymic", "organisation_id",
                    "experience_years")},
        "staff": {s["organisation_id"]: s for s in StaffCount.objects.filter(
            organisation__municipality=municipality)
            .values("organisation_id", "teachers", "young_teachers")},
        "adoptions": list(ModelAdoption.objects.filter(organisation__municipality=municipality)
                          .values("organisation_id", "adopted_on")),
        "presentations": list(PracticePresentation.objects.filter(
            organisation__municipality=municipality, presented_on__gte=span.start,
            presented_on__lte=span.end).values("organisation_id", "title", "level",
                                               "presented_on")) + _accepted_practices(
            municipality, first, after),
        "registry": list(MentorProfile.objects.filter(person__municipality=municipality,
                                                      is_active=True)
                         .values("person_id", "since")),
        "groups": list(groups_qs.values("id", "mentor_id", "mentor__organisation_id",
                                        "start_date", "end_date")),
        "memberships": list(GroupMembership.objects.filter(group__in=groups_qs)
                            .values("group_id", "mentee_id", "mentee__organisation_id")),
        "events": list(events_qs.values("id", "title", "starts_at", "ends_at", "status")),
        "registrations": list(Registration.objects.filter(
            event__in=events_qs, status=Registration.Status.CONFIRMED)
            .values("event_id", "person_id")),
        "attendances": list(Attendance.objects.filter(event__in=events_qs, present=True)
                            .values("event_id", "person_id", "is_walk_in")),
        "answers": list(Answer.objects.filter(
            response__round__event__in=events_qs,
            response__round__questionnaire__purpose=Questionnaire.Purpose.EVENT_SATISFACTION,
            response__submitted_at__isnull=False, question__kind=Question.Kind.SCALE_5,
            topic__isnull=True, number__isnull=False)
            .values("response_id", "response__round__event_id", "number")),
        "difficulties": list(Answer.objects.filter(
            response__round__municipality=municipality,
            response__round__questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY,
            response__submitted_at__gte=first, response__submitted_at__lt=after,
            question__kind=Question.Kind.MATRIX, topic__isnull=False, number__isnull=False)
            .values("response_id", "response__submitted_at", "topic__name", "topic__position",
                    "number")),
    }


def _accepted_practices(municipality, first, after):
    """Levels at which the bank's practices were accepted, as presentations on the day of the
    decision (local): a practice accepted at a level was presented there by its school."""
    rows = Review.objects.accepted().filter(
        practice__municipality=municipality, practice__organisation__isnull=False,
        decided_at__gte=first, decided_at__lt=after).values(
        "practice__organisation_id", "practice__title", "level", "decided_at")
    return [{"organisation_id": r["practice__organisation_id"], "title": r["practice__title"],
             "level": r["level"],
             "presented_on": timezone.localtime(r["decided_at"], municipality.zone).date()}
            for r in rows]


class _Counter:
    """The figures of one period from the loaded rows."""

    def __init__(self, data, period, *, zone, now):
        self.data, self.period, self.zone, self.now = data, period, zone, now
        self.schools, self.teachers = data["schools"], data["teachers"]

    def _date(self, moment):
        return timezone.localtime(moment, self.zone).date()

    def _staff(self, known, declared_field):
        """Per school the teachers the school declared, or those in the data when more (a stale
        figure) or when it declared none."""
        per_school = defaultdict(int)
        for pid in known:
            per_school[self.teachers[pid]["organisation_id"]] += 1
        staff = self.data["staff"]
        return sum(max(per_school.get(s, 0), staff[s][declared_field] if s in staff else 0)
                   for s in self.schools)

    def teacher_count(self):
        return self._staff(self.teachers, "teachers")

    def young_count(self):
        return self._staff(self.young(), "young_teachers")

    def active_groups(self):
        return [g for g in self.data["groups"]
                if g["start_date"] <= self.period.end
                and (g["end_date"] is None or g["end_date"] >= self.period.start)]

    def adopted(self):
        return {a["organisation_id"]: a["adopted_on"] for a in self.data["adoptions"]
                if a["adopted_on"] <= self.period.end}

    def registry(self):
        return {r["person_id"] for r in self.data["registry"]
                if r["person_id"] in self.teachers
                and (r["since"] is None or r["since"] <= self.period.end)}

    def in_groups(self):
        """Teachers in an active pair or group, with their role in it."""
        active = {g["id"] for g in self.active_groups()}
        roles = defaultdict(set)
        for group in self.data["groups"]:
            if group["id"] in active:
                roles[group["mentor_id"]].add(_("наставник"))
        for member in self.data["memberships"]:
            if member["group_id"] in active:
                roles[member["mentee_id"]].add(_("наставляемый"))
        return {pid: sorted(r) for pid, r in roles.items() if pid in self.teachers}

    def young(self):
        return {pid for pid, p in self.teachers.items()
                if p["experience_years"] is not None
                and p["experience_years"] < YOUNG_SPECIALIST_YEARS}

    def young_supported(self):
        active = {g["id"] for g in self.active_groups()}
        return {m["mentee_id"] for m in self.data["memberships"]
                if m["group_id"] in active} & self.young()

    def network(self):
        """Schools in a pair or group whose members come from more than one school."""
        members = defaultdict(set)
        for group in self.active_groups():
            members[group["id"]].add(group["mentor__organisation_id"])
        for member in self.data["memberships"]:
            if member["group_id"] in members:
                members[member["group_id"]].add(member["mentee__organisation_id"])
        partners = defaultdict(set)
        for schools in members.values():
            schools = {s for s in schools if s in self.schools}
            if len(schools) > 1:
                for school in schools:
                    partners[school] |= schools - {school}
        return partners

    def presented(self):
        shown = defaultdict(list)
        for p in self.data["presentations"]:
            if p["presented_on"] in self.period:
                shown[p["organisation_id"]].append(p)
        return shown

    def events(self):
        return [e for e in self.data["events"] if self._date(e["starts_at"]) in self.period]

    def held(self):
        return [e for e in self.events()
                if e["status"] != Event.Status.CANCELLED and e["ends_at"] <= self.now]

    def attendance(self):
        """Per held event: confirmed registrations, those of them present, walk-ins."""
        held = {e["id"] for e in self.held()}
        present = {(a["event_id"], a["person_id"]) for a in self.data["attendances"]}
        walk_ins = defaultdict(int)
        for a in self.data["attendances"]:
            if a["is_walk_in"] and a["event_id"] in held:
                walk_ins[a["event_id"]] += 1
        registered, attended = defaultdict(int), defaultdict(int)
        for r in self.data["registrations"]:
            if r["event_id"] in held:
                registered[r["event_id"]] += 1
                attended[r["event_id"]] += (r["event_id"], r["person_id"]) in present
        return registered, attended, walk_ins

    def satisfaction(self):
        """Per held event: respondents, scale answers, satisfied answers."""
        held = {e["id"] for e in self.held()}
        respondents, answers, satisfied = defaultdict(set), defaultdict(int), defaultdict(int)
        for a in self.data["answers"]:
            event_id = a["response__round__event_id"]
            if event_id in held:
                respondents[event_id].add(a["response_id"])
                answers[event_id] += 1
                satisfied[event_id] += a["number"] >= SATISFIED_FROM
        return {e: len(r) for e, r in respondents.items()}, answers, satisfied


# --- the indicators: each returns (numerator, denominator, items) for one period --------------

def _schools_adopted(c):
    adopted = c.adopted()
    items = sorted((Item(_school_name(c.schools[s]), _("с %(date)s") % {"date": f"{d:%d.%m.%Y}"})
                    for s, d in adopted.items() if s in c.schools), key=lambda i: i.name)
    return len(items), len(c.schools), items


def _teacher_items(c, ids, detail=lambda pid: ""):
    people = sorted((c.teachers[pid] for pid in ids),
                    key=lambda p: (p["last_name"], p["first_name"], p["id"]))
    school = c.schools
    return [Item(_person_name(p), ", ".join(x for x in (
        _school_name(school[p["organisation_id"]]), detail(p["id"])) if x)) for p in people]


def _registry(c):
    ids = c.registry()
    return len(ids), c.teacher_count(), _teacher_items(c, ids)


def _in_groups(c):
    roles = c.in_groups()
    return len(roles), c.teacher_count(), _teacher_items(c, roles,
                                                       lambda pid: ", ".join(roles[pid]))


def _young_supported(c):
    ids = c.young_supported()
    return len(ids), c.young_count(), _teacher_items(c, ids)


def _network(c):
    partners = c.network()
    items = sorted((Item(_school_name(c.schools[s]), _("вместе с: %(schools)s") % {
        "schools": ", ".join(sorted(_school_name(c.schools[p]) for p in others))})
        for s, others in partners.items()), key=lambda i: i.name)
    return len(items), len(c.schools), items


def _presented(c):
    shown = c.presented()
    items = []
    for school_id, practices in shown.items():
        levels = PracticePresentation.Level
        items.append(Item(_school_name(c.schools[school_id]), "; ".join(
            f"«{p['title']}» ({levels(p['level']).label}, {p['presented_on']:%d.%m.%Y})"
            for p in sorted(practices, key=lambda p: p["presented_on"]))))
    items.sort(key=lambda i: i.name)
    return len(items), len(c.schools), items


def _event_item(c, event, detail):
    return Item(event["title"], f"{c._date(event['starts_at']):%d.%m.%Y}"
                + (f", {detail}" if detail else ""))


def _events_held(c):
    events = c.events()
    held = c.held()
    return len(held), len(events), [_event_item(c, e, "") for e in held]


def _attendance(c):
    registered, attended, walk_ins = c.attendance()
    items = [_event_item(c, e, _("пришли %(came)s из %(of)s записавшихся, без записи — "
                                 "%(walk)s") % {"came": attended[e["id"]],
                                                "of": registered[e["id"]],
                                                "walk": walk_ins[e["id"]]})
             for e in c.held()]
    return sum(attended.values()), sum(registered.values()), items


def _satisfaction(c):
    respondents, answers, satisfied = c.satisfaction()
    hidden = hidden_groups(respondents)
    items = []
    for e in c.held():
        n = respondents.get(e["id"], 0)
        if not n:
            continue
        if e["id"] in hidden:
            detail = suppressed_text()
        else:
            detail = _("%(share)s%% довольны, ответов: %(n)s") % {
                "share": round(100 * satisfied[e["id"]] / answers[e["id"]]), "n": n}
        items.append(_event_item(c, e, detail))
    if is_small(sum(respondents.values())):
        return None, None, items
    return sum(satisfied.values()), sum(answers.values()), items


INDICATORS = (
    ("schools_adopted", _schools_adopted,
     _l("Доля школ, внедривших целевую модель наставничества"),
     _l("Отметки куратора «внедрила целевую модель» с датой; знаменатель — все образовательные "
        "организации муниципалитета.")),
    ("teachers_in_registry", _registry,
     _l("Доля педагогов в муниципальном реестре наставников"),
     _l("Реестр наставников (активные записи, внесённые не позже конца периода); знаменатель — "
        "педагоги школ по численности, которую вносит куратор (или известные сервису).")),
    ("teachers_in_groups", _in_groups,
     _l("Доля педагогов в наставнических парах, группах, сообществах"),
     _l("Наставники и наставляемые пар и групп, действовавших в периоде; знаменатель — педагоги "
        "школ по численности, которую вносит куратор (или известные сервису).")),
    ("young_supported", _young_supported,
     _l("Доля молодых педагогов (стаж до 3 лет), которых сопровождает наставник"),
     _l("Наставляемые пар и групп, действовавших в периоде, со стажем меньше 3 лет; "
        "знаменатель — все молодые педагоги школ (численность вносит куратор).")),
    ("schools_in_network", _network,
     _l("Доля школ, охваченных сетевыми формами наставничества"),
     _l("Школы, чьи педагоги состоят в паре или группе вместе с педагогами другой школы; "
        "знаменатель — все образовательные организации.")),
    ("schools_presented", _presented,
     _l("Доля школ, представивших наставнические практики"),
     _l("Практики из банка практик, принятые в периоде на школьном, муниципальном или "
        "региональном уровне, и представления практик, которые вносит куратор (в том числе "
        "федеральный уровень); знаменатель — все образовательные организации.")),
    ("events_held", _events_held,
     _l("Проведено мероприятий из запланированных"),
     _l("Мероприятия с началом в периоде, не отменённые и уже закончившиеся; знаменатель — все "
        "мероприятия с началом в периоде.")),
    ("attendance", _attendance,
     _l("Посещаемость: пришли из записавшихся"),
     _l("Отметки посещения на проведённых мероприятиях; знаменатель — подтверждённые записи. "
        "Пришедшие без записи показаны отдельно.")),
    ("satisfaction", _satisfaction,
     _l("Удовлетворённость мероприятиями: оценки 4–5 из всех"),
     _l("Ответы на вопросы со шкалой 1–5 в анкетах оценки проведённых мероприятий; группы "
        "меньше 5 ответивших не показываются.")),
)


def _months(c):
    registered, attended, _walk = c.attendance()
    months = {}
    for e in c.held():
        day = c._date(e["starts_at"])
        key = (day.year, day.month)
        row = months.setdefault(key, [0, 0])
        row[0] += registered[e["id"]]
        row[1] += attended[e["id"]]
    return [MonthAttendance(f"{m:02d}.{y}", *months[(y, m)]) for y, m in sorted(months)]


def _satisfaction_by_event(c):
    respondents, answers, satisfied = c.satisfaction()
    hidden = hidden_groups(respondents)
    rows = []
    for e in c.held():
        n = respondents.get(e["id"], 0)
        if n:
            share = None if e["id"] in hidden else satisfied[e["id"]] / answers[e["id"]]
            rows.append(EventSatisfaction(e["title"], c._date(e["starts_at"]), n, share))
    return rows


def _hardest_topics(c):
    """Topics by mean difficulty in the period's answers, hardest first (the ranking of the
    evaluation form); a topic too few answered shows no figures and goes last, in the
    vocabulary's order, since ranking it would tell its hidden mean."""
    answers = [a for a in c.data["difficulties"]
               if c._date(a["response__submitted_at"]) in c.period]
    respondents = defaultdict(set)
    for a in answers:
        respondents[a["topic__position"], a["topic__name"]].add(a["response_id"])
    vocabulary = sorted(respondents)
    hidden = {topic for topic in vocabulary if is_small(len(respondents[topic]))}
    ranked = rank_topics(
        (((a["topic__position"], a["topic__name"]), 1, a["number"],
          int(a["number"] >= HARD_POINT)) for a in answers),
        [(topic, topic[1]) for topic in vocabulary if topic not in hidden])
    return ([TopicDifficulty(r.name, len(respondents[r.topic_id]), r.mean, r.hard_share)
             for r in ranked]
            + [TopicDifficulty(name, len(respondents[position, name]), None, None)
               for position, name in vocabulary if (position, name) in hidden])


def indicator_report(municipality, period, *, now=None):
    """The indicators of a municipality for a period, each with the previous period's value."""
    now = now or timezone.now()
    previous = period.previous()
    data = _load(municipality, Period(previous.start, period.end))
    current = _Counter(data, period, zone=municipality.zone, now=now)
    before = _Counter(data, previous, zone=municipality.zone, now=now)
    indicators = []
    for key, count, title, source in INDICATORS:
        numerator, denominator, items = count(current)
        previous_numerator, previous_denominator, _items = count(before)
        note = suppressed_text() if numerator is None and items else ""
        indicators.append(Indicator(key, str(title), numerator, denominator, previous_numerator,
                                    previous_denominator, items, str(source), note))
    return IndicatorReport(
        municipality=municipality.name, department=str(municipality.department_name),
        period=period, previous=previous, indicators=indicators, months=_months(current),
        satisfaction=_satisfaction_by_event(current), topics=_hardest_topics(current),
        built_at=now)
