"""Stored difficulty sums of closed rounds: the same rankings as the answers, kept fresh."""

from decimal import Decimal

import pytest
from django_q.models import Schedule

from config.errors import Invalid
from planning.models import DifficultySummary
from planning.schedules import SCHEDULES
from planning.themes import services
from planning.themes.builder import theme_ranking
from surveys.models import Answer, Response
from tests.planning.conftest import difficulty_round, mentor_on
from tests.surveys.evaluation.data import respond


def figures(themes):
    """Everything the rankings show, to compare a stored read with a live one."""
    def ranked(topics):
        return [(r.name, r.n, r.mean, r.hard_share) for r in topics]
    return (themes.respondents, ranked(themes.overall),
            [(g.label, g.n, ranked(g.topics)) for g in themes.schools], themes.hidden_schools,
            [(g.label, g.n, ranked(g.topics)) for g in themes.experience],
            [c.topic.name for c in themes.coverage])


def test_a_summarised_round_ranks_exactly_as_its_answers(municipality, answered):
    live = figures(theme_ranking(municipality))
    services.summarise_round(answered)
    # Were the answers still read, deleting them would change the figures.
    Answer.objects.filter(response__round=answered).delete()
    assert figures(theme_ranking(municipality)) == live
    assert live[0] == 17  # the hand-computed fixture of test_themes.py


def test_a_response_added_after_summarising_is_counted(municipality, answered, topics):
    services.summarise_round(answered)
    # A paper questionnaire typed in after closing: the summary no longer matches.
    respond(answered, "paper-late", {answered.questionnaire.questions.get(): {
        t: 5 for t in topics}})
    themes = theme_ranking(municipality)
    assert themes.respondents == 18
    assert [(r.name, r.n) for r in themes.overall][0] == ("Требования ФГОС", 18)


def test_the_sweep_summarises_closed_rounds_once_and_skips_open_ones(municipality, answered,
                                                                      topics):
    open_round, matrix = difficulty_round(municipality, topics, opens=-1)
    respond(open_round, "now", {matrix: {topics[0]: 3}})
    assert services.summarise_closed_rounds() == 1
    assert list(DifficultySummary.objects.values_list("round_id", flat=True)) == [answered.pk]
    assert services.summarise_closed_rounds() == 0
    Response.objects.filter(round=answered).first().delete()
    assert services.summarise_closed_rounds() == 1
    assert DifficultySummary.objects.get().responses == 16


def test_an_open_round_is_not_summarised(municipality, topics):
    open_round, _matrix = difficulty_round(municipality, topics, opens=-1)
    with pytest.raises(Invalid):
        services.summarise_round(open_round)


def test_stored_report_takes_a_fixed_number_of_queries(django_assert_num_queries,
                                                       municipality, answered, covered, topics):
    services.summarise_closed_rounds()
    with django_assert_num_queries(9):
        theme_ranking(municipality)
    round, matrix = difficulty_round(municipality, topics, opens=-20)
    for n in range(17):
        respond(round, f"more{n}", {matrix: {t: 4 for t in topics}})
    mentor_on(topics, municipality)
    services.summarise_closed_rounds()
    with django_assert_num_queries(9):
        theme_ranking(municipality)


def test_the_hourly_sweep_is_scheduled(db):
    names = set(Schedule.objects.values_list("name", flat=True))
    assert set(SCHEDULES) <= names
    assert Schedule.objects.get(name=next(iter(SCHEDULES))).func == (
        "planning.tasks.summarise_closed_rounds")


def test_summed_totals_keep_their_decimals(municipality, answered):
    summary = services.summarise_round(answered)
    totals = [s.total for s in summary.sums.exclude(topic=None)]
    assert all(isinstance(t, Decimal) for t in totals) and sum(totals) > 0
