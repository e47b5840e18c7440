"""Flash-mentoring choices and the curator's matching pages in Chromium: forms work without
JavaScript, pages pass axe."""

import pytest

from participants import roles
from participants.models import MentoringGroup
from planning.matching import services
from planning.models import FlashChoice
from tests.e2e.session import sign_in, user_with_role
from tests.planning.fixtures import meeting, participant, school  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(municipality):
    return user_with_role("curator-e2e", roles.CURATOR, municipality)


@pytest.fixture
def opened(meeting, staff):  # noqa: F811
    event, young = meeting
    services.open_flash_choices(event, by=staff)
    return event, young


def test_participant_orders_mentors_without_javascript(
        no_js, live_server, opened, school, shot):  # noqa: F811
    event, (zaytseva, _ilyina) = opened
    me = participant(event, zaytseva)
    broad, near = participant(event, school["broad"]), participant(event, school["near"])
    page = no_js.new_page()
    page.goto(f"{live_server.url}/flash/{me.token}/")
    assert page.locator("h1").inner_text() == "С кем вы хотели бы продолжить"
    page.select_option(f"#rank_{near.pk}", "1")
    page.select_option(f"#rank_{broad.pk}", "2")
    page.check("input[name='consent']")
    shot(page, "choices")
    page.click("button[type='submit']")
    assert "Выбор сохранён" in page.locator(".messages").inner_text()
    assert list(FlashChoice.objects.filter(chooser=me).values_list("chosen_id", flat=True)) == [
        near.pk, broad.pk]
    assert page.locator(f"#rank_{near.pk}").input_value() == "1"


def test_choice_page_is_accessible(context, live_server, opened, assert_accessible):
    event, (zaytseva, _ilyina) = opened
    page = context.new_page()
    page.goto(f"{live_server.url}/flash/{participant(event, zaytseva).token}/")
    assert_accessible(page)


def test_curator_forms_pairs_from_suggestions_and_flash_results(
        desktop, live_server, opened, school, staff, shot, assert_accessible):  # noqa: F811
    event, (zaytseva, _ilyina) = opened
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    services.record_flash_choices(broad, [z.pk], consent=True)
    services.record_flash_choices(z, [broad.pk], consent=True)
    sign_in(desktop, staff, live_server)
    page = desktop.new_page()
    page.goto(f"{live_server.url}/planning/mentors/")
    assert_accessible(page)
    # The answers of one named difficulty round: the list stays on it after forming a pair.
    page.select_option("#round", index=1)
    page.get_by_role("button", name="Показать").click()
    assert "round=" in page.url
    assert "1 из 3 мест занято" in page.content()
    page.get_by_role("button", name="Сформировать пару с наставником Власова").first.click()
    assert "Пара сформирована" in page.locator(".messages").inner_text()
    assert "round=" in page.url
    shot(page, "suggestions")
    page.goto(f"{live_server.url}/planning/flash/{event.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Подтвердить пару").click()
    assert "Пара сформирована" in page.locator(".messages").inner_text()
    shot(page, "flash")
    assert MentoringGroup.objects.filter(mentor=school["broad"],
                                         memberships__mentee=zaytseva).exists()
    assert MentoringGroup.objects.filter(mentor=school["near"]).count() == 1
