"""A curator reads the plan's execution report in Chromium and narrows it to a period."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from events.plan import importing
from participants import roles
from tests.events.plan import spassky
from tests.factories import MunicipalityFactory, PersonFactory, ProgramFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def program_and_curator(db):
    Group.objects.get_or_create(name=roles.CURATOR)  # a flushed database lost the migration's
    municipality = MunicipalityFactory(name="Спасский муниципальный район")
    for last, first, patronymic in spassky.PEOPLE:
        PersonFactory(municipality=municipality, last_name=last, first_name=first,
                      patronymic=patronymic)
    program = ProgramFactory(municipality=municipality, name="Комплексный план 2022–2023",
                             start_date=datetime.date(2022, 8, 1),
                             end_date=datetime.date(2023, 6, 30))
    importing.apply_import(program, spassky.docx_bytes(), "plan.docx")
    return program, make_user("e2e-curator", role=roles.CURATOR, municipality=municipality)


def test_curator_narrows_the_report_to_december(desktop, live_server, program_and_curator, shot,
                                                assert_accessible):
    program, curator = program_and_curator
    client = Client()
    client.force_login(curator)
    desktop.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = desktop.new_page()

    page.goto(f"{live_server.url}/plan/programs/{program.pk}/report/")
    assert page.locator("table.report tbody tr").count() == 16
    assert_accessible(page)
    shot(page, "whole-plan")
    page.fill("#report-start", "2022-12-01")
    page.fill("#report-end", "2022-12-31")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**start=2022-12-01**")

    numbers = page.locator("table.report tbody tr td:first-child").all_inner_texts()
    assert numbers == ["6", "7", "8"]
    assert "start=2022-12-01" in page.get_by_role("link", name="Скачать PDF").get_attribute(
        "href")
    shot(page, "december")
