"""A curator in Chromium reads the indicators of a period, opens a list behind a figure and
downloads the «отчёт куратора»; the page passes the accessibility check."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from participants import roles
from tests.indicators.conftest import build_world, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups a data migration made; a flush by an earlier transactional test removes
    them."""
    for role in (roles.CURATOR, roles.MENTOR, roles.PARTICIPANT):
        Group.objects.get_or_create(name=role)


@pytest.fixture
def page(desktop):
    page = desktop.new_page()
    yield page
    page.close()


def test_curator_chooses_a_period_reads_a_list_and_downloads_the_report(
        page, live_server, municipality, shot, assert_accessible, tmp_path):
    build_world(municipality)
    curator = staff_user("indicators-e2e", municipality)
    page.goto(f"{live_server.url}/login/?next=/indicators/")
    page.get_by_label("Имя пользователя").fill(curator.username)
    page.get_by_label("Пароль").fill("pass-12345")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("h1")).to_have_text("Показатели наставничества")

    page.get_by_label("С", exact=True).fill("2026-01-01")
    page.get_by_label("По", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator(".facts")).to_contain_text("01.01.2026 – 31.03.2026")
    expect(page.locator("figure.chart svg")).to_have_count(4)  # with the hardest topics
    assert_accessible(page)
    shot(page, "indicators")

    page.get_by_text("Доля педагогов в наставнических парах, группах, сообществах — 5 из 7").click()
    expect(page.get_by_text("Громова Мария Петровна — МБОУ СОШ B, наставляемый")).to_be_visible()
    # The other lists stay folded until asked for.
    expect(page.get_by_text("Громова Мария Петровна — МБОУ СОШ B", exact=True)).to_be_hidden()

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать отчёт куратора, PDF").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == "indicators-20260101-20260331.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
