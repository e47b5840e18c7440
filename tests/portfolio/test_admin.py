"""Admin of the portfolio in Russian: the curator sets the points table on one form; visits and
records are listed for the curator's municipality only."""

import datetime

import pytest

from portfolio import services
from portfolio.models import PointsRule
from portfolio.points import RULE_KEYS
from tests.portfolio.conftest import map_answers, signed_in

pytestmark = pytest.mark.django_db


def test_curator_sets_the_points_table_in_the_admin(curator, municipality, other_municipality):
    client = signed_in(curator)
    page = client.get("/admin/portfolio/pointsrule/")
    assert page.status_code == 200
    assert "Разработка и реализация персонализированных программ" in page.content.decode()

    values = {f"rule-{i}": "1" for i in range(len(RULE_KEYS))}
    response = client.post("/admin/portfolio/pointsrule/", {**values, "rule-0": "9"})

    assert response.status_code == 302
    assert PointsRule.objects.get(municipality=municipality, criterion="program").points == 9
    assert not PointsRule.objects.filter(municipality=other_municipality).exists()
    refused = client.post("/admin/portfolio/pointsrule/", {**values, "rule-0": "-1"})
    assert refused.status_code == 422 and "Целое число от 0 до 100." in refused.content.decode()


def test_curator_lists_only_own_visits_and_records(pair, mentor, curator, other_curator):
    services.record_visit(pair, mentee=pair.mentees.get(),
                          date=datetime.date.today() - datetime.timedelta(days=1),
                          school_class="5", subject="Чтение", answers=map_answers(),
                          by=mentor.user)
    services.add_achievement(mentor, kind="project", level="school", title="Проект «Старт»",
                             date=datetime.date(2027, 1, 1),
                             evidence_url="https://school.example/p")
    for url, text in (("/admin/portfolio/observationvisit/", "Чтение"),
                      ("/admin/portfolio/achievement/", "Проект «Старт»")):
        assert text in signed_in(curator).get(url).content.decode()
        assert text not in signed_in(other_curator).get(url).content.decode()
