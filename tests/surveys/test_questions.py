"""Each kind of question: what passes, what is refused, and the message the person reads."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from surveys import questions
from surveys.questions import OTHER, AnswerError, clean
from tests.surveys.conftest import make_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def q(questionnaire):
    return {question.code: question for question in questionnaire.questions.all()}


def refused(question, raw, *, required=True):
    with pytest.raises(AnswerError) as caught:
        clean(question, raw, required=required)
    return caught.value.message


# --- scales ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, stored", [("1", 1), ("5", 5), (3, 3), (" 4 ", 4)])
def test_scale5_accepts_points_one_to_five(q, raw, stored):
    assert clean(q["scale5"], raw, required=True)[0]["number"] == stored


@pytest.mark.parametrize("raw", ["0", "6", "2.5", "много"])
def test_scale5_refuses_points_outside_the_scale(q, raw):
    assert refused(q["scale5"], raw) == "Выберите значение от 1 до 5."


def test_scale10_accepts_zero_and_ten(q):
    assert [clean(q["scale10"], raw, required=True)[0]["number"] for raw in ("0", "10")] == [0, 10]


def test_scale10_refuses_eleven(q):
    assert refused(q["scale10"], "11") == "Выберите значение от 0 до 10."


def test_required_question_left_blank_is_refused_on_submit(q):
    assert refused(q["scale5"], "") == "Ответьте на этот вопрос."


def test_required_question_left_blank_passes_in_a_draft(q):
    assert clean(q["scale5"], "", required=False) == []


# --- single choice ---------------------------------------------------------------------------

def test_single_choice_accepts_an_offered_option(q):
    assert clean(q["single"], {"choice": "учитель"}, required=True)[0]["choices"] == ["учитель"]


def test_single_choice_refuses_an_option_not_offered(q):
    assert refused(q["single"], {"choice": "директор"}) == (
        "Выберите один из предложенных вариантов.")


def test_single_choice_other_keeps_the_typed_text(q):
    row = clean(q["single"], {"choice": OTHER, "other": "методист"}, required=True)[0]
    assert (row["choices"], row["text"]) == ([OTHER], "методист")


def test_single_choice_other_without_text_is_refused(q):
    assert refused(q["single"], {"choice": OTHER, "other": " "}) == (
        "Напишите свой вариант в поле «другое».")


def test_single_choice_text_typed_without_ticking_other_counts_as_other(q):
    assert clean(q["single"], {"choice": "", "other": "методист"},
                 required=True)[0]["choices"] == [OTHER]


def test_single_choice_with_both_an_option_and_own_text_is_refused(q):
    assert "оставьте что-то одно" in refused(q["single"], {"choice": "учитель", "other": "x"})


def test_single_choice_other_is_refused_when_the_question_has_no_other(questionnaire):
    question = questionnaire.questions.get(code="single")
    question.allow_other = False
    assert refused(question, {"choice": OTHER}) == "Выберите один из предложенных вариантов."


# --- multiple choice -------------------------------------------------------------------------

def test_multiple_choice_keeps_the_question_order(q):
    row = clean(q["multiple"], {"choices": ["педагог-психолог", "учитель"]}, required=True)[0]
    assert row["choices"] == ["учитель", "педагог-психолог"]


def test_multiple_choice_refuses_an_option_not_offered(q):
    assert refused(q["multiple"], ["учитель", "повар"]) == "Выберите из предложенных вариантов."


def test_multiple_choice_other_needs_its_text(q):
    assert refused(q["multiple"], {"choices": ["учитель", OTHER]}) == (
        "Напишите свой вариант в поле «другое».")


def test_multiple_choice_other_text_adds_other(q):
    row = clean(q["multiple"], {"choices": ["учитель"], "other": "тьютор"}, required=True)[0]
    assert (row["choices"], row["text"]) == (["учитель", OTHER], "тьютор")


# --- text and number -------------------------------------------------------------------------

def test_text_is_stored_trimmed(q):
    assert clean(q["text"], "  Нужна помощь  ", required=True)[0]["text"] == "Нужна помощь"


def test_text_longer_than_the_limit_is_refused(q):
    assert "не больше 5000 знаков" in refused(q["text"], "я" * 5001)


@pytest.mark.parametrize("raw, value", [("3,5", "3.50"), ("12", "12.00"), ("1 500,25", "1500.25"),
                                        ("−2", "-2.00"), ("0.75", "0.75")])
def test_number_reads_a_comma_as_the_decimal_point(q, raw, value):
    assert clean(q["number"], raw, required=True)[0]["number"] == Decimal(value)


@pytest.mark.parametrize("raw, message", [
    ("три", "Введите число, например 12 или 3,5."),
    ("1,2,3", "Введите число, например 12 или 3,5."),
    ("NaN", "Введите число, например 12 или 3,5."),
    ("1,234", "Не больше двух знаков после запятой."),
    ("10000000", "Слишком большое число: не больше 999 999,99."),
])
def test_number_refuses_what_is_not_a_number(q, raw, message):
    assert refused(q["number"], raw) == message


def test_number_is_shown_back_with_a_comma(q):
    assert questions.format_number(Decimal("3.50")) == "3,5"


# --- matrix ----------------------------------------------------------------------------------

def test_matrix_stores_one_row_per_topic(q):
    topics = list(q["matrix"].topics.all())
    rows = clean(q["matrix"], {topics[0].pk: "5", str(topics[1].pk): "1"}, required=True)
    assert {(row["topic_id"], row["number"]) for row in rows} == {(topics[0].pk, 5),
                                                                  (topics[1].pk, 1)}


def test_required_matrix_with_a_missing_row_names_the_topic(q):
    topics = list(q["matrix"].topics.all())
    message = refused(q["matrix"], {topics[0].pk: "2"})
    assert message == f"Оцените каждую тему; не отмечены: «{topics[1].name}»."


def test_matrix_missing_rows_pass_in_a_draft(q):
    topic = q["matrix"].topics.first()
    assert len(clean(q["matrix"], {topic.pk: "2"}, required=False)) == 1


def test_matrix_point_outside_the_scale_is_refused_even_in_a_draft(q):
    topic = q["matrix"].topics.first()
    assert "для тем: «" in refused(q["matrix"], {topic.pk: "9"}, required=False)


def test_matrix_ignores_rows_that_are_not_its_topics(q):
    topics = list(q["matrix"].topics.all())
    rows = clean(q["matrix"], {t.pk: "3" for t in topics} | {999999: "4"}, required=True)
    assert len(rows) == len(topics)


# --- the form ----------------------------------------------------------------------------------

def test_read_form_reads_every_kind_from_post(questionnaire):
    by_code = {question.code: question for question in questionnaire.questions.all()}
    topic = by_code["matrix"].topics.first()
    post = QueryDict(mutable=True)
    post.update({f"q{by_code['scale5'].pk}": "4", f"q{by_code['single'].pk}-other": "тьютор",
                 f"q{by_code['matrix'].pk}-t{topic.pk}": "2"})
    post.setlist(f"q{by_code['multiple'].pk}", ["учитель", OTHER])
    assert questions.read_form(by_code["scale5"], post) == "4"
    assert questions.read_form(by_code["single"], post) == {"choice": "", "other": "тьютор"}
    assert questions.read_form(by_code["multiple"], post)["choices"] == ["учитель", OTHER]
    assert questions.read_form(by_code["matrix"], post)[topic.pk] == "2"


def test_a_stored_answer_reads_back_as_the_raw_answer(db):
    questionnaire = make_questionnaire(kinds=["multiple"])
    question = questionnaire.questions.get()
    rows = clean(question, {"choices": ["учитель"], "other": "тьютор"}, required=True)

    class Stored:
        def __init__(self, row):
            self.__dict__.update(row)

    assert questions.raw_from_answers(question, [Stored(rows[0])]) == {
        "choices": ["учитель", OTHER], "other": "тьютор"}


@pytest.mark.parametrize("kind, fields, key", [
    ("single", {"choices": ["один"]}, "choices"),
    ("scale5", {"scale_labels": ["а", "б", "в"]}, "scale_labels"),
    ("matrix", {"topics_count": 0}, "topics"),
])
def test_definition_errors_catch_broken_questions(kind, fields, key):
    assert key in questions.definition_errors(kind, **fields)


def test_text_answers_lose_nul_and_control_characters_and_keep_their_lines(q):
    [row] = clean(q["text"], "Строка\x00 1\r\nСтрока\x0b2\x1b", required=True)
    assert row["text"] == "Строка 1\nСтрока\n2"


def test_other_choice_text_loses_control_characters(q):
    rows = clean(q["single"], {"choice": OTHER, "other": "Свой\x00 вариант\x07"}, required=True)
    assert [row["text"] for row in rows] == ["Свой вариант"]
