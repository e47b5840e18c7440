"""«Доля школ, представивших лучшие практики» counts the bank's accepted levels, by hand."""

import datetime

import pytest

from indicators.builder import Period, indicator_report
from indicators.models import PracticePresentation
from practices import services
from practices.models import Review
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
UTC = datetime.UTC


def accepted_on(practice, curator, moment, *, outcome="accept"):
    """Submit and decide the practice, the decision dated `moment` (UTC)."""
    services.submit(practice, by=curator)
    if outcome == "accept":
        review = services.accept(practice, by=curator)
    else:
        review = services.return_practice(practice, by=curator, comment="Доработать")
    Review.objects.filter(pk=review.pk).update(decided_at=moment)


def test_schools_presented_counts_accepted_levels_and_the_curators_records(
        municipality, curator):
    schools = {name: OrganisationFactory(municipality=municipality, short_name=f"СОШ {name}")
               for name in "ABCD"}
    # The curator works at a fifth school, which presents nothing.
    assert municipality.organisations.count() == 5

    def practice(school, title):
        author = PersonFactory(municipality=municipality, organisation=schools[school])
        return services.create_practice(author, by=curator, data={
            "title": title, "note": "Записка", "content": "Содержание"})

    # A: accepted at the school level in the period.
    accepted_on(practice("A", "Ракушка добра"), curator,
                datetime.datetime(2026, 1, 20, 3, 0, tzinfo=UTC))
    # B: 14:30 UTC on 31 December is 00:30 on 1 January in Vladivostok: inside the period.
    accepted_on(practice("B", "Шаги в науку"), curator,
                datetime.datetime(2025, 12, 31, 14, 30, tzinfo=UTC))
    # C: returned in the period (not counted), but the curator recorded a presentation.
    accepted_on(practice("C", "Лестница к звёздам"), curator,
                datetime.datetime(2026, 2, 1, 3, 0, tzinfo=UTC), outcome="return")
    PracticePresentation.objects.create(organisation=schools["C"], title="Формула успеха",
                                        level="municipal", presented_on=datetime.date(2026, 2, 5))
    # D: accepted in the previous period, and again (municipal) after this one.
    d = practice("D", "За сердцем Данко")
    accepted_on(d, curator, datetime.datetime(2025, 11, 5, 3, 0, tzinfo=UTC))
    accepted_on(d, curator, datetime.datetime(2026, 4, 10, 3, 0, tzinfo=UTC))

    indicator = indicator_report(municipality, PERIOD).indicator("schools_presented")

    assert (indicator.numerator, indicator.denominator) == (3, 5)          # A, B, C of five
    assert (indicator.previous_numerator, indicator.previous_denominator) == (1, 5)  # D
    details = {item.name: item.detail for item in indicator.items}
    assert details == {"СОШ A": "«Ракушка добра» (школьный, 20.01.2026)",
                       "СОШ B": "«Шаги в науку» (школьный, 01.01.2026)",
                       "СОШ C": "«Формула успеха» (муниципальный, 05.02.2026)"}
