"""The demo surveys: a difficulty round before and now with pairs, satisfaction after events."""

from decimal import Decimal

import pytest

from events import demo as events_demo
from participants import demo as participants_demo
from surveys import demo
from surveys.models import Answer, Invitation, Response, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    participants_demo.load()
    events_demo.load()
    demo.load()


def mean(round_title, topic_name):
    numbers = list(Answer.objects.filter(response__round__title=round_title,
                                         topic__name=topic_name).values_list("number", flat=True))
    return sum(numbers) / len(numbers)


def test_demo_has_difficulty_pairs_that_ease_on_covered_topics(loaded):
    entry = Round.objects.get(title=demo.ENTRY_TITLE)
    later = Round.objects.get(title=demo.CURRENT_TITLE)
    # Named rounds: pairs are the same person (response keys differ from round to round).
    entry_keys = set(entry.responses.values_list("person_id", flat=True))
    later_keys = set(later.responses.values_list("person_id", flat=True))
    assert entry.responses.count() > 0.7 * entry.invitations.count() > 150
    assert len(entry_keys & later_keys) > 100
    assert later.is_open() and not entry.is_open()
    assert entry.program.name == "Мастер-мастеру" == later.program.name
    covered, uncovered = "Анализ современного урока", "Работа с детьми с ОВЗ"
    assert mean(demo.CURRENT_TITLE, covered) < mean(demo.ENTRY_TITLE, covered) - Decimal("0.5")
    assert abs(mean(demo.CURRENT_TITLE, uncovered) - mean(demo.ENTRY_TITLE, uncovered)) < (
        Decimal("0.4"))


def test_demo_rates_past_events_anonymously_and_only_once(loaded):
    rounds = Round.objects.filter(audience="event")
    assert rounds.count() >= 5 and all(r.responses.exists() for r in rounds)
    assert not Response.objects.filter(round__in=rounds, person__isnull=False).exists()
    assert Response.objects.count() == Invitation.objects.filter(answered_at__isnull=False).count()
    before = (Round.objects.count(), Response.objects.count(), Answer.objects.count())
    demo.load()
    assert (Round.objects.count(), Response.objects.count(), Answer.objects.count()) == before
