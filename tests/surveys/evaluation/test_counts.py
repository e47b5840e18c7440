"""Figures from answers counted in the database (surveys/evaluation/counts.py) against figures
computed by hand: skipped questions and topics, blank answers, a respondent without a school or
an experience group, a text written twice, a draft."""

import pytest

from surveys.evaluation.builder import round_evaluation, series_evaluation
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    SurveyRoundFactory,
    TrackFactory,
    in_days,
)
from tests.surveys.evaluation.data import facts, respond, table

pytest_plugins = ["tests.surveys.evaluation.fixtures"]


@pytest.fixture
def mixed_round(municipality, form_questions, topics):
    """Eight respondents; each leaves out something (see the comments of the tests)."""
    track = TrackFactory(program__municipality=municipality)
    round = SurveyRoundFactory(municipality=municipality, track=track,
                               questionnaire=form_questions["useful"].questionnaire)
    a = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 1")
    b = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 2")
    q = form_questions
    t0, t1, t2 = topics
    for n in range(9):
        InvitationFactory(round=round, answered_at=in_days(-1) if n < 8 else None)
    rows = [
        (a, True, {q["useful"]: 5, q["difficulty"]: {t0: 5, t1: 4},
                   q["improve"]: "Больше практики", q["format"]: ["очно"], q["hours"]: 3}),
        (a, False, {q["useful"]: 4, q["difficulty"]: {t0: 3}, q["improve"]: "Больше практики",
                    q["format"]: (["другое"], "смешанный"), q["hours"]: 3.5}),
        (None, None, {q["useful"]: 4, q["difficulty"]: {t0: 4, t1: 2, t2: 1},
                      q["improve"]: "Меньше теории", q["format"]: ([], "")}),
        (b, True, {q["useful"]: 2, q["improve"]: ""}),
        (b, True, {q["useful"]: 3, q["hours"]: 10}),
        (a, True, {q["difficulty"]: {t0: 2, t1: 2, t2: 2}, q["improve"]: "больше практики"}),
        (a, True, {q["useful"]: 1, q["difficulty"]: {t1: 5}}),
        (a, True, {q["difficulty"]: {t0: 1, t2: 5}}),
    ]
    for n, (school, young, answers) in enumerate(rows):
        respond(round, f"k{n}", answers, organisation=school, young=young)
    respond(round, "draft", {q["useful"]: 5, q["difficulty"]: {t0: 5, t1: 5, t2: 5}},
            organisation=a, young=True, submitted=False)
    return round


def test_scale_counts_only_those_who_answered_it(mixed_round):
    useful = table(round_evaluation(mixed_round), "q-useful")
    # 5, 4, 4, 2, 3, 1: two skipped it, the draft is no answer.
    assert [row["count"] for row in useful.rows] == [1, 1, 1, 2, 1]
    # Mean 19 / 6; median of 1 2 3 4 4 5 is (3 + 4) / 2; 4–5 are three of six.
    assert facts(useful) == {"answered": 6, "mean": 3.17, "median": 3.5, "top_share": 0.5}


def test_number_figures_of_three_answers(mixed_round):
    hours = table(round_evaluation(mixed_round), "q-hours")
    assert facts(hours) == {"answered": 3, "mean": 5.5, "median": 3.5, "min": 3.0, "max": 10.0}


def test_blank_choice_is_no_answer_and_other_text_is_listed(mixed_round):
    form = round_evaluation(mixed_round)
    single = table(form, "q-format")
    assert facts(single) == {"answered": 2}
    assert [(r["option"], r["count"], r["share"]) for r in single.rows] == [
        ("очно", 1, 0.5), ("дистанционно", 0, 0.0), ("другое", 1, 0.5)]
    assert [r["text"] for r in table(form, "q-format-other").rows] == ["смешанный"]


def test_identical_texts_are_counted_once_with_their_number(mixed_round):
    improve = table(round_evaluation(mixed_round), "q-improve")
    # A blank text is no answer; «больше практики» differs from «Больше практики» by a letter.
    assert facts(improve) == {"answered": 4}
    assert improve.rows[0] == {"text": "Больше практики", "count": 2}
    assert sorted(r["text"] for r in improve.rows[1:]) == ["Меньше теории", "больше практики"]


def test_matrix_counts_raters_and_each_topic_apart(mixed_round):
    ranking = table(round_evaluation(mixed_round), "q-difficulty")
    # Six rated at least one topic. «Дисциплина»: 4 2 2 5; «Оценивание»: 5 3 4 2 1;
    # «ФГОС»: 1 2 5 — hardest first, with the share of 4–5.
    assert facts(ranking) == {"answered": 6}
    assert [(r["topic"], r["count"], r["mean"], r["hard_share"]) for r in ranking.rows] == [
        ("Дисциплина на уроке", 4, 3.25, 0.5),
        ("Оценивание результатов", 5, 3.0, 0.4),
        ("Требования ФГОС", 3, 2.67, 0.3333)]


def test_matrix_groups_leave_out_a_respondent_of_no_school_or_experience(mixed_round):
    form = round_evaluation(mixed_round)
    schools = table(form, "q-difficulty-schools")
    # School 1 rated: 5 4 | 3 | 2 2 2 | 5 (Дисциплина) | 1 5; the one without a school is only
    # in the overall figures, school 2 rated nothing.
    assert [(r["group"], r["topic"], r["count"], r["mean"], r["hard_share"])
            for r in schools.rows] == [
        ("МБОУ СОШ № 1 (n=5)", "Дисциплина на уроке", 3, 3.67, 0.6667),
        ("МБОУ СОШ № 1 (n=5)", "Требования ФГОС", 2, 3.5, 0.5),
        ("МБОУ СОШ № 1 (n=5)", "Оценивание результатов", 4, 2.75, 0.25)]
    experience = table(form, "q-difficulty-experience")
    # Four young and one other rated; both groups are too small.
    assert experience.rows == []
    assert experience.note == ("Молодые специалисты, Остальные педагоги: "
                               "скрыто: меньше 5 ответов")


def test_series_trend_takes_the_same_counts(mixed_round, topics):
    form = series_evaluation(mixed_round.track)
    useful = table(form, "trend-useful")
    assert [(r["count"], r["mean"]) for r in useful.rows] == [(6, 3.17)]
    discipline = table(form, f"trend-difficulty-t{topics[1].pk}")
    assert [(r["count"], r["mean"]) for r in discipline.rows] == [(4, 3.25)]
    assert facts(table(form, f"r{mixed_round.pk}-summary")) == {
        "invited": 9, "answered": 8, "response_rate": 0.8889}
