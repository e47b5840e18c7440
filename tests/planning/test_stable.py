"""Flash-mentoring matching: stable (no blocking pair, found by brute force), capacities kept."""

import random

import pytest

from planning.matching.stable import _ranks, stable_match


def blocking_pairs(mentee_prefs, mentor_prefs, capacities, match):
    """Every mutual pair (mentee, mentor) that would both rather be together: brute force."""
    ranks = {mentor: _ranks(prefs) for mentor, prefs in mentor_prefs.items()}
    held = {mentor: [e for e, m in match.items() if m == mentor] for mentor in mentor_prefs}
    found = []
    for mentee, prefs in mentee_prefs.items():
        for place, mentor in enumerate(prefs):
            if mentee not in ranks.get(mentor, {}) or capacities.get(mentor, 0) <= 0:
                continue
            current = match.get(mentee)
            if current is not None and prefs.index(current) <= place:
                continue  # has someone at least as good
            rank = ranks[mentor][mentee][0]
            has_room = len(held[mentor]) < capacities[mentor]
            # A tie is no reason to leave: only a strictly better rank blocks (weak stability).
            would_drop = any(ranks[mentor][other][0] > rank for other in held[mentor])
            if has_room or would_drop:
                found.append((mentee, mentor))
    return found


def check(mentee_prefs, mentor_prefs, capacities):
    match = stable_match(mentee_prefs, mentor_prefs, capacities)
    assert blocking_pairs(mentee_prefs, mentor_prefs, capacities, match) == []
    for mentor, capacity in capacities.items():
        assert sum(1 for m in match.values() if m == mentor) <= capacity
    for mentee, mentor in match.items():  # only mutual choices become pairs
        assert mentor in mentee_prefs[mentee]
        assert mentee in _ranks(mentor_prefs[mentor])
    return match


def test_mutual_first_choices_pair_up():
    match = check({"a": ["M"], "b": ["N"]}, {"M": ["a"], "N": ["b"]}, {"M": 1, "N": 1})
    assert match == {"a": "M", "b": "N"}


def test_capacity_keeps_the_mentors_preferred_mentees():
    mentees = {"a": ["M", "N"], "b": ["M"], "c": ["M", "N"]}
    mentors = {"M": ["c", "a", "b"], "N": ["a", "c"]}
    match = check(mentees, mentors, {"M": 2, "N": 1})
    assert match == {"c": "M", "a": "M"}  # b is third for M; N named a and c, both taken by M
    assert "b" not in match


def test_choice_that_is_not_returned_makes_no_pair():
    match = check({"a": ["M"]}, {"M": ["b"]}, {"M": 3})
    assert match == {}


def test_people_who_chose_nobody_stay_unmatched():
    match = check({"a": [], "b": ["M"]}, {"M": ["a", "b"], "N": []}, {"M": 1, "N": 2})
    assert match == {"b": "M"}


def test_mentor_without_places_takes_nobody():
    match = check({"a": ["M", "N"]}, {"M": ["a"], "N": ["a"]}, {"M": 0, "N": 1})
    assert match == {"a": "N"}


def test_tie_in_a_mentors_list_is_broken_by_the_order_given():
    mentees = {"a": ["M"], "b": ["M"], "c": ["M"]}
    mentors = {"M": [["b", "a"], "c"]}  # a and b equally good, then c
    match = check(mentees, mentors, {"M": 1})
    assert match == {"b": "M"}


def test_mentee_prefers_second_mentor_when_the_first_is_full():
    mentees = {"a": ["M", "N"], "b": ["M", "N"]}
    mentors = {"M": ["b", "a"], "N": ["a", "b"]}
    match = check(mentees, mentors, {"M": 1, "N": 1})
    assert match == {"b": "M", "a": "N"}


@pytest.mark.parametrize("seed", range(30))
def test_random_cases_have_no_blocking_pair(seed):
    rng = random.Random(seed)
    mentees = [f"e{i}" for i in range(rng.randint(1, 12))]
    mentors = [f"m{i}" for i in range(rng.randint(1, 5))]
    mentee_prefs = {e: rng.sample(mentors, rng.randint(0, len(mentors))) for e in mentees}
    mentor_prefs = {}
    for m in mentors:
        chosen = rng.sample(mentees, rng.randint(0, len(mentees)))
        grouped, i = [], 0
        while i < len(chosen):  # random ties: groups of 1–3 equals
            size = rng.randint(1, 3)
            grouped.append(chosen[i:i + size])
            i += size
        mentor_prefs[m] = grouped
    capacities = {m: rng.randint(0, 3) for m in mentors}
    check(mentee_prefs, mentor_prefs, capacities)


def test_brute_force_check_finds_a_blocking_pair_in_a_bad_match():
    """Control: the checker above can fail."""
    mentees = {"a": ["M", "N"], "b": ["M", "N"]}
    mentors = {"M": ["b", "a"], "N": ["a", "b"]}
    assert blocking_pairs(mentees, mentors, {"M": 1, "N": 1}, {"a": "M", "b": "N"}) == [
        ("b", "M")]
