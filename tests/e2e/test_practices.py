"""A mentor packages a finished personal program into a practice, attaches a file, submits it;
the curator accepts it at the school and then the municipal level; it appears in the public bank
for a visitor who is not signed in."""

import datetime

import pytest
from playwright.sync_api import expect

from participants import roles
from participants.models import PersonalProgram, PlanItem
from practices.models import Practice
from tests.e2e.session import sign_in, user_with_role
from tests.factories import MenteeRecordFactory, MentoringGroupFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Спасский муниципальный район")


def test_mentor_packages_submits_curator_accepts_and_it_is_in_the_public_bank(
        context, desktop, browser, browser_context_args, live_server, municipality, settings,
        tmp_path, shot, assert_accessible):
    settings.MEDIA_ROOT = tmp_path / "media"
    mentor = user_with_role("mentor", roles.MENTOR, municipality)
    curator = user_with_role("curator", roles.CURATOR, municipality)
    mentee = MenteeRecordFactory(person__municipality=municipality).person
    group = MentoringGroupFactory(municipality=municipality, mentor=mentor.person,
                                  mentees=[mentee], start_date=datetime.date(2025, 9, 1))
    program = PersonalProgram.objects.create(
        group=group, goal="Адаптация молодого учителя начальных классов",
        start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 5, 31),
        expected_result="Открытый урок")
    PlanItem.objects.create(program=program, title="Взаимопосещение уроков", is_done=True)
    sheet = tmp_path / "лист наблюдений.pdf"
    sheet.write_bytes(PDF)

    # The mentor, on a phone.
    sign_in(context, mentor, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}/practices/")
    assert_accessible(page)
    page.get_by_role("button", name="Упаковать в практику: Адаптация молодого учителя").click()
    expect(page.locator("h1")).to_have_text("Адаптация молодого учителя начальных классов")
    page.get_by_label("Содержание практики (формы, способы, события)").fill(
        "Коуч-сессии, взаимопосещение уроков, открытый урок.")
    page.get_by_role("button", name="Сохранить карту").click()
    expect(page.locator(".messages")).to_contain_text("Информационная карта сохранена")
    page.get_by_label("Вид материала").select_option("observation")
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="Приложить").click()
    expect(page.locator(".messages")).to_contain_text("Материал добавлен")
    assert_accessible(page)
    shot(page, "attached")
    page.get_by_role("button", name="Подать на рассмотрение").click()
    expect(page.locator(".messages")).to_contain_text("школьный уровень")
    practice = Practice.objects.get()
    assert practice.status == "submitted" and practice.materials.count() == 1

    # The curator, at a laptop: school level, recommended on, then the municipal level.
    sign_in(desktop, curator, live_server)
    review = desktop.new_page()
    review.goto(f"{live_server.url}/practices/review/")
    assert_accessible(review)
    review.get_by_role("link", name="Адаптация молодого учителя начальных классов").click()
    expect(review.get_by_role("heading", name="Решение: школьный уровень")).to_be_visible()
    review.get_by_label("Рекомендовать на следующий уровень").check()
    review.get_by_role("button", name="Принять").click()
    expect(review.get_by_role("heading", name="Решение: муниципальный уровень")).to_be_visible()
    review.get_by_role("button", name="Принять").click()
    expect(review.locator(".messages")).to_contain_text("Практика принята: муниципальный")
    shot(review, "accepted")
    practice.refresh_from_db()
    assert practice.accepted_level == "municipal"

    # A visitor without an account.
    visitor = browser.new_context(**browser_context_args)
    bank = visitor.new_page()
    bank.goto(f"{live_server.url}/bank/{municipality.pk}/?level=municipal")
    assert_accessible(bank)
    bank.get_by_role("link", name="Адаптация молодого учителя начальных классов").click()
    expect(bank.locator("h1")).to_have_text("Адаптация молодого учителя начальных классов")
    expect(bank.get_by_role("link", name="лист наблюдений.pdf")).to_be_visible()
    assert "mentor@example.org" not in bank.content()  # no consent given
    assert_accessible(bank)
    shot(bank, "public")
    visitor.close()
