"""Benchmark: the evaluation form of 2,000 respondents × 40 questions, its PDF, and a naive loop.

`run()` expects Django set up on a fresh test database (the bench runner does that). Its data
lives in one transaction that is rolled back, so other benchmarks see an empty database.
"""

import statistics
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import FloatField, TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants.models import Organisation, Person, Topic
from surveys.evaluation import exports
from surveys.evaluation.builder import round_evaluation
from surveys.models import Answer, Invitation, Question, Questionnaire, Response, Round
from tests.factories import MunicipalityFactory, in_days

RESPONDENTS = 2000
SCHOOLS = 12
TOPICS = 8
# 40 questions: what an event form and a difficulty form ask, together.
KINDS = (["scale5"] * 20 + ["scale10"] * 5 + ["single"] * 4 + ["multiple"] * 4 + ["text"] * 3
         + ["number"] * 2 + ["matrix"] * 2)
CHOICES = ["очно", "дистанционно", "смешанный формат", "самостоятельно"]
RUNS = 3
TARGET_BUILD = 0.5  # seconds
TARGET_PDF = 1.0  # seconds
MEASURED = {"scale5", "scale10", "number", "matrix"}


def _questions(questionnaire, topics):
    questions = Question.objects.bulk_create(
        Question(questionnaire=questionnaire, position=n, code=f"q{n}", kind=kind,
                 text=f"Вопрос {n}: насколько полезным было мероприятие?",
                 choices=CHOICES if kind in ("single", "multiple") else [],
                 allow_other=kind in ("single", "multiple"))
        for n, kind in enumerate(KINDS, start=1))
    Question.topics.through.objects.bulk_create(
        Question.topics.through(question=q, topic=t)
        for q in questions if q.kind == "matrix" for t in topics)
    return questions


def _answer(response, question, n, topics):
    """The answers of respondent n to one question (a matrix: one per topic)."""
    kind, seed = question.kind, n * 7 + question.position * 3
    if kind == "matrix":
        return [Answer(response=response, question=question, topic=topic,
                       number=Decimal((seed + i) % 5 + 1)) for i, topic in enumerate(topics)]
    if kind == "scale5":
        return [Answer(response=response, question=question, number=Decimal(seed % 5 + 1))]
    if kind == "scale10":
        return [Answer(response=response, question=question, number=Decimal(seed % 11))]
    if kind == "number":
        return [Answer(response=response, question=question, number=Decimal(seed % 40) / 2)]
    if kind == "single":
        return [Answer(response=response, question=question, choices=[CHOICES[seed % 4]])]
    if kind == "multiple":
        return [Answer(response=response, question=question,
                       choices=[CHOICES[seed % 4], CHOICES[(seed + 1) % 4]])]
    return [Answer(response=response, question=question,
                   text=f"Ответ {n}: больше практики, разборов уроков и работы в парах")]


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк оценочных листов")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=municipality, name=f"МБОУ СОШ № {n}", short_name=f"СОШ № {n}")
        for n in range(1, SCHOOLS + 1))
    topics = Topic.objects.bulk_create(Topic(name=f"Бенч-тема {n}", position=n)
                                       for n in range(TOPICS))
    people = [Person(municipality=municipality, organisation=schools[n % SCHOOLS],
                     last_name=f"Петрова{n}", first_name="Анна", experience_years=n % 15)
              for n in range(RESPONDENTS)]
    for person in people:
        person.refresh_search_text()
    people = Person.objects.bulk_create(people)
    questionnaire = Questionnaire.objects.create(title="Оценка мероприятия (бенч)",
                                                 purpose="event_satisfaction", is_anonymous=True)
    questions = _questions(questionnaire, topics)
    round = Round.objects.create(municipality=municipality, questionnaire=questionnaire,
                                 title="Оценка семинара (бенч)", audience="hand_picked",
                                 opens_at=in_days(-10), closes_at=in_days(10))
    now = timezone.now()
    Invitation.objects.bulk_create(Invitation(round=round, person=p, answered_at=now)
                                   for p in people)
    responses = Response.objects.bulk_create(
        Response(round=round, respondent_key=f"k{n}", organisation_id=p.organisation_id,
                 is_young_specialist=p.is_young_specialist, submitted_at=now)
        for n, p in enumerate(people))
    answers = [a for n, r in enumerate(responses) for q in questions
               for a in _answer(r, q, n, topics)]
    Answer.objects.bulk_create(answers, batch_size=5000)
    if connection.vendor == "postgresql":
        # A database in use has statistics; without them the planner joins 22,000 answers to
        # 2,000 responses by comparing every pair.
        with connection.cursor() as cursor:
            for model in (Response, Answer, Invitation, Round, Question):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return round, len(answers)


def _naive_means(survey_round):
    """What a first version would write: loop over the answers, asking each for its question."""
    sums, counts = defaultdict(float), defaultdict(int)
    for answer in Answer.objects.filter(response__round=survey_round,
                                        response__submitted_at__isnull=False):
        question = answer.question  # one query per answer
        if question.kind in MEASURED and answer.number is not None:
            key = (question.code, answer.topic_id or 0)
            sums[key] += float(answer.number)
            counts[key] += 1
    return {key: sums[key] / counts[key] for key in sums}


def _built_means(form):
    """The means the evaluation form shows, by (question code, topic) like the naive loop."""
    means = {}
    for section in form.sections:
        for table in section.tables:
            facts = {fact.key: fact.value for fact in table.facts}
            code = table.key.removeprefix("q-")
            if "mean" in facts and "-" not in code:
                means[(code, 0)] = facts["mean"]
    return means


def _rows_alone(survey_round):
    """The least a builder going row by row does: read every answer row once, as plain values
    (numbers cast to float and choices left as JSON text, so no converter runs per row)."""
    return list(Answer.objects.filter(response__round=survey_round,
                                      response__submitted_at__isnull=False)
                .annotate(value=Cast("number", FloatField()), raw=Cast("choices", TextField()))
                .values_list("response_id", "question_id", "topic_id", "value", "raw", "text"))


def _seconds(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _median(action):
    runs = [_seconds(action) for _ in range(RUNS)]
    return statistics.median(seconds for seconds, _result in runs), runs[-1][1]


def _measure():
    started = time.perf_counter()
    round, answers = _seed()
    seeding = time.perf_counter() - started
    with CaptureQueriesContext(connection) as queries:
        round_evaluation(round)
    build, form = _median(lambda: round_evaluation(round))
    rows, _rows = _median(lambda: _rows_alone(round))
    pdf, content = _median(lambda: exports.to_pdf(form))
    naive, naive_means = _seconds(lambda: _naive_means(round))
    built = _built_means(form)
    same = all(abs(naive_means[key] - value) <= 0.005 for key, value in built.items())
    return {"answers": answers, "seeding": seeding, "queries": len(queries), "build": build,
            "rows": rows,
            "pdf": pdf, "pages": content.count(b"/Type /Page\n"), "naive": naive,
            "same": same and len(built) == KINDS.count("scale5") + KINDS.count("scale10")
            + KINDS.count("number")}


def _verdict(seconds, target):
    return "в норме" if seconds <= target else "МЕДЛЕННО"


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    with transaction.atomic():
        result = _measure()
        transaction.set_rollback(True)
    return [
        ("evaluation: respondents × questions", f"{RESPONDENTS} × {len(KINDS)}"),
        ("evaluation: answer rows (a matrix row per topic)", str(result["answers"])),
        ("evaluation: inserting the data with bulk_create (s)", f"{result['seeding']:.1f}"),
        ("evaluation: SQL queries to build the form", str(result["queries"])),
        (f"evaluation: build the form, median of {RUNS} (s, target ≤ {TARGET_BUILD:g})",
         f"{result['build']:.2f} ({_verdict(result['build'], TARGET_BUILD)})"),
        ("evaluation: reading the answer rows alone (the least a row-by-row builder does) (s)",
         f"{result['rows']:.2f}"),
        ("evaluation: ratio build / reading the rows alone (answers are counted by the database)",
         f"{result['build'] / result['rows']:.2f}×"),
        (f"evaluation: its PDF, median of {RUNS} (s, target ≤ {TARGET_PDF:g})",
         f"{result['pdf']:.2f} ({_verdict(result['pdf'], TARGET_PDF)})"),
        ("evaluation: PDF pages", str(result["pages"])),
        ("evaluation: naive per-answer ORM loop, means only (s)", f"{result['naive']:.1f}"),
        ("evaluation: ratio naive loop / built form",
         f"{result['naive'] / result['build']:.0f}×"),
        ("evaluation: naive loop gives the same means", "yes" if result["same"] else "NO"),
    ]
