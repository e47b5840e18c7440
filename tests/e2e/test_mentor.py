"""A mentor at the door with a phone: marks attendance, adds a walk-in, shows the check-in code;
a teacher checks in with it. Also the tap targets of the header and back links."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Attendance
from participants import roles
from tests.e2e.session import sign_in, user_with_role
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    PersonFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

MIN_TAP = 44


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Ханкайский муниципальный округ")


@pytest.fixture
def running(municipality):
    now = timezone.now()
    return EventFactory(municipality=municipality, title="Мастер-класс «Современный урок»",
                        starts_at=now - datetime.timedelta(minutes=10),
                        ends_at=now + datetime.timedelta(hours=1))


def test_mentor_marks_attendance_adds_a_walk_in_and_a_teacher_checks_in_with_the_code(
        context, browser, browser_context_args, live_server, settings, municipality, running,
        shot, assert_accessible):
    settings.SITE_URL = live_server.url  # the QR code leads to this server
    mentor = user_with_role("mentor", roles.MENTOR, municipality)
    teachers = [user_with_role(name, roles.PARTICIPANT, municipality)
                for name in ("anna", "boris")]
    for teacher in teachers:
        RegistrationFactory(event=running, person=teacher.person)
    guest = PersonFactory(municipality=municipality, last_name="Гостева", first_name="Вера")
    page = context.new_page()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("mentor")
    page.get_by_label("Пароль").fill("pass-12345")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("h1")).to_have_text("Ближайшие мероприятия")
    page.goto(f"{live_server.url}/events/{running.pk}/")
    page.get_by_role("link", name="Лист посещаемости").click()
    assert_accessible(page)
    shot(page, "sheet")

    anna = teachers[0].person
    page.get_by_role("button", name=f"Отметить присутствие: {anna.full_name}").click()
    row = page.locator(f"#p{anna.pk}")
    expect(row).to_contain_text("Присутствует")
    assert Attendance.objects.get(event=running, person=anna).marked_by == mentor
    shot(page, "marked")

    page.get_by_label("Фамилия, имя или e-mail").fill("гостева")
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("button", name=f"Отметить присутствие: {guest.full_name}").click()
    expect(page.locator(".sheet").first).to_contain_text("Пришли без записи")
    walk_in = Attendance.objects.get(event=running, person=guest)
    assert walk_in.is_walk_in and walk_in.present
    assert_accessible(page)
    shot(page, "walk-in")

    page.goto(f"{live_server.url}/events/{running.pk}/")
    page.get_by_role("link", name="Экран отметки (код и QR)").click()
    code = page.locator(".code").inner_text().strip()
    assert code == running.checkin_code
    box = page.locator(".qr-box svg").bounding_box()
    assert box["width"] >= 200 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_accessible(page)
    shot(page, "checkin-screen")

    other = browser.new_context(**browser_context_args)
    sign_in(other, teachers[1], live_server)
    phone = other.new_page()
    phone.goto(page.locator(".checkin-screen .url").inner_text().strip())  # what the QR holds
    assert phone.get_by_label("Код с экрана в зале").input_value() == code
    phone.goto(f"{live_server.url}/events/{running.pk}/")
    phone.get_by_role("link", name="Отметиться: я на месте").click()
    phone.get_by_label("Код с экрана в зале").fill(code)
    assert_accessible(phone)
    shot(phone, "teacher-code")
    phone.get_by_role("button", name="Я на месте").click()
    expect(phone.get_by_role("status")).to_contain_text("Вы отмечены на мероприятии")
    checked = Attendance.objects.get(event=running, person=teachers[1].person)
    assert checked.present and checked.self_checked_in
    shot(phone, "teacher-checked-in")
    other.close()


def test_header_and_back_links_are_at_least_44_px_on_a_phone(
        context, live_server, municipality, running):
    teacher = user_with_role("anna", roles.PARTICIPANT, municipality)
    sign_in(context, teacher, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{running.pk}/")

    targets = page.locator(".site-header a, .site-header button, .back a")
    assert targets.count() >= 5
    for index in range(targets.count()):
        target = targets.nth(index)
        box = target.bounding_box()
        label = target.inner_text()
        assert box["height"] >= MIN_TAP and box["width"] >= MIN_TAP, (label, box)
