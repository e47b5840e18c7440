"""The indicators page: figures, server-drawn charts under the strict CSP, files, scoping."""

import re

import pytest
from django.test import Client

from participants import roles
from tests.indicators.conftest import build_world, staff_user

URL = "/indicators/"
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
def site(indicator_curator):
    client = Client()
    client.force_login(indicator_curator)
    return client


def test_page_shows_figures_lists_and_svg_charts_without_scripts(site, world, elsewhere):
    response = site.get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Доля школ, внедривших целевую модель наставничества" in html
    assert "50,0\u00a0%" in html and "+25,0\u00a0п. п." in html
    assert html.count("<svg") == 3  # indicators, attendance by month, satisfaction by event
    assert "<script" not in html and "style=" not in html
    assert "Аксёнова Мария Петровна" in html
    assert "-БК" not in html  # nothing of the other municipality
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'href="/indicators.pdf?from=2026-01-01&amp;to=2026-03-31"' in html


def test_user_text_in_a_chart_is_escaped(site, world):
    world.events[0].title = '<script>alert(1)</script>'
    world.events[0].save()
    html = site.get(URL, PERIOD).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_upside_down_period_is_refused_with_a_message(site, world):
    response = site.get(URL, {"from": "2026-03-31", "to": "2026-01-01"})
    assert response.status_code == 400
    assert "Начало периода позже его конца." in response.content.decode()


def test_mentor_is_forbidden(municipality, world):
    client = Client()
    client.force_login(staff_user("indicator-mentor", municipality, role=roles.MENTOR))
    assert client.get(URL).status_code == 403


def test_curator_has_the_link(site):
    assert 'href="/indicators/"' in site.get("/evaluation/").content.decode()


@pytest.mark.parametrize("fmt, starts", [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_files_download(site, world, fmt, starts):
    response = site.get(f"/indicators.{fmt}", PERIOD)
    assert response.status_code == 200
    assert response.content.startswith(starts)
    assert "indicators-20260101-20260331" in response["Content-Disposition"]


def test_page_query_count_does_not_grow(site, municipality, world, django_assert_num_queries):
    site.get(URL, PERIOD)  # warm the session and the role caches the same way each time
    with django_assert_num_queries(QUERIES):
        site.get(URL, PERIOD)
    build_world(municipality, mark="-2")
    with django_assert_num_queries(QUERIES):
        html = site.get(URL, PERIOD).content.decode()
    assert re.search(r"4 из 8", html)


QUERIES = 18
