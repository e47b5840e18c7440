"""Evaluation forms: figures against hand-computed values, suppression, anonymity, query counts."""

import dataclasses
import datetime
import json

import pytest

from config.errors import Invalid
from surveys.evaluation.builder import (
    MIN_GROUP,
    prepost_evaluation,
    round_evaluation,
    series_evaluation,
)
from surveys.evaluation.figures import hidden_groups
from tests.factories import (
    EventFactory,
    InvitationFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SurveyRoundFactory,
    TrackFactory,
    in_days,
)
from tests.surveys.evaluation.data import facts, respond, round_with, table

# The hand-written survey data (topics, form_questions, small_round, prepost_rounds).
pytest_plugins = ["tests.surveys.evaluation.fixtures"]


def column(table, key):
    return [row[key] for row in table.rows]


# --- a round against hand-computed figures ------------------------------------------------------

def test_round_participation_counts_invited_answered_and_rate(small_round):
    form = round_evaluation(small_round)
    assert facts(table(form, "summary")) == {"invited": 10, "answered": 7,
                                             "response_rate": 0.7}


def test_scale5_distribution_mean_median_and_top_two_box(small_round):
    useful = table(round_evaluation(small_round), "q-useful")
    assert column(useful, "count") == [0, 1, 1, 3, 2]
    assert column(useful, "share") == [0.0, 0.1429, 0.1429, 0.4286, 0.2857]
    assert facts(useful) == {"answered": 7, "mean": 3.86, "median": 4.0, "top_share": 0.7143}
    assert useful.rows[4]["option"] == "5 — отлично"


def test_scale10_top_box_and_nps_are_promoters_minus_detractors(small_round):
    recommend = table(round_evaluation(small_round), "q-recommend")
    assert len(recommend.rows) == 11
    assert column(recommend, "count") == [1, 0, 0, 0, 0, 0, 1, 1, 1, 2, 1]
    # 3 of 7 gave 9–10, 2 of 7 gave 0–6: NPS = (3 − 2) / 7 = 14.3 points.
    assert facts(recommend) == {"answered": 7, "mean": 7.0, "median": 8.0,
                                "top_share": 0.4286, "nps": 14.3}


def test_single_choice_shares_include_other_and_list_its_text(small_round):
    form = round_evaluation(small_round)
    single = table(form, "q-format")
    assert [(r["option"], r["count"], r["share"]) for r in single.rows] == [
        ("очно", 3, 0.6), ("дистанционно", 1, 0.2), ("другое", 1, 0.2)]
    assert facts(single)["answered"] == 5
    assert column(table(form, "q-format-other"), "text") == ["смешанный"]


def test_multiple_choice_shares_are_of_respondents(small_round):
    form = round_evaluation(small_round)
    multiple = table(form, "q-next")
    assert [(r["option"], r["count"], r["share"]) for r in multiple.rows] == [
        ("Оценивание", 2, 0.4), ("ФГОС", 3, 0.6), ("Воспитание", 1, 0.2), ("другое", 1, 0.2)]
    assert column(table(form, "q-next-other"), "text") == ["Цифровые инструменты"]


def test_number_mean_median_min_max(small_round):
    hours = table(round_evaluation(small_round), "q-hours")
    assert facts(hours) == {"answered": 4, "mean": 5.0, "median": 4.25, "min": 2.0, "max": 9.5}


def test_free_texts_are_listed_without_respondent_attributes(small_round):
    improve = table(round_evaluation(small_round), "q-improve")
    assert sorted(column(improve, "text")) == ["Больше практики", "Меньше теории"]
    assert [c.key for c in improve.columns] == ["text"]


def test_matrix_ranks_topics_by_mean_difficulty(small_round):
    ranking = table(round_evaluation(small_round), "q-difficulty")
    assert [(r["rank"], r["topic"], r["count"], r["mean"], r["hard_share"])
            for r in ranking.rows] == [
        (1, "Оценивание результатов", 7, 3.86, 0.7143),
        (2, "Дисциплина на уроке", 7, 3.0, 0.2857),
        (3, "Требования ФГОС", 6, 1.67, 0.0)]


def test_matrix_by_school_shows_a_group_of_enough_respondents(small_round):
    schools = table(round_evaluation(small_round), "q-difficulty-schools")
    assert [c.label for c in schools.columns] == [
        "Школа", "Место", "Тема", "Ответов", "Средняя трудность (1–5)",
        "Доля «скорее трудно» и «очень трудно»"]
    assert [(r["group"], r["topic"], r["mean"]) for r in schools.rows] == [
        ("МБОУ СОШ № 1 (n=7)", "Оценивание результатов", 3.86),
        ("МБОУ СОШ № 1 (n=7)", "Дисциплина на уроке", 3.0),
        ("МБОУ СОШ № 1 (n=7)", "Требования ФГОС", 1.67)]
    assert schools.note == ""


def test_experience_group_under_threshold_is_suppressed_with_its_complement(small_round):
    # Two «others» are too few; showing the five young would let the total minus them reveal
    # the two, so both groups are hidden.
    experience = table(round_evaluation(small_round), "q-difficulty-experience")
    assert experience.columns == [] and experience.rows == []
    assert experience.note == ("Молодые специалисты, Остальные педагоги: "
                               "скрыто: меньше 5 ответов")


def test_draft_responses_are_not_counted(small_round):
    useful = table(round_evaluation(small_round), "q-useful")
    assert facts(useful)["answered"] == 7


def test_round_header_names_program_municipality_and_dates(small_round, municipality):
    header = {f.key: f.value for f in round_evaluation(small_round).header}
    assert header["program"] == "Мастер-мастеру"
    assert header["municipality"] == municipality.name
    assert header["event"].startswith("Семинар «Анализ урока», ")
    assert " – " in header["dates"]
    assert header["anonymous"] == "да"


# --- suppression rule ---------------------------------------------------------------------------

def test_hidden_groups_hide_small_groups_and_enough_others_to_protect_them():
    assert hidden_groups({"a": 7, "b": 6}) == set()
    assert hidden_groups({"a": 7, "b": 6, "c": 3, "d": 2}) == {"c", "d"}
    # A lone small group would follow from the total: the smallest shown one goes too.
    assert hidden_groups({"a": 9, "b": 6, "c": 2}) == {"b", "c"}
    assert hidden_groups({"a": MIN_GROUP}) == set()


def test_schools_breakdown_shows_means_of_large_schools_only(municipality, form_questions,
                                                             topics):
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    matrix = form_questions["difficulty"]
    sizes = {"МБОУ СОШ № 1": 6, "МБОУ СОШ № 2": 6, "МБОУ СОШ № 3": 3, "МБОУ СОШ № 4": 2}
    n = 0
    for name, size in sizes.items():
        school = OrganisationFactory(municipality=municipality, short_name=name)
        for i in range(size):
            # School 1 finds topic 0 hard (4) and topic 1 easy (2); school 2 the other way.
            points = (4, 2, 1) if name.endswith("1") else (2, 5, 1)
            respond(round, f"k{n}", {matrix: dict(zip(topics, points, strict=True))},
                    organisation=school, young=i < 3)
            n += 1
    form = round_evaluation(round)
    schools = table(form, "q-difficulty-schools")
    # Overall «Дисциплина» is hardest (3.94 against 2.71); each school's list follows its own
    # means: school 1 finds «Оценивание» hardest, school 2 «Дисциплина».
    assert [(r["group"], r["rank"], r["topic"], r["count"], r["mean"]) for r in schools.rows] == [
        ("МБОУ СОШ № 1 (n=6)", 1, "Оценивание результатов", 6, 4.0),
        ("МБОУ СОШ № 1 (n=6)", 2, "Дисциплина на уроке", 6, 2.0),
        ("МБОУ СОШ № 1 (n=6)", 3, "Требования ФГОС", 6, 1.0),
        ("МБОУ СОШ № 2 (n=6)", 1, "Дисциплина на уроке", 6, 5.0),
        ("МБОУ СОШ № 2 (n=6)", 2, "Оценивание результатов", 6, 2.0),
        ("МБОУ СОШ № 2 (n=6)", 3, "Требования ФГОС", 6, 1.0)]
    assert schools.note == "МБОУ СОШ № 3, МБОУ СОШ № 4: скрыто: меньше 5 ответов"
    experience = table(form, "q-difficulty-experience")
    # Young: 3 + 3 + 3 + 2 = 11, others: 3 + 3 + 0 + 0 = 6.
    # Young: topic 0 is (3×4 + 8×2)/11 = 2.55, topic 1 (3×2 + 8×5)/11 = 4.18; others: 3.0, 3.5.
    assert [(r["group"], r["rank"], r["topic"], r["mean"]) for r in experience.rows] == [
        ("Молодые специалисты (n=11)", 1, "Дисциплина на уроке", 4.18),
        ("Молодые специалисты (n=11)", 2, "Оценивание результатов", 2.55),
        ("Молодые специалисты (n=11)", 3, "Требования ФГОС", 1.0),
        ("Остальные педагоги (n=6)", 1, "Дисциплина на уроке", 3.5),
        ("Остальные педагоги (n=6)", 2, "Оценивание результатов", 3.0),
        ("Остальные педагоги (n=6)", 3, "Требования ФГОС", 1.0)]


# --- anonymity ------------------------------------------------------------------------------------

def test_anonymous_form_carries_no_respondent_key_or_person(small_round):
    form = json.dumps(dataclasses.asdict(round_evaluation(small_round)), ensure_ascii=False)
    assert "key-" not in form
    for invitation in small_round.invitations.select_related("person"):
        assert invitation.person.last_name not in form
        assert invitation.person.email not in form


def test_free_text_order_does_not_follow_the_order_of_answering(municipality, form_questions):
    texts = ["Первый ответ", "Второй ответ", "Третий ответ", "Четвёртый ответ", "Пятый ответ"]
    orders = []
    for sequence in (texts, list(reversed(texts))):
        round = SurveyRoundFactory(municipality=municipality,
                                   questionnaire=form_questions["useful"].questionnaire)
        for n, text in enumerate(sequence):
            respond(round, f"k{n}", {form_questions["improve"]: text})
        orders.append(column(table(round_evaluation(round), "q-improve"), "text"))
    assert orders[0] == orders[1]
    assert sorted(orders[0]) == sorted(texts)


# --- queries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("respondents", [3, 12])
def test_round_form_takes_a_fixed_number_of_queries(django_assert_num_queries, municipality,
                                                    form_questions, topics, respondents):
    round = round_with(municipality, form_questions, topics, respondents)
    # Rounds with their invitations counted, questions, topics, answers counted, respondents.
    with django_assert_num_queries(5):
        round_evaluation(round)


@pytest.mark.parametrize("respondents", [3, 12])
def test_series_form_takes_a_fixed_number_of_queries(django_assert_num_queries, municipality,
                                                     form_questions, topics, respondents):
    track = TrackFactory(program__municipality=municipality)
    for _n in range(2):
        round = round_with(municipality, form_questions, topics, respondents)
        round.track = track
        round.save()
    with django_assert_num_queries(6):
        series_evaluation(track)


# --- a track: round by round, with the trend -----------------------------------------------------

def test_track_series_orders_rounds_by_date_and_shows_the_change(municipality, form_questions):
    track = TrackFactory(program__municipality=municipality)
    useful = form_questions["useful"]
    later, earlier = (EventFactory(municipality=municipality, track=track, program=track.program,
                                   starts_at=in_days(days), title=title)
                      for days, title in ((-5, "Мастер-класс"), (-20, "Семинар")))
    for event, points in ((later, [5, 4, 5, 4, 5, 4]), (earlier, [3, 3, 2, 4, 3, 3])):
        round = SurveyRoundFactory(municipality=municipality, questionnaire=useful.questionnaire,
                                   event=event, title=f"Оценка: {event.title}")
        for n, point in enumerate(points):
            respond(round, f"k{n}", {useful: point})
    form = series_evaluation(track)
    assert column(table(form, "rounds"), "round") == ["Оценка: Семинар", "Оценка: Мастер-класс"]
    trend = table(form, "trend-useful")
    assert [(r["round"], r["count"], r["mean"], r["change"]) for r in trend.rows] == [
        ("Оценка: Семинар", 6, 3.0, None), ("Оценка: Мастер-класс", 6, 4.5, 1.5)]
    assert facts(trend) == {"change": 1.5}
    # Event by event: each round keeps its own full figures.
    assert [s.title.split(" · ")[1] for s in form.sections[2:]] == [
        "Оценка: Семинар", "Оценка: Мастер-класс"]


# --- before and after -------------------------------------------------------------------------

def test_prepost_pairs_respondents_and_computes_change_per_topic(prepost_rounds):
    before, after = prepost_rounds
    form = prepost_evaluation(before, after)
    assert facts(table(form, "summary"))["paired"] == 5
    changes = table(form, "prepost-difficulty")
    rows = {r["topic"]: r for r in changes.rows}
    # Topic «Оценивание»: before 5,4,5,3,4 (4.2), after 3,2,4,3,2 (2.8); four of five eased.
    assert rows["Оценивание результатов"] == {
        "topic": "Оценивание результатов", "pairs": 5, "before": 4.2, "after": 2.8,
        "change": -1.4, "improved": 0.8}
    # «Дисциплина»: 4,4,3,5,2 (3.6) → 4,5,3,3,2 (3.4); only p4 eased.
    assert rows["Дисциплина на уроке"] == {
        "topic": "Дисциплина на уроке", "pairs": 5, "before": 3.6, "after": 3.4,
        "change": -0.2, "improved": 0.2}
    # «ФГОС» has four pairs only (p5 skipped it before): hidden.
    assert rows["Требования ФГОС"]["pairs"] == "скрыто: меньше 5 ответов"
    assert rows["Требования ФГОС"]["change"] is None
    assert column(changes, "topic")[0] == "Оценивание результатов"  # the largest decrease first
    assert facts(changes)["topics_improved"] == "2 из 2"


def test_prepost_scale_questions_count_an_increase_as_improvement(prepost_rounds):
    form = prepost_evaluation(*prepost_rounds)
    motivation = table(form, "prepost-questions").rows[0]
    # 2,3,3,4,2 (2.8) → 4,4,3,5,3 (3.8); four of five rose.
    assert motivation == {"question": "Мотивация к профессиональному развитию", "pairs": 5,
                          "before": 2.8, "after": 3.8, "change": 1.0, "improved": 0.8}


def test_prepost_refuses_the_same_round_twice(prepost_rounds):
    before, _after = prepost_rounds
    with pytest.raises(Invalid):
        prepost_evaluation(before, before)


def test_prepost_takes_a_fixed_number_of_queries(django_assert_num_queries, prepost_rounds):
    # Rounds with their invitations counted, questions, topics, responses, answers.
    with django_assert_num_queries(5):
        prepost_evaluation(*prepost_rounds)


def test_round_dates_follow_the_municipality_zone(municipality, form_questions):
    # 23:30 UTC on 1 March is already 2 March in Vladivostok (UTC+10).
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    round = SurveyRoundFactory(municipality=municipality, opens_at=late,
                               closes_at=late + datetime.timedelta(days=3),
                               questionnaire=form_questions["useful"].questionnaire)
    header = {f.key: f.value for f in round_evaluation(round).header}
    assert header["dates"] == "02.03.2026 – 05.03.2026"


def test_round_without_answers_builds_empty_figures(municipality, form_questions):
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    InvitationFactory(round=round)
    form = round_evaluation(round)
    assert facts(table(form, "summary")) == {"invited": 1, "answered": 0, "response_rate": 0.0}
    useful = table(form, "q-useful")
    assert column(useful, "count") == [0, 0, 0, 0, 0]
    assert facts(useful) == {"answered": 0, "mean": None, "median": None, "top_share": None}
    assert column(table(form, "q-difficulty"), "count") == [0, 0, 0]
    series = series_evaluation([round])
    assert [s.key for s in series.sections] == ["summary", f"round-{round.pk}"]


def test_identical_free_texts_are_listed_once_with_a_count(municipality, form_questions):
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    for n, text in enumerate(["Всё понравилось", "Больше практики", "Всё понравилось"]):
        respond(round, f"k{n}", {form_questions["improve"]: text})
    for n in range(2):  # two more respondents, who left the text blank: five in all
        respond(round, f"blank{n}", {form_questions["useful"]: 4})
    improve = table(round_evaluation(round), "q-improve")
    assert improve.rows == [{"text": "Всё понравилось", "count": 2},
                            {"text": "Больше практики", "count": 1}]
    assert facts(improve) == {"answered": 3}


# --- before and after: what may be compared -------------------------------------------------------

def _round_of(form, municipality, days, **fields):
    return SurveyRoundFactory(municipality=municipality, questionnaire=form,
                              opens_at=in_days(days), closes_at=in_days(days + 1), **fields)


def test_prepost_refuses_rounds_of_different_questionnaires(municipality):
    first = QuestionnaireFactory(title="Трудности", purpose="difficulty", is_anonymous=False)
    second = QuestionnaireFactory(title="Оценка", is_anonymous=False)
    with pytest.raises(Invalid) as refused:
        prepost_evaluation(_round_of(first, municipality, -30), _round_of(second, municipality, -5))
    assert refused.value.code == "different_questionnaires"
    assert "разным анкетам" in refused.value.message


def test_prepost_refuses_an_after_that_precedes_the_before(prepost_rounds):
    before, after = prepost_rounds
    with pytest.raises(Invalid) as refused:
        prepost_evaluation(after, before)
    assert refused.value.code == "after_precedes_before"


def test_prepost_refuses_anonymous_rounds_not_declared_as_one_series(prepost_rounds,
                                                                     municipality):
    before, after = prepost_rounds
    stranger = _round_of(after.questionnaire, municipality, -1)  # same form, no declaration
    with pytest.raises(Invalid) as refused:
        prepost_evaluation(before, stranger)
    assert refused.value.code == "not_paired"


def test_prepost_refuses_to_pair_a_named_round_with_an_anonymous_one(prepost_rounds,
                                                                     municipality):
    before, _after = prepost_rounds
    named = QuestionnaireFactory(title="Трудности", purpose="difficulty", is_anonymous=False,
                                 family=before.questionnaire.family, version=3, is_current=False)
    with pytest.raises(Invalid) as refused:
        prepost_evaluation(before, _round_of(named, municipality, -1))
    assert refused.value.code == "anonymity_differs"


def test_named_rounds_pair_by_person_without_a_declaration(municipality, form_questions):
    named = QuestionnaireFactory(title="Трудности", purpose="difficulty", is_anonymous=False)
    motivation = QuestionFactory(questionnaire=named, position=1, code="motivation")
    before, after = (_round_of(named, municipality, days) for days in (-30, -5))
    people = [PersonFactory(municipality=municipality) for _n in range(5)]
    for round, point in ((before, 2), (after, 4)):
        for n, person in enumerate(people):
            response = respond(round, f"{round.pk}-{n}", {motivation: point})
            response.person = person
            response.save()
    row = table(prepost_evaluation(before, after), "prepost-questions").rows[0]
    assert (row["pairs"], row["before"], row["after"], row["improved"]) == (5, 2.0, 4.0, 1.0)
