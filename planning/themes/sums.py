"""The difficulty sums of rounds: per topic, school and experience group, and respondents.

Summed in the database from the answers (live), or read from the sums stored for a closed round
(planning.models.DifficultySummary) when its submitted responses are still those summarised —
a million answers are then a few hundred stored rows. Open rounds, and closed ones not yet (or
no longer) summarised, are read live; the hourly sweep summarises them.
"""

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Sum

from planning.models import DifficultySum, DifficultySummary
from surveys.evaluation.figures import HARD_POINT
from surveys.models import Answer, Question, Response


def matrix_questions(round_ids):
    """The matrix questions of the rounds, and their topics in vocabulary order."""
    rows = set(Question.topics.through.objects
               .filter(question__kind=Question.Kind.MATRIX,
                       question__questionnaire__rounds__in=round_ids)
               .values_list("question_id", "topic_id", "topic__name", "topic__position"))
    topics = sorted({(pk, name, position) for _q, pk, name, position in rows},
                    key=lambda r: (r[2], r[1]))
    return sorted({row[0] for row in rows}), [(pk, name) for pk, name, _position in topics]


def live_sums(round_ids, question_ids):
    """Per topic, school and experience: answers, their sum and how many were 4–5."""
    return list(Answer.objects.filter(
        question_id__in=question_ids, response__round_id__in=round_ids,
        response__submitted_at__isnull=False, topic__isnull=False, number__isnull=False)
        .values("topic_id", school=F("response__organisation_id"),
                young=F("response__is_young_specialist"))
        .annotate(n=Count("id"), total=Sum("number"),
                  hard=Count("id", filter=Q(number__gte=HARD_POINT))).order_by())


def live_sizes(round_ids, question_ids):
    """Respondents (submitted responses with a matrix answer) per school and experience."""
    # The outer query checks the submission: the probe stays one index lookup per response.
    rated = Answer.objects.filter(response_id=OuterRef("pk"), question_id__in=question_ids,
                                  topic__isnull=False, number__isnull=False)
    return list(Response.objects.filter(
        Exists(rated), round_id__in=round_ids, submitted_at__isnull=False)
        .values("organisation_id", "is_young_specialist",
                "organisation__short_name", "organisation__name")
        .annotate(n=Count("id")).order_by())


def fingerprint(round_id):
    """(submitted responses, the last of their ids) of a round: what a summary must still match."""
    found = Response.objects.filter(round_id=round_id, submitted_at__isnull=False).aggregate(
        n=Count("id"), last=Max("id"))
    return found["n"], found["last"]


def fresh_summaries(round_ids):
    """{round id: summary id} of the rounds whose stored sums match their responses (one query)."""
    if not round_ids:
        return {}
    submitted = Response.objects.filter(round_id=OuterRef("round_id"), submitted_at__isnull=False)
    rows = DifficultySummary.objects.filter(round_id__in=round_ids).annotate(
        now_n=Subquery(submitted.values("round_id").annotate(c=Count("id")).values("c"),
                       output_field=IntegerField()),
        now_last=Subquery(submitted.values("round_id").annotate(m=Max("id")).values("m"),
                          output_field=IntegerField()),
    ).values_list("round_id", "pk", "responses", "last_response_id", "now_n", "now_last")
    return {round_id: pk for round_id, pk, n, last, now_n, now_last in rows
            if n == (now_n or 0) and last == now_last}


def stored(summary_ids):
    """The stored sums and sizes of the summaries, in the shapes of live_sums and live_sizes."""
    sums, sizes = [], []
    for row in DifficultySum.objects.filter(summary_id__in=summary_ids).values(
            "topic_id", "organisation_id", "is_young_specialist", "organisation__short_name",
            "organisation__name", "n", "total", "hard"):
        if row["topic_id"] is None:
            sizes.append({key: row[key] for key in (
                "organisation_id", "is_young_specialist", "organisation__short_name",
                "organisation__name", "n")})
        else:
            sums.append({"topic_id": row["topic_id"], "school": row["organisation_id"],
                         "young": row["is_young_specialist"], "n": row["n"],
                         "total": row["total"], "hard": row["hard"]})
    return sums, sizes


def round_sums(rounds, question_ids, *, now):
    """Sums and sizes of the rounds: stored for the closed rounds summarised, live for the rest."""
    closed = [r.pk for r in rounds if r.closes_at <= now]
    summaries = fresh_summaries(closed)
    live = [r.pk for r in rounds if r.pk not in summaries]
    sums, sizes = stored(list(summaries.values())) if summaries else ([], [])
    if live:
        sums += live_sums(live, question_ids)
        sizes += live_sizes(live, question_ids)
    return sums, sizes
