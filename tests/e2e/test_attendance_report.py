"""A curator opens the program attendance report at a laptop and on a phone, downloads the PDF."""

import pytest

from participants import roles
from tests.e2e.session import sign_in, user_with_role
from tests.events import attendance_fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def curator(municipality):
    return user_with_role("report-curator", roles.CURATOR, municipality)


@pytest.fixture
def report_url(municipality):
    fixture = attendance_fixture.build(municipality)
    return f"/attendance/program/{fixture.program.pk}/"


def test_curator_reads_the_program_report_and_downloads_its_pdf(
        desktop, context, live_server, curator, report_url, shot, assert_accessible):
    for chosen in (desktop, context):
        sign_in(chosen, curator, live_server)
        page = chosen.new_page()
        page.goto(f"{live_server.url}{report_url}")
        assert page.locator("h1").inner_text() == "Посещаемость программы"
        assert page.get_by_role("region", name="Посещаемость по школам").is_visible()
        assert_accessible(page)
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= \
            page.evaluate("document.documentElement.clientWidth")
        shot(page, "report")

    page.fill("#period-from", "2026-04-01")
    page.fill("#period-to", "2026-04-30")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**from=2026-04-01**")
    assert "Открытый урок" in page.locator("#events").inner_text()
    assert "Мастер-класс" not in page.locator("#events").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert download.value.suggested_filename.endswith(".pdf")
