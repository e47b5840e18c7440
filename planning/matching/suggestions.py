"""Mentor suggestions for mentees: who can help with what each mentee finds hard.

Read side, built from a few `values()` queries and scored as matrices (numpy), so that thousands
of mentees against hundreds of mentors take well under the two seconds of the bench.

A mentee's difficulties are the topics of the mentee base («затруднения») and the topics they
themselves rated hard (4–5 of 5 on average) in a *named* difficulty round; anonymous rounds are
never read here, so nothing said anonymously can be traced back to a person's suggestions.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Avg, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Invalid, NotFound
from participants.models import (
    GroupMembership,
    MenteeRecord,
    MentorProfile,
    Organisation,
    Person,
    Topic,
)
from surveys.models import Answer, Questionnaire, Round

HARD = 4  # «скорее трудно» and «очень трудно» on the 1–5 scale
# Weights of the score (0–1): what the mentor covers of the mentee's difficulties counts most.
COVERAGE_WEIGHT, SCHOOL_WEIGHT, FREE_WEIGHT = 0.6, 0.25, 0.15
NETWORK, SAME_SCHOOL, ANY_SCHOOL = "network", "same", "any"
PREFERENCES = (NETWORK, SAME_SCHOOL, ANY_SCHOOL)


@dataclass
class Suggestion:
    mentor_id: int
    mentor_name: str
    mentor_school: str
    score: float
    topics: list
    load: int
    capacity: int
    reason: str


@dataclass
class MenteeSuggestions:
    mentee_id: int
    mentee_name: str
    mentee_school: str
    difficulties: list
    suggestions: list = field(default_factory=list)


def active_memberships(today=None):
    today = today or timezone.localdate()
    return GroupMembership.objects.filter(
        Q(group__end_date__isnull=True) | Q(group__end_date__gte=today))


def mentor_loads(municipality_id, today=None):
    """{mentor person id: mentees in their current pairs and groups}."""
    rows = (active_memberships(today).filter(group__municipality_id=municipality_id)
            .values_list("group__mentor_id", flat=True))
    return pd.Series(list(rows), dtype="int64").value_counts().to_dict()


def _mentees(municipality_id, today):
    """People needing a mentor: the mentee base and young specialists, without a current pair."""
    taken = active_memberships(today).values("mentee_id")
    people = (Person.objects.filter(municipality_id=municipality_id, is_anonymised=False)
              .filter(Q(mentee_record__is_active=True) | Q(experience_years__lt=3))
              .exclude(pk__in=taken)
              .values("pk", "last_name", "first_name", "patronymic", "organisation_id"))
    return pd.DataFrame(list(people), columns=["pk", "last_name", "first_name", "patronymic",
                                               "organisation_id"])


def _mentors(municipality_id):
    rows = (MentorProfile.objects.filter(is_active=True, person__municipality_id=municipality_id,
                                         person__is_anonymised=False)
            .values("pk", "person_id", "capacity", "person__last_name", "person__first_name",
                    "person__patronymic", "person__organisation_id"))
    return pd.DataFrame(list(rows), columns=["pk", "person_id", "capacity", "person__last_name",
                                             "person__first_name", "person__patronymic",
                                             "person__organisation_id"])


def named_difficulty_rounds(municipality_id):
    """The named difficulty rounds whose answers suggestions may read, newest first."""
    return Round.objects.filter(
        municipality_id=municipality_id,
        questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY,
        questionnaire__is_anonymous=False).order_by("-opens_at", "-pk")


def period_of(municipality_id, *, start=None, end=None, round_id=None):
    """The checked period of suggestions: a round of another municipality (or an anonymous or
    not a difficulty round) is not found; an end before the start is refused."""
    if start is not None and end is not None and end < start:
        raise Invalid(_("Конец периода раньше начала."), code="period_reversed",
                      details={"fields": {"end": [_("Конец периода раньше начала.")]}})
    if round_id is not None and not named_difficulty_rounds(municipality_id).filter(
            pk=round_id).exists():
        raise NotFound(_("Именной опрос о трудностях не найден."))
    return {"start": start, "end": end, "round_id": round_id}


def _in_period(start, end, round_id):
    """Rounds to read answers of: the one chosen, or those opened in the period (any bound)."""
    if round_id is not None:
        return Q(response__round_id=round_id)
    period = Q()
    if start is not None:
        period &= Q(response__round__opens_at__date__gte=start)
    if end is not None:
        period &= Q(response__round__opens_at__date__lte=end)
    return period


def _difficulty_pairs(municipality_id, *, start=None, end=None, round_id=None):
    """(person id, topic id) of every mentee difficulty: declared, or rated hard by name in the
    rounds of the period (or the one round chosen; all rounds when neither is given)."""
    declared = MenteeRecord.difficulty_topics.through.objects.filter(
        menteerecord__person__municipality_id=municipality_id, menteerecord__is_active=True,
    ).values_list("menteerecord__person_id", "topic_id")
    # Averaged in the database: only the (person, topic) pairs rated hard come back.
    hard = Answer.objects.filter(
        _in_period(start, end, round_id),
        response__round__municipality_id=municipality_id,
        response__round__questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY,
        response__round__questionnaire__is_anonymous=False,
        response__person__isnull=False, response__submitted_at__isnull=False,
        topic__isnull=False, number__isnull=False,
    ).values("response__person_id", "topic_id").annotate(mean=Avg("number")).filter(
        mean__gte=HARD).values_list("response__person_id", "topic_id")
    hard = pd.DataFrame(list(hard), columns=["person", "topic"])
    pairs = pd.concat([pd.DataFrame(list(declared), columns=["person", "topic"]), hard])
    return pairs.drop_duplicates()


def _expertise_pairs(municipality_id):
    return pd.DataFrame(list(MentorProfile.topics.through.objects.filter(
        mentorprofile__person__municipality_id=municipality_id,
    ).values_list("mentorprofile_id", "topic_id")), columns=["profile", "topic"])


def _matrix(pairs, owner, rows, topic_index):
    """A 0/1 matrix: rows in the order of `rows`, columns of topics."""
    out = np.zeros((len(rows), len(topic_index)), dtype=np.float32)
    row_index = pd.Index(rows)
    r = row_index.get_indexer(pairs[owner])
    c = topic_index.get_indexer(pairs["topic"])
    keep = (r >= 0) & (c >= 0)
    out[r[keep], c[keep]] = 1
    return out


def name_of(last, first, patronymic):
    return " ".join(part for part in (last, first, patronymic) if part)


def topic_phrase(name):
    """A topic inside a sentence: lower-case first letter unless it starts an abbreviation."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _words():
    """The fixed words of reasons, translated once per build (thousands of reasons use them)."""
    return {"few": _("места"), "many": _("мест"),
            "places": _("%(load)s из %(capacity)s %(word)s занято"),
            "can_help": _("может помочь: %(topics)s"), "unknown": _("затруднения не известны"),
            "same": _("та же школа"), "other": _("другая школа")}


def places_phrase(load, capacity, words=None):
    """«1 из 3 мест занято», «0 из 1 места занято», «21 из 21 места занято»."""
    words = words or _words()
    word = words["few"] if capacity % 10 == 1 and capacity % 100 != 11 else words["many"]
    return words["places"] % {"load": load, "capacity": capacity, "word": word}


def reason_text(topic_names, *, same_school, load, capacity, words=None):
    """Why this mentor: what they can help with, which school, how busy they are."""
    words = words or _words()
    if topic_names:
        parts = [words["can_help"] % {"topics": ", ".join(topic_phrase(n) for n in topic_names)}]
    else:
        parts = [words["unknown"]]
    if same_school is not None:
        parts.append(words["same"] if same_school else words["other"])
    parts.append(places_phrase(load, capacity, words))
    return "; ".join(parts)


def score_matrix(difficulties, expertise, *, mentee_orgs, mentor_orgs, load, capacity,
                 preference):
    """Scores (mentees × mentors, 0–1, NaN where no suggestion) and the overlap counts.

    A mentor with no free place, or who covers none of a mentee's known difficulties, is not
    suggested; a mentee whose difficulties are unknown gets mentors by school and free places.
    """
    overlap = difficulties @ expertise.T
    wanted = difficulties.sum(axis=1, keepdims=True)
    coverage = np.divide(overlap, wanted, out=np.zeros_like(overlap), where=wanted > 0)
    known = (mentee_orgs[:, None] >= 0) & (mentor_orgs[None, :] >= 0)
    same = mentee_orgs[:, None] == mentor_orgs[None, :]
    if preference == NETWORK:
        school = (known & ~same).astype(np.float32)
    elif preference == SAME_SCHOOL:
        school = (known & same).astype(np.float32)
    else:
        school = np.zeros(overlap.shape, dtype=np.float32)
    free = np.clip((capacity - load) / np.maximum(capacity, 1), 0, 1).astype(np.float32)
    score = COVERAGE_WEIGHT * coverage + SCHOOL_WEIGHT * school + FREE_WEIGHT * free[None, :]
    allowed = (free[None, :] > 0) & ((overlap > 0) | (wanted == 0))
    return np.where(allowed, score, np.nan), overlap


def mentor_suggestions(municipality_id, *, preference=NETWORK, limit=3, today=None,
                       start=None, end=None, round_id=None):
    """For each mentee without a mentor, the best `limit` mentors, best first, with reasons.

    Answers count from the difficulty rounds opened between `start` and `end` (either may be
    open), or from the one round `round_id`; with none of them, from every named round.
    """
    today = today or timezone.localdate()
    mentees = _mentees(municipality_id, today)
    mentors = _mentors(municipality_id)
    topics = dict(Topic.objects.values_list("pk", "name"))  # in the vocabulary's order
    schools = _school_names(municipality_id)
    if mentees.empty:
        return []
    topic_index = pd.Index(list(topics))
    difficulties = _matrix(_difficulty_pairs(municipality_id, start=start, end=end,
                                             round_id=round_id), "person", mentees["pk"],
                           topic_index)
    expertise = _matrix(_expertise_pairs(municipality_id), "profile", mentors["pk"],
                        topic_index)
    loads = mentor_loads(municipality_id, today)
    load = mentors["person_id"].map(loads).fillna(0).to_numpy(dtype=np.float32)
    capacity = mentors["capacity"].to_numpy(dtype=np.float32)
    mentee_orgs = mentees["organisation_id"].fillna(-1).to_numpy(dtype=np.int64)
    mentor_orgs = mentors["person__organisation_id"].fillna(-1).to_numpy(dtype=np.int64)
    scores, _overlap = score_matrix(difficulties, expertise, mentee_orgs=mentee_orgs,
                                    mentor_orgs=mentor_orgs, load=load, capacity=capacity,
                                    preference=preference)
    # Self-suggestion: a person both in the mentee base and in the registry.
    scores[mentees["pk"].to_numpy()[:, None] == mentors["person_id"].to_numpy()[None, :]] = np.nan
    best = _top(scores, limit)
    words = _words()
    mentor_rows = [
        (int(person_id), name_of(last, first, patronymic),
         schools.get(None if pd.isna(org) else int(org), ""))
        for person_id, last, first, patronymic, org in mentors[
            ["person_id", "person__last_name", "person__first_name", "person__patronymic",
             "person__organisation_id"]].itertuples(index=False)]
    topic_names = [topics[pk] for pk in topic_index]
    result = []
    for i, row in enumerate(mentees.itertuples(index=False)):
        wanted = np.flatnonzero(difficulties[i])
        item = MenteeSuggestions(
            row.pk, name_of(row.last_name, row.first_name, row.patronymic),
            schools.get(row.organisation_id, ""), [topic_names[t] for t in wanted])
        for j in best[i]:
            names = [topic_names[t] for t in np.flatnonzero(difficulties[i] * expertise[j])]
            same = _same(mentee_orgs[i], mentor_orgs[j])
            item.suggestions.append(Suggestion(
                *mentor_rows[j], round(float(scores[i, j]), 3), names, int(load[j]),
                int(capacity[j]), reason_text(names, same_school=same, load=int(load[j]),
                                              capacity=int(capacity[j]), words=words)))
        result.append(item)
    result.sort(key=lambda item: item.mentee_name)
    return result


def _top(scores, limit):
    """Per row, the columns of the `limit` best scores, best first (ties: lower column first)."""
    if scores.shape[1] == 0:
        return [[] for _row in range(scores.shape[0])]
    filled = np.nan_to_num(scores, nan=-1.0)
    k = min(limit, scores.shape[1])
    part = np.argpartition(-filled, k - 1, axis=1)[:, :k]
    rows = []
    for i, columns in enumerate(part):
        columns = sorted(columns, key=lambda j: (-filled[i, j], j))
        rows.append([j for j in columns if filled[i, j] >= 0])
    return rows


def _same(mentee_org, mentor_org):
    return None if mentee_org < 0 or mentor_org < 0 else bool(mentee_org == mentor_org)


def _school_names(municipality_id):
    return {pk: short or name for pk, short, name in Organisation.objects.filter(
        municipality_id=municipality_id).values_list("pk", "short_name", "name")}
