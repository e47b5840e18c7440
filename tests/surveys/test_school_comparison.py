"""Per-school comparison: response rates, hardest topic, the heat map, its page and PDF."""

import pytest
from django.test import Client

from surveys.school_comparison import comparison_pdf, heat_level, heat_rows, school_comparison
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SurveyRoundFactory,
    TopicFactory,
    in_days,
)
from tests.pdf_text import needs_pdftotext, pdf_text
from tests.surveys.evaluation.data import respond

# School → (invited, answered, points for topics A, B, C).
SCHOOLS = {"МБОУ СОШ № 1": (8, 6, (5, 2, 3)), "МБОУ СОШ № 2": (6, 6, (3, 5, 1)),
           "МБОУ СОШ № 10": (4, 3, (1, 1, 4)), "МБОУ СОШ № 3": (5, 2, (1, 1, 4))}


def _round(municipality, *, anonymous=False):
    topics = [TopicFactory(name=name, position=i) for i, name in
              enumerate(["Оценивание", "Дисциплина", "ФГОС"], start=1)]
    questionnaire = QuestionnaireFactory(title="Трудности", purpose="difficulty",
                                         is_anonymous=anonymous)
    matrix = QuestionFactory(questionnaire=questionnaire, position=1, code="difficulty",
                             kind="matrix", topics=topics)
    round = SurveyRoundFactory(municipality=municipality, questionnaire=questionnaire,
                               title="Трудности, весна")
    for name, (invited, answered, points) in SCHOOLS.items():
        school = OrganisationFactory(municipality=municipality, short_name=name)
        for n in range(invited):
            person = PersonFactory(municipality=municipality, organisation=school)
            InvitationFactory(round=round, person=person,
                              answered_at=in_days(-1) if n < answered else None)
            if n < answered:
                respond(round, f"{name}-{n}", {matrix: dict(zip(topics, points, strict=True))},
                        organisation=None if anonymous else school)
    return round


@pytest.fixture
def round(municipality):
    return _round(municipality)


def test_response_rate_by_school_in_natural_order(round):
    rates = school_comparison(round).rates
    assert rates == [("МБОУ СОШ № 1", 8, 6, 0.75), ("МБОУ СОШ № 2", 6, 6, 1.0),
                     ("МБОУ СОШ № 3", 5, 2, 0.4), ("МБОУ СОШ № 10", 4, 3, 0.75)]


def test_hardest_topic_per_school_and_small_schools_hidden(round):
    comparison = school_comparison(round)
    assert [(s, n, top) for s, n, _means, top in comparison.schools] == [
        ("МБОУ СОШ № 1", 6, ("Оценивание", 5.0)), ("МБОУ СОШ № 2", 6, ("Дисциплина", 5.0))]
    # Three and two respondents: hidden together (five in all).
    assert comparison.hidden == ["МБОУ СОШ № 3", "МБОУ СОШ № 10"]


def test_heat_map_levels_follow_the_means(round):
    assert heat_rows(school_comparison(round)) == [
        ("МБОУ СОШ № 1 (n=6)", [("5,00", 5), ("2,00", 2), ("3,00", 3)]),
        ("МБОУ СОШ № 2 (n=6)", [("3,00", 3), ("5,00", 5), ("1,00", 1)])]
    assert [heat_level(v) for v in (None, 1.0, 1.49, 1.5, 4.6)] == [None, 1, 1, 2, 5]


def test_anonymous_round_compares_response_rates_only(municipality):
    comparison = school_comparison(_round(municipality, anonymous=True))
    assert comparison.schools == [] and len(comparison.rates) == 4


def test_page_draws_the_heat_map_with_classes_not_inline_styles(round, curator):
    client = Client()
    client.force_login(curator)
    page = client.get(f"/evaluation/round/{round.pk}/schools/").content.decode()
    assert 'class="num heat-5"' in page and "style=" not in page.split("<main")[-1]
    assert "МБОУ СОШ № 3, МБОУ СОШ № 10: скрыто: меньше 5 ответов" in page


def test_page_of_another_municipality_is_a_404(round, other_curator):
    client = Client()
    client.force_login(other_curator)
    assert client.get(f"/evaluation/round/{round.pk}/schools/").status_code == 404
    assert client.get(f"/evaluation/round/{round.pk}/schools.pdf").status_code == 404


@needs_pdftotext
def test_pdf_has_rates_hardest_topics_and_the_heat_map(round, tmp_path):
    text = pdf_text(comparison_pdf(school_comparison(round)), tmp_path)
    assert "Доля ответивших по школам" in text and "Тепловая карта" in text
    assert "МБОУ СОШ № 10" in text and "75,0" in text
