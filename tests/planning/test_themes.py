"""Difficulties → themes: rankings, coverage, gaps and suggestions against hand-computed values."""

import datetime

import pytest

from config.errors import Forbidden, Invalid
from planning.themes.builder import theme_ranking
from planning.themes.services import accept_theme
from surveys.evaluation.builder import round_evaluation
from tests.planning.conftest import difficulty_round, mentor_on
from tests.surveys.evaluation.data import respond, table


def ranks(ranked):
    return [(r.name, r.n, r.mean) for r in ranked]


def test_overall_ranking_is_by_mean_difficulty(municipality, answered):
    themes = theme_ranking(municipality)
    assert themes.respondents == 17
    assert ranks(themes.overall) == [
        ("Требования ФГОС", 17, 4.0), ("Оценивание результатов", 17, 3.12),
        ("Работа с родителями", 17, 3.0), ("Дисциплина на уроке", 17, 2.76),
        ("Цифровые инструменты", 17, 2.18)]
    # Answers of 4–5: C everyone, A school 1 (6 of 17).
    assert [r.hard_share for r in themes.overall[:2]] == [1.0, 0.3529]


def test_each_school_is_ranked_by_its_own_means_and_small_schools_hidden(municipality,
                                                                          answered):
    themes = theme_ranking(municipality)
    assert [(g.label, g.n) for g in themes.schools] == [("МБОУ СОШ № 1", 6),
                                                         ("МБОУ СОШ № 2", 6)]
    first, second = themes.schools
    assert [r.name for r in first.topics] == [
        "Оценивание результатов", "Требования ФГОС", "Работа с родителями",
        "Дисциплина на уроке", "Цифровые инструменты"]
    # A tie (A and E at 3.0) keeps the vocabulary order.
    assert ranks(second.topics) == [
        ("Дисциплина на уроке", 6, 5.0), ("Требования ФГОС", 6, 4.0),
        ("Оценивание результатов", 6, 3.0), ("Работа с родителями", 6, 3.0),
        ("Цифровые инструменты", 6, 1.0)]
    assert themes.hidden_schools == ["МБОУ СОШ № 3", "МБОУ СОШ № 4"]


def test_experience_groups_are_ranked_by_their_own_means(municipality, answered):
    young, others = theme_ranking(municipality).experience
    # Young (11): school 1 ×3, school 2 ×3, schools 3–4 ×5; others (6): schools 1–2 ×3.
    assert (young.n, others.n) == (11, 6)
    assert ranks(young.topics) == [
        ("Требования ФГОС", 11, 4.0), ("Работа с родителями", 11, 3.0),
        ("Цифровые инструменты", 11, 2.82), ("Оценивание результатов", 11, 2.64),
        ("Дисциплина на уроке", 11, 2.36)]
    assert ranks(others.topics) == [
        ("Оценивание результатов", 6, 4.0), ("Требования ФГОС", 6, 4.0),
        ("Дисциплина на уроке", 6, 3.5), ("Работа с родителями", 6, 3.0),
        ("Цифровые инструменты", 6, 1.0)]


def test_the_themes_and_the_evaluation_form_of_a_round_rank_its_topics_alike(municipality,
                                                                               answered):
    # Two readers of the same difficulty matrix: the themes sum it per topic in the database,
    # the evaluation form counts each answer; the ranking of both is one implementation
    # (surveys.evaluation.figures), and must give the same places, means and shares.
    themes = theme_ranking(municipality, round=answered)
    form = round_evaluation(answered)

    def rows(key):
        return [(row.get("group"), row["rank"], row["topic"], row["count"], row["mean"],
                 row["hard_share"]) for row in table(form, key).rows]

    def ranked(topics, group=None):
        return [(group, place, r.name, r.n, r.mean, r.hard_share)
                for place, r in enumerate(topics, start=1)]

    assert rows("q-difficulty") == ranked(themes.overall)
    assert rows("q-difficulty-experience") == [
        row for g in themes.experience for row in ranked(g.topics, f"{g.label} (n={g.n})")]
    assert rows("q-difficulty-schools") == [
        row for g in themes.schools for row in ranked(g.topics, f"{g.label} (n={g.n})")]
    assert len(themes.schools) == 2 and len(themes.experience) == 2


def test_too_few_respondents_show_no_figure(municipality, topics):
    round, matrix = difficulty_round(municipality, topics)
    for n in range(4):
        respond(round, f"k{n}", {matrix: {topics[0]: 5}})
    themes = theme_ranking(municipality)
    assert themes.suppressed and themes.overall == [] and themes.schools == []
    assert themes.coverage == []


def test_coverage_lists_tracks_events_mentors_and_the_gap(municipality, answered, covered):
    coverage = {c.topic.name: c for c in theme_ranking(municipality).coverage}
    assert list(coverage) == ["Требования ФГОС", "Оценивание результатов",
                              "Работа с родителями"]
    fgos, grading, parents = coverage.values()
    assert [e.title for e in fgos.held] == ["Семинар по ФГОС"]
    assert [e.title for e in fgos.planned] == ["Мастер-класс в треке"]
    assert [(t.track_id, t.title) for t in fgos.tracks] == [
        (covered["track"].pk, "1 трек: «Обновлённые ФГОС»")]
    assert [(m.name.split()[0], m.load, m.capacity) for m in fgos.mentors] == [
        ("Первова", 1, 2)]
    assert grading.events == [] and grading.tracks == []
    # The freest first: Вторых (0 of 3), then Третьяков (1 of 1).
    assert [(m.name.split()[0], m.free) for m in grading.mentors] == [("Вторых", 3),
                                                                       ("Третьяков", 0)]
    assert (parents.events, parents.mentors, parents.is_gap) == ([], [], True)
    assert [c.topic.name for c in theme_ranking(municipality).gaps] == ["Работа с родителями"]


def test_suggestions_are_hard_topics_without_events_by_need(municipality, answered, covered):
    suggestions = theme_ranking(municipality).suggestions
    assert [(c.topic.name, [m.name.split()[0] for m in c.mentors]) for c in suggestions] == [
        ("Оценивание результатов", ["Вторых", "Третьяков"]), ("Работа с родителями", [])]


def test_accepting_a_suggestion_creates_a_draft_track_with_topic_and_mentor(
        municipality, answered, covered, topics, curator):
    program = covered["track"].program
    grading = topics[0]
    mentor = covered["m2"].person
    track = accept_theme(program, grading, mentor=mentor, by=curator,
                         start_date=datetime.date(2027, 2, 1), end_date=datetime.date(2027, 3, 31))
    track.refresh_from_db()
    assert (track.is_draft, track.number, track.theme) == (True, 2, "Оценивание результатов")
    assert list(track.topics.all()) == [grading]
    assert list(track.responsible.all()) == [mentor]
    # Now on a track, the topic is no longer suggested.
    assert [c.topic.name for c in theme_ranking(municipality).suggestions] == [
        "Работа с родителями"]


def test_accepting_refuses_a_mentor_who_cannot_help_with_the_topic(municipality, covered,
                                                                    topics, curator):
    with pytest.raises(Invalid):
        accept_theme(covered["track"].program, topics[4], mentor=covered["m1"].person,
                     by=curator, start_date=datetime.date(2027, 2, 1),
                     end_date=datetime.date(2027, 3, 31))


def test_accepting_in_another_municipality_is_refused(municipality, covered, topics,
                                                       other_curator):
    with pytest.raises(Forbidden):
        accept_theme(covered["track"].program, topics[0], by=other_curator,
                     start_date=datetime.date(2027, 2, 1), end_date=datetime.date(2027, 3, 31))
    assert covered["track"].program.tracks.count() == 1


def test_report_takes_a_fixed_number_of_queries(django_assert_num_queries, municipality,
                                                answered, covered, topics):
    # Closed rounds not summarised yet: read live (tests/planning/test_summaries.py for stored).
    with django_assert_num_queries(10):
        theme_ranking(municipality)
    # Twice the respondents, another school, another mentor: the same queries.
    round, matrix = difficulty_round(municipality, topics, opens=-20)
    for n in range(17):
        respond(round, f"more{n}", {matrix: {t: 4 for t in topics}})
    mentor_on(topics, municipality)
    with django_assert_num_queries(10):
        theme_ranking(municipality)
