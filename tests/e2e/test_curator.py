"""A curator at a laptop in Chromium: signs in with a password and gets the evaluation forms.

The curator follows the staff link from the sign-in page a protected address sent them to; the
address they asked for must survive the detour. Then the round's form opens and its PDF and
XLSX download, Russian inside.
"""

import re
import shutil
import subprocess

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from playwright.sync_api import expect

from participants import roles

pytestmark = pytest.mark.django_db(transaction=True)
pytest_plugins = ["tests.surveys.evaluation.fixtures"]

PASSWORD = "pass-12345"  # tests.factories.make_user's default


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups a data migration made: the flush after an earlier transactional test
    removes them (and serialized_rollback does not bring them back after every such test)."""
    for role in (roles.CURATOR, roles.MENTOR, roles.PARTICIPANT):
        Group.objects.get_or_create(name=role)


@pytest.fixture
def page(desktop):
    page = desktop.new_page()
    yield page
    page.close()


def sign_in(page, username):
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_curator_signs_in_by_password_from_the_staff_link_and_lands_where_asked(
        page, live_server, curator, small_round, shot, assert_accessible):
    page.goto(f"{live_server.url}/evaluation/")
    expect(page).to_have_url(re.compile(r"/signin/\?next=/evaluation/$"))
    assert_accessible(page)
    shot(page, "signin")

    page.get_by_role("link", name="вход по паролю").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=/evaluation/$"))
    assert_accessible(page)
    shot(page, "password-login")
    sign_in(page, curator.username)

    expect(page).to_have_url(f"{live_server.url}/evaluation/")
    expect(page.locator("h1")).to_have_text("Оценочные листы")
    assert_accessible(page)
    shot(page, "evaluation-index")


def test_curator_downloads_the_round_form_as_pdf_and_xlsx(
        page, live_server, curator, small_round, shot, assert_accessible, tmp_path):
    page.goto(f"{live_server.url}/login/?next=/evaluation/")
    sign_in(page, curator.username)
    page.get_by_role("link", name=small_round.title).click()

    expect(page.locator("h1")).to_contain_text("Оценка семинара «Анализ урока»")
    assert "Доля оценок 4–5" in page.content()  # seven answers: above the k=5 threshold
    assert_accessible(page)
    shot(page, "round-form")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Скачать PDF").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "Оценочный лист: Оценка семинара «Анализ урока»" in text
        assert "Муниципалитет: Ханкайский муниципальный округ" in text
        assert "Доля оценок 4–5: 71,4 %" in text

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Скачать XLSX").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx)
    workbook = load_workbook(xlsx)  # by name: openpyxl judges a file by its extension
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None}
    assert any("Оценка семинара «Анализ урока»" in value for value in cells)
    assert "Оценивание результатов" in cells


def test_admin_is_russian_in_an_english_browser_and_keeps_next(
        browser, browser_context_args, live_server, curator, shot, assert_accessible):
    context = browser.new_context(**{**browser_context_args, "locale": "en-US",
                                     "viewport": {"width": 1366, "height": 900},
                                     "is_mobile": False, "has_touch": False})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/evaluation/")
        page.get_by_role("link", name="вход в управление").click()
        expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.get_by_role("button", name="Войти")).to_be_visible()
        assert "Log in" not in page.content()
        assert_accessible(page)
        shot(page, "admin-login-en-browser")

        sign_in(page, curator.username)
        expect(page).to_have_url(f"{live_server.url}/evaluation/")
        page.goto(f"{live_server.url}/admin/")
        assert "Site administration" not in page.content()
        assert_accessible(page)
        shot(page, "admin-index")
    finally:
        context.close()
