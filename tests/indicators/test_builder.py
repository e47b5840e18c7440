"""Every indicator's numerator and denominator, this period and the one before, by hand."""

import datetime

import pytest

from indicators.builder import Period, indicator_report
from indicators.models import StaffCount
from surveys.suppression import suppressed_text
from tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SurveyResponseFactory,
    SurveyRoundFactory,
    TopicFactory,
)
from tests.indicators.conftest import (
    NOW,
    PERIOD,
    answer_round,
    local,
    make_event,
    satisfaction_questions,
)

# key: (numerator, denominator, previous numerator, previous denominator), see conftest.
EXPECTED = {
    "schools_adopted": (2, 4, 1, 4),        # A, B of A–D; before: A (C adopts in May)
    "teachers_in_registry": (2, 7, 1, 7),   # a1, b1 (since Feb); before: a1; c1 inactive
    "teachers_in_groups": (5, 7, 4, 7),     # a1 a2 b1 b2 d1; before: a1 a2 c1 d2
    "young_supported": (2, 2, 1, 2),        # a2, b2 of a2, b2; before: a2
    "schools_in_network": (2, 4, 2, 4),     # B+D; before: C+D (a pair within A is no network)
    "schools_presented": (1, 4, 1, 4),      # A (twice); before: C; D in April is outside
    "events_held": (2, 3, 1, 1),            # e1, e2 of e1–e3 (e3 cancelled); before: e5
    "attendance": (4, 6, 1, 2),             # e1 3 of 4, e2 1 of 2; before: e5 1 of 2
    "satisfaction": (11, 17, 0, 0),         # e1 9 of 12 answers ≥ 4, e2 2 of 5
}


@pytest.fixture
def report(world, elsewhere, municipality):
    return indicator_report(municipality, PERIOD, now=NOW)


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    previous = PERIOD.previous()
    assert previous == Period(datetime.date(2025, 10, 3), datetime.date(2025, 12, 31))
    assert previous.days == PERIOD.days == 90


@pytest.mark.parametrize("key", EXPECTED)
def test_each_indicator_counts_the_hand_computed_figures(report, key):
    indicator = report.indicator(key)
    figures = (indicator.numerator, indicator.denominator, indicator.previous_numerator,
               indicator.previous_denominator)
    assert figures == EXPECTED[key]


def test_share_and_change_in_percentage_points(report):
    adopted = report.indicator("schools_adopted")
    assert adopted.share == 0.5 and adopted.previous_share == 0.25
    assert adopted.change == 25.0
    assert report.indicator("satisfaction").change is None  # nothing to compare with


def test_the_list_behind_a_numerator_names_what_was_counted(report):
    names = [item.name for item in report.indicator("teachers_in_groups").items]
    assert names == ["Аксёнова Мария Петровна", "Белова Мария Петровна",
                     "Васильева Мария Петровна", "Громова Мария Петровна",
                     "Егорова Мария Петровна"]
    network = {i.name: i.detail for i in report.indicator("schools_in_network").items}
    assert network == {"МБОУ СОШ B": "вместе с: МБОУ СОШ D",
                       "МБОУ СОШ D": "вместе с: МБОУ СОШ B"}
    [presented] = report.indicator("schools_presented").items
    assert presented.name == "МБОУ СОШ A"
    assert "региональный, 01.03.2026" in presented.detail
    assert "школьный, 20.01.2026" in presented.detail


def test_attendance_by_month_and_satisfaction_by_event(report):
    assert [(m.label, m.registered, m.attended) for m in report.months] == [
        ("01.2026", 4, 3), ("02.2026", 2, 1)]
    assert [(s.respondents, round(s.share, 4)) for s in report.satisfaction] == [
        (6, round(9 / 12, 4)), (5, 0.4)]


def test_satisfaction_of_a_small_event_is_hidden_with_the_next_smallest(municipality, world):
    questions = satisfaction_questions()
    small = make_event(municipality, "Малый семинар", local(municipality, 2026, 3, 20, 10))
    answer_round(municipality, small, questions, [(5, 5), (5, 5)])
    report = indicator_report(municipality, PERIOD, now=NOW)
    shares = {s.title: s.share for s in report.satisfaction}
    # 2 respondents hidden, then e2 (5) as well, so that e2+small cannot be read off the total.
    assert shares["Малый семинар"] is None
    assert shares["Мастер-класс «Рабочая программа»"] is None
    assert shares["Семинар «Современный урок»"] == 9 / 12
    details = {i.name: i.detail for i in report.indicator("satisfaction").items}
    assert suppressed_text() in details["Малый семинар"]
    assert report.indicator("satisfaction").numerator == 15  # the total stays: 8 + 5 ≥ k


def test_satisfaction_of_fewer_than_five_respondents_in_all_is_not_shown(municipality):
    questions = satisfaction_questions()
    event = make_event(municipality, "Семинар", local(municipality, 2026, 2, 2, 10))
    answer_round(municipality, event, questions, [(5, 5), (4, 4), (1, 1)])
    satisfaction = indicator_report(municipality, PERIOD, now=NOW).indicator("satisfaction")
    assert satisfaction.numerator is None and satisfaction.denominator is None
    assert satisfaction.share is None and satisfaction.note == suppressed_text()


def test_an_event_not_yet_over_is_not_held(municipality, world):
    report = indicator_report(municipality, PERIOD, now=local(municipality, 2026, 2, 1, 0))
    held = report.indicator("events_held")
    assert (held.numerator, held.denominator) == (1, 3)
    assert report.indicator("attendance").denominator == 4


def test_another_municipality_counts_only_its_own(other_municipality, world, elsewhere):
    report = indicator_report(other_municipality, PERIOD, now=NOW)
    assert report.indicator("schools_adopted").denominator == 4
    assert report.indicator("teachers_in_groups").denominator == 7


def test_teacher_denominators_use_the_staff_counts_the_curator_entered(municipality, world):
    schools = world.schools
    # A declares 10 teachers, 3 young; B's count is stale (1 < 2 known, 0 < 1 young known).
    StaffCount.objects.create(organisation=schools["A"], teachers=10, young_teachers=3,
                              counted_on=datetime.date(2025, 9, 1))
    StaffCount.objects.create(organisation=schools["B"], teachers=1, young_teachers=0,
                              counted_on=datetime.date(2025, 9, 1))
    report = indicator_report(municipality, PERIOD, now=NOW)
    # 10 (A) + 2 known (B) + 1 (C) + 2 (D); young: 3 (A) + 1 known (B)
    assert report.indicator("teachers_in_registry").denominator == 15
    assert report.indicator("teachers_in_groups").denominator == 15
    assert report.indicator("young_supported").denominator == 4
    assert report.indicator("young_supported").numerator == 2


def test_hardest_topics_rank_the_period_answers_and_hide_small_topics(report):
    topics = [(t.topic, t.respondents, t.mean, t.hard_share) for t in report.topics]
    assert topics == [("Оценивание", 6, round(23 / 6, 2), round(4 / 6, 4)),
                      ("Дисциплина", 6, 2.0, 0.0),  # December's 5 and the draft's 5 left out
                      ("Документация", 3, None, None)]


def test_hidden_topics_do_not_show_their_order_of_difficulty(municipality):
    # Two topics too small to show, the first of the vocabulary easy and the second hard: they
    # come in the vocabulary's order, not hardest first, which would tell the hidden means.
    easy, hard = TopicFactory(name="Аа", position=1), TopicFactory(name="Бб", position=2)
    matrix = QuestionFactory(questionnaire=QuestionnaireFactory(purpose="difficulty"),
                             kind="matrix", topics=[easy, hard])
    survey = SurveyRoundFactory(municipality=municipality, questionnaire=matrix.questionnaire)
    for _ in range(2):
        response = SurveyResponseFactory(round=survey,
                                         submitted_at=local(municipality, 2026, 2, 10, 12))
        response.answers.create(question=matrix, topic=easy, number=1)
        response.answers.create(question=matrix, topic=hard, number=5)

    topics = indicator_report(municipality, PERIOD, now=NOW).topics

    assert [(t.topic, t.respondents, t.mean) for t in topics] == [("Аа", 2, None),
                                                                   ("Бб", 2, None)]


def test_hardest_topics_of_another_municipality_do_not_count(other_municipality, world):
    assert indicator_report(other_municipality, PERIOD, now=NOW).topics == []
