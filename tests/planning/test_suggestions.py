"""Mentor suggestions: scores and Russian reasons on the hand-made school of conftest.py."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from config.errors import Invalid, NotFound
from planning.matching.suggestions import (
    ANY_SCHOOL,
    NETWORK,
    SAME_SCHOOL,
    mentor_suggestions,
    period_of,
    places_phrase,
)
from tests.planning.fixtures import difficulty_answers

pytestmark = pytest.mark.django_db


def suggestions_of(municipality, person, **kwargs):
    found = [item for item in mentor_suggestions(municipality.pk, **kwargs)
             if item.mentee_id == person.pk]
    assert len(found) == 1
    return found[0]


def test_network_preference_ranks_the_mentor_of_another_school_who_covers_everything(
        municipality, school):
    item = suggestions_of(municipality, school["mentee"], preference=NETWORK)
    assert item.difficulties == ["Проектирование урока", "Работа с родителями"]
    assert [(s.mentor_id, s.score) for s in item.suggestions] == [
        (school["broad"].pk, 0.95),  # 0.6·2/2 + 0.25·другая школа + 0.15·2/3 свободно
        (school["near"].pk, 0.45),   # 0.6·1/2 + 0 + 0.15·1/1
    ]
    assert item.suggestions[0].reason == (
        "может помочь: проектирование урока, работа с родителями; другая школа; "
        "1 из 3 мест занято")
    assert item.suggestions[1].reason == (
        "может помочь: проектирование урока; та же школа; 0 из 1 места занято")


def test_same_school_preference_lifts_the_colleague(municipality, school):
    item = suggestions_of(municipality, school["mentee"], preference=SAME_SCHOOL)
    scores = {s.mentor_id: s.score for s in item.suggestions}
    assert scores == {school["broad"].pk: 0.7, school["near"].pk: 0.7}


def test_no_school_preference_scores_cover_and_free_places_only(municipality, school):
    item = suggestions_of(municipality, school["mentee"], preference=ANY_SCHOOL)
    assert [s.score for s in item.suggestions] == [0.7, 0.45]


def test_full_mentor_and_mentor_without_a_common_topic_are_not_suggested(municipality, school):
    item = suggestions_of(municipality, school["mentee"])
    mentors = {s.mentor_id for s in item.suggestions}
    assert school["full"].pk not in mentors
    assert school["other"].pk not in mentors


def test_mentee_with_a_current_mentor_gets_no_suggestions(municipality, school):
    ids = {item.mentee_id for item in mentor_suggestions(municipality.pk)}
    assert school["paired"].pk not in ids
    assert school["mentee"].pk in ids


def test_anonymous_answers_never_become_a_persons_difficulty(municipality, school):
    lesson, parents, ovz = school["topics"]
    difficulty_answers(municipality, school["mentee"], {ovz: 5}, anonymous=True)
    item = suggestions_of(municipality, school["mentee"])
    assert "ОВЗ: инклюзивное обучение" not in item.difficulties
    assert school["other"].pk not in {s.mentor_id for s in item.suggestions}


def test_named_hard_answer_makes_a_difficulty(municipality, school):
    lesson, parents, ovz = school["topics"]
    difficulty_answers(municipality, school["mentee"], {ovz: 5})  # mean over rounds: (2+5)/2
    assert "ОВЗ: инклюзивное обучение" not in suggestions_of(
        municipality, school["mentee"]).difficulties
    difficulty_answers(municipality, school["mentee"], {ovz: 5})  # (2+5+5)/3 = 4
    item = suggestions_of(municipality, school["mentee"])
    assert "ОВЗ: инклюзивное обучение" in item.difficulties
    other = next(s for s in item.suggestions if s.mentor_id == school["other"].pk)
    assert other.reason.startswith("может помочь: ОВЗ: инклюзивное обучение; другая школа")


def test_limit_keeps_the_best(municipality, school):
    item = suggestions_of(municipality, school["mentee"], limit=1)
    assert [s.mentor_id for s in item.suggestions] == [school["broad"].pk]


def test_another_municipality_sees_none_of_these_people(other_municipality, school):
    assert mentor_suggestions(other_municipality.pk) == []


@pytest.mark.parametrize(("load", "capacity", "text"), [
    (1, 3, "1 из 3 мест занято"), (0, 1, "0 из 1 места занято"),
    (11, 11, "11 из 11 мест занято"), (2, 21, "2 из 21 места занято"),
])
def test_places_phrase_agrees_with_the_number(load, capacity, text):
    assert places_phrase(load, capacity) == text


# --- the period of the answers read ---------------------------------------------------------

def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def old_round(municipality, school):
    """200 days ago she found ОВЗ very hard; in the fixture's round (2 days ago), rather not."""
    lesson, parents, ovz = school["topics"]
    return difficulty_answers(municipality, school["mentee"], {ovz: 5}, days_ago=200)


def test_all_rounds_average_when_no_period_is_chosen(municipality, school, old_round):
    # ОВЗ: (5 + 2) / 2 = 3.5, not hard; «родители» 5 from the recent round.
    assert set(suggestions_of(municipality, school["mentee"]).difficulties) == {
        "Проектирование урока", "Работа с родителями"}


def test_a_period_reads_only_the_rounds_opened_in_it(municipality, school, old_round):
    recent = suggestions_of(municipality, school["mentee"], start=days_ago(30))
    assert set(recent.difficulties) == {"Проектирование урока", "Работа с родителями"}
    earlier = suggestions_of(municipality, school["mentee"], start=days_ago(365),
                             end=days_ago(100))
    # Declared difficulties stay; ОВЗ (5) is hard then; «родители» was not yet asked.
    assert set(earlier.difficulties) == {"Проектирование урока", "ОВЗ: инклюзивное обучение"}
    assert school["other"].pk in {s.mentor_id for s in earlier.suggestions}


def test_a_chosen_round_reads_only_its_answers(municipality, school, old_round):
    item = suggestions_of(municipality, school["mentee"], round_id=old_round.pk)
    assert set(item.difficulties) == {"Проектирование урока", "ОВЗ: инклюзивное обучение"}
    other = next(s for s in item.suggestions if s.mentor_id == school["other"].pk)
    assert other.reason.startswith("может помочь: ОВЗ: инклюзивное обучение")


def test_period_checks(municipality, other_municipality, school, old_round):
    with pytest.raises(Invalid):
        period_of(municipality.pk, start=days_ago(1), end=days_ago(10))
    with pytest.raises(NotFound):  # another municipality's round
        period_of(other_municipality.pk, round_id=old_round.pk)
    anonymous = difficulty_answers(municipality, school["mentee"], {}, anonymous=True)
    with pytest.raises(NotFound):  # an anonymous round is never read for a person
        period_of(municipality.pk, round_id=anonymous.pk)


def test_the_page_filters_by_round_and_period(municipality, school, old_round, curator,
                                              other_curator):
    client = Client()
    client.force_login(curator)
    page = client.get(f"/planning/mentors/?round={old_round.pk}").content.decode()
    assert "ОВЗ: инклюзивное обучение" in page and "Денисова" in page
    assert f'<option value="{old_round.pk}" selected>' in page
    page = client.get(f"/planning/mentors/?start={days_ago(30).isoformat()}").content.decode()
    assert "Денисова" not in page
    reversed_period = client.get(f"/planning/mentors/?start={days_ago(1).isoformat()}"
                                 f"&end={days_ago(10).isoformat()}", follow=True)
    assert "Конец периода раньше начала." in reversed_period.content.decode()
    client.force_login(other_curator)
    assert client.get(f"/planning/mentors/?round={old_round.pk}").status_code == 404
