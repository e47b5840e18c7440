"""Difficulties → themes: the hard topics of a period and what covers them.

Read side. The difficulty matrices (topic × 1–5) of a municipality's difficulty rounds, summed
per topic, school and experience group (planning/themes/sums.py: in the database, or stored for
closed rounds) — a fixed handful of queries whatever the number of answers — then ranked as
the evaluation form ranks a matrix (surveys/evaluation/figures.py): overall, per school and per
experience group, each list by its own mean. Groups under the
threshold of surveys/suppression.py are hidden (with enough others to protect them), and so is
everything when the respondents as a whole are too few.

Coverage: per hard topic, the tracks and events on it (an event's own topics or its track's),
the active mentors of the registry who can help with it, with their load against their capacity;
the gap is the hard topics with none of these. Suggestions are the hard topics with no track and
no event, hardest first, each with the mentors who could lead it, the freest first.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Track
from participants.models import GroupMembership, MentorProfile
from planning.themes.sums import matrix_questions, round_sums
from surveys.evaluation.figures import (
    Ranked,
    experience_key,
    experience_labels,
    group_rankings,
    natural_key,
    rank_topics,
)
from surveys.models import Questionnaire, Round
from surveys.suppression import is_small

# A topic is hard when its mean difficulty is at least «средне» (3 on the 1–5 scale).
HARD_MEAN = 3.0
DEFAULT_PERIOD = datetime.timedelta(days=365)


@dataclass
class Group:
    key: str
    label: str
    n: int
    topics: list[Ranked]


@dataclass
class Mentor:
    person_id: int
    name: str
    school: str
    load: int
    capacity: int

    @property
    def free(self):
        return max(self.capacity - self.load, 0)


@dataclass
class Covered:
    event_id: int
    title: str
    starts_at: datetime.datetime
    held: bool


@dataclass
class TrackOn:
    track_id: int
    program_id: int
    title: str
    is_draft: bool


@dataclass
class Coverage:
    topic: Ranked
    tracks: list[TrackOn] = field(default_factory=list)
    events: list[Covered] = field(default_factory=list)
    mentors: list[Mentor] = field(default_factory=list)

    @property
    def held(self):
        return [e for e in self.events if e.held]

    @property
    def planned(self):
        return [e for e in self.events if not e.held]

    @property
    def has_events(self):
        return bool(self.tracks or self.events)

    @property
    def is_gap(self):
        return not self.has_events and not self.mentors


@dataclass
class Themes:
    municipality: object
    start: datetime.date
    end: datetime.date
    rounds: list
    respondents: int
    suppressed: bool
    overall: list[Ranked]
    schools: list[Group]
    hidden_schools: list[str]
    experience: list[Group]
    hidden_experience: list[str]
    coverage: list[Coverage]

    @property
    def gaps(self):
        return [c for c in self.coverage if c.is_gap]

    @property
    def suggestions(self):
        """Hard topics with no track and no event, by need: hardest, then most answers."""
        open_topics = [c for c in self.coverage if not c.has_events]
        return sorted(open_topics, key=lambda c: (-(c.topic.mean or 0), -c.topic.n,
                                                  c.topic.name))


def difficulty_rounds(municipality, *, start, end, round=None):
    """The difficulty rounds of a municipality opened in the period, or the one given."""
    if round is not None:
        return [round]
    return list(Round.objects.filter(
        municipality=municipality, questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY,
        opens_at__date__gte=start, opens_at__date__lte=end).order_by("opens_at", "pk"))


def _rank(sums, topics):
    """The topics ranked by the sums' means (rows of planning.themes.sums)."""
    return rank_topics(((row["topic_id"], row["n"], row["total"], row["hard"]) for row in sums),
                       topics)


def _groups(sums, sizes, topics, key_of, labels):
    """Shown groups ranked by their own means, and the labels of the hidden ones; `key_of`
    gives a group of (school, young specialist or not)."""
    counts = Counter()
    for row in sizes:
        key = key_of(row["organisation_id"], row["is_young_specialist"])
        if key is not None:
            counts[key] += row["n"]
    by_group = {}
    for row in sums:
        by_group.setdefault(key_of(row["school"], row["young"]), []).append(row)
    shown, hidden = group_rankings(by_group, dict(counts), topics, labels, rank=_rank)
    return ([Group(g, labels[g], n, ranked) for g, n, ranked in shown],
            [labels[g] for g in hidden])


def _school_key(school, _young):
    return school


def _experience_key(_school, young):
    return experience_key(young)


def theme_ranking(municipality, *, start=None, end=None, round=None):
    """The ranked topics of the period (or of one difficulty round) and their coverage."""
    today = timezone.localdate()
    end = end or today
    start = start or end - DEFAULT_PERIOD
    if round is not None:
        start = min(start, timezone.localdate(round.opens_at))
    rounds = difficulty_rounds(municipality, start=start, end=end, round=round)
    round_ids = [r.pk for r in rounds]
    question_ids, topics = matrix_questions(round_ids)
    sums, sizes = round_sums(rounds, question_ids, now=timezone.now())
    respondents = sum(row["n"] for row in sizes)
    schools = {row["organisation_id"]: row["organisation__short_name"] or row["organisation__name"]
               for row in sizes if row["organisation_id"] is not None}
    school_labels = dict(sorted(schools.items(), key=lambda kv: natural_key(kv[1])))
    suppressed = is_small(respondents)
    if suppressed:
        overall, by_school, hidden_s, by_exp, hidden_e = [], [], [], [], []
    else:
        overall = _rank(sums, topics)
        by_school, hidden_s = _groups(sums, sizes, topics, _school_key, school_labels)
        by_exp, hidden_e = _groups(sums, sizes, topics, _experience_key, experience_labels())
    hard = [r for r in overall if r.mean is not None and r.mean >= HARD_MEAN]
    return Themes(municipality, start, end, rounds, respondents, suppressed, overall,
                  by_school, hidden_s, by_exp, hidden_e,
                  coverage_of(municipality, hard, since=start))


def _mentors(municipality, topic_ids):
    rows = list(MentorProfile.topics.through.objects.filter(
        topic_id__in=topic_ids, mentorprofile__is_active=True,
        mentorprofile__person__municipality=municipality,
        mentorprofile__person__is_anonymised=False).values_list(
        "topic_id", "mentorprofile__person_id", "mentorprofile__person__last_name",
        "mentorprofile__person__first_name", "mentorprofile__person__patronymic",
        "mentorprofile__person__organisation__short_name", "mentorprofile__capacity"))
    today = timezone.localdate()
    loads = dict(GroupMembership.objects.filter(
        group__mentor_id__in={row[1] for row in rows})
        .filter(Q(group__end_date__isnull=True) | Q(group__end_date__gte=today))
        .values("group__mentor_id").annotate(n=Count("id")).values_list("group__mentor_id", "n")
        .order_by())
    by_topic = {}
    for topic_id, person_id, last, first, patronymic, school, capacity in rows:
        name = " ".join(p for p in (last, first, patronymic) if p)
        by_topic.setdefault(topic_id, []).append(
            Mentor(person_id, name, school or "", loads.get(person_id, 0), capacity))
    for mentors in by_topic.values():
        mentors.sort(key=lambda m: (-m.free, m.name))
    return by_topic


def _events(municipality, topic_ids, since):
    events = Event.objects.filter(municipality=municipality, starts_at__date__gte=since).exclude(
        status=Event.Status.CANCELLED)
    now = timezone.now()
    by_topic = {}
    for path in ("topics", "track__topics"):
        for topic_id, pk, title, starts_at in events.filter(**{f"{path}__in": topic_ids}) \
                .values_list(path, "pk", "title", "starts_at").order_by("starts_at", "pk"):
            found = by_topic.setdefault(topic_id, {})
            found.setdefault(pk, Covered(pk, title, starts_at, starts_at < now))
    return {topic_id: sorted(found.values(), key=lambda e: (e.starts_at, e.event_id))
            for topic_id, found in by_topic.items()}


def _tracks(municipality, topic_ids, since):
    by_topic = {}
    for topic_id, pk, program_id, number, theme, draft in Track.topics.through.objects.filter(
            topic_id__in=topic_ids, track__program__municipality=municipality,
            track__end_date__gte=since).values_list(
            "topic_id", "track_id", "track__program_id", "track__number", "track__theme",
            "track__is_draft").order_by("track__start_date", "track_id"):
        by_topic.setdefault(topic_id, []).append(
            TrackOn(pk, program_id, _("%(number)s трек: «%(theme)s»") % {
                "number": number, "theme": theme}, draft))
    return by_topic


def coverage_of(municipality, hard, *, since):
    """For each hard topic: tracks and events on it since the date, and mentors who can help."""
    topic_ids = [r.topic_id for r in hard]
    mentors = _mentors(municipality, topic_ids)
    events = _events(municipality, topic_ids, since)
    tracks = _tracks(municipality, topic_ids, since)
    return [Coverage(r, tracks.get(r.topic_id, []), events.get(r.topic_id, []),
                     mentors.get(r.topic_id, [])) for r in hard]
