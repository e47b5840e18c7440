"""Small groups are suppressed everywhere: a round, a trend, a before/after, every renderer.

One threshold, k = surveys.suppression.MIN_GROUP. A round with fewer respondents shows how many
were invited and answered, and nothing of what they answered: no distribution, no mean, no free
text — on the page, in the JSON, the PDF, the XLSX and the CSV, named rounds included.
"""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from surveys import services
from surveys.evaluation import exports
from surveys.evaluation.builder import prepost_evaluation, round_evaluation, series_evaluation
from surveys.models import Invitation
from surveys.suppression import MIN_GROUP, is_small
from tests.factories import EventFactory, SurveyRoundFactory, TrackFactory, in_days
from tests.pdf_text import needs_pdftotext, pdf_text
from tests.surveys.conftest import full_answers, make_questionnaire, make_round
from tests.surveys.evaluation.data import respond

pytest_plugins = ["tests.surveys.evaluation.fixtures"]

SECRET = "Мой директор не даёт вести кружок"
HIDDEN = "скрыто: меньше 5 ответов"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tiny_round(municipality, form_questions, topics):
    """Three respondents: every figure of theirs would point at one of three people."""
    round = SurveyRoundFactory(municipality=municipality, title="Маленький опрос",
                               questionnaire=form_questions["useful"].questionnaire)
    q = form_questions
    for n in range(3):
        respond(round, f"k{n}", {
            q["useful"]: 1, q["recommend"]: 0, q["format"]: (["другое"], f"{SECRET} {n}"),
            q["improve"]: f"{SECRET} ({n})", q["hours"]: 17,
            q["difficulty"]: {t: 5 for t in topics}})
    return round


def question_tables(form):
    return [t for s in form.sections for t in s.tables if not t.key.endswith("summary")]


def test_the_threshold_is_five_and_zero_is_not_a_group():
    assert MIN_GROUP == 5
    assert [n for n in range(8) if is_small(n)] == [1, 2, 3, 4]


def test_round_of_fewer_than_k_shows_participation_and_no_figure(tiny_round):
    form = round_evaluation(tiny_round)
    summary = next(t for s in form.sections for t in s.tables if t.key == "summary")
    assert [f.key for f in summary.facts] == ["invited", "answered", "response_rate"]
    assert "результаты скрыты" in summary.note
    tables = question_tables(form)
    assert len(tables) == 7  # one per question, by title only
    for table in tables:
        assert (table.rows, table.facts, table.columns) == ([], [], [])
        assert table.note == HIDDEN


def test_round_of_exactly_k_shows_its_figures(municipality, form_questions):
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    for n in range(MIN_GROUP):
        respond(round, f"k{n}", {form_questions["useful"]: 4})
    useful = next(t for t in question_tables(round_evaluation(round)) if t.key == "q-useful")
    assert [row["count"] for row in useful.rows] == [0, 0, 0, 5, 0]


def test_named_round_with_one_answer_shows_nothing_of_it(people):
    questionnaire = make_questionnaire()
    round = make_round(questionnaire, people)
    answers = {**full_answers(questionnaire), "text": SECRET}
    services.save_answers(Invitation.objects.get(round=round, person=people[0]), answers,
                          submit=True)
    form = round_evaluation(round)
    assert all(t.rows == [] and t.facts == [] for t in question_tables(form))
    assert SECRET not in str(form)


# --- every renderer ------------------------------------------------------------------------------

def _assert_hidden(text):
    assert SECRET not in text
    assert HIDDEN in text


def test_api_json_of_a_small_round_is_suppressed(tiny_round, curator):
    response = signed_in(curator).get(f"/api/v1/rounds/{tiny_round.pk}/evaluation")
    assert response.status_code == 200
    _assert_hidden(json.dumps(response.json(), ensure_ascii=False))
    tables = [t for s in response.json()["sections"] for t in s["tables"]]
    assert all(t["rows"] == [] for t in tables if t["key"] != "summary")


def test_page_of_a_small_round_is_suppressed(tiny_round, curator):
    response = signed_in(curator).get(f"/evaluation/round/{tiny_round.pk}/")
    assert response.status_code == 200
    _assert_hidden(response.content.decode())


@needs_pdftotext
def test_pdf_of_a_small_round_is_suppressed(tiny_round, curator, tmp_path):
    response = signed_in(curator).get(f"/api/v1/rounds/{tiny_round.pk}/evaluation.pdf")
    text = pdf_text(response.content, tmp_path)
    _assert_hidden(" ".join(text.split()))


def test_xlsx_of_a_small_round_is_suppressed(tiny_round, curator):
    response = signed_in(curator).get(f"/api/v1/rounds/{tiny_round.pk}/evaluation.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]
    _assert_hidden(" ".join(map(str, cells)))
    assert 17 not in cells


def test_csv_of_a_small_round_is_suppressed(tiny_round, curator):
    response = signed_in(curator).get(f"/api/v1/rounds/{tiny_round.pk}/evaluation.csv")
    _assert_hidden(response.content.decode("utf-8-sig"))


def test_every_renderer_of_a_series_hides_its_small_round(tiny_round):
    form = series_evaluation([tiny_round])
    renders = [exports.to_csv(form).decode("utf-8-sig"), str(form)]
    book = load_workbook(io.BytesIO(exports.to_xlsx(form)))
    renders.append(" ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                            for c in row if c is not None))
    for text in renders:
        _assert_hidden(text)


# --- trends and before/after ---------------------------------------------------------------------

def test_trend_leaves_out_a_round_of_fewer_than_k(municipality, form_questions):
    track = TrackFactory(program__municipality=municipality)
    useful = form_questions["useful"]
    for days, points in ((-20, [3, 3, 3, 3, 3]), (-10, [1]), (-5, [5, 5, 5, 5, 5])):
        event = EventFactory(municipality=municipality, track=track, program=track.program,
                             starts_at=in_days(days), title=f"Событие {days}")
        round = SurveyRoundFactory(municipality=municipality, questionnaire=useful.questionnaire,
                                   event=event, title=f"Оценка {days}")
        for n, point in enumerate(points):
            respond(round, f"k{n}", {useful: point})
    trend = next(t for s in series_evaluation(track).sections for t in s.tables
                 if t.key == "trend-useful")
    assert [(r["round"], r["count"], r["mean"], r["change"]) for r in trend.rows] == [
        ("Оценка -20", 5, 3.0, None), ("Оценка -5", 5, 5.0, 2.0)]
    assert "меньше 5" in trend.note


def test_prepost_hides_a_paired_count_under_k(municipality, form_questions):
    useful = form_questions["useful"]
    before = SurveyRoundFactory(municipality=municipality, questionnaire=useful.questionnaire,
                                opens_at=in_days(-30), closes_at=in_days(-20))
    after = SurveyRoundFactory(municipality=municipality, questionnaire=useful.questionnaire,
                               opens_at=in_days(-10), closes_at=in_days(-1), pair_of=before)
    for round in (before, after):
        for n in range(6):
            # Only two people answered both: pseudonyms p0 and p1 appear in both rounds.
            key = f"p{n}" if n < 2 else f"{round.pk}-{n}"
            respond(round, key, {useful: 3}, pair_key=key)
    form = prepost_evaluation(before, after)
    summary = next(t for s in form.sections for t in s.tables if t.key == "summary")
    assert {f.key: f.value for f in summary.facts}["paired"] == HIDDEN
    row = next(t for s in form.sections for t in s.tables if t.key == "prepost-questions").rows[0]
    assert row["pairs"] == HIDDEN and row["change"] is None
