"""A teacher in Chromium on a phone: signs in by the e-mail link, registers, adds the event to a
calendar, cancels with a confirmation; a full seminar puts the next one on the waiting list."""

import pytest
from playwright.sync_api import expect

from events import services
from events.models import Registration
from participants import roles
from tests.e2e.session import sign_in, signin_link_from_mail, user_with_role
from tests.factories import (
    EventFactory,
    InvitationFactory,
    MunicipalityFactory,
    PersonFactory,
    in_days,
)

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Ханкайский муниципальный округ")


@pytest.fixture
def seminar(municipality):
    EventFactory(municipality=municipality, title="Открытый урок по физике",
                 starts_at=in_days(3, hour=1))
    return EventFactory(municipality=municipality, title="Семинар «Анализ урока»",
                        starts_at=in_days(9, hour=1), capacity=1)


def teacher_user(municipality, name):
    return user_with_role(name, roles.PARTICIPANT, municipality)


def test_teacher_signs_in_by_mail_registers_adds_to_calendar_and_cancels_after_confirming(
        context, live_server, settings, municipality, seminar, shot, assert_accessible):
    settings.SITE_URL = live_server.url  # links in mail lead to this server
    person = PersonFactory(municipality=municipality, email="anna@school.example")
    page = context.new_page()

    page.goto(f"{live_server.url}/signin/")
    assert_accessible(page)
    page.get_by_label("Ваш e-mail").fill("anna@school.example")
    page.get_by_role("button", name="Получить ссылку для входа").click()
    expect(page.locator("h1")).to_have_text("Проверьте почту")
    shot(page, "mail-sent")

    page.goto(signin_link_from_mail("anna@school.example"))
    assert_accessible(page)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("h1")).to_have_text("Мой кабинет")
    shot(page, "cabinet-empty")

    page.get_by_role("navigation").get_by_role("link", name="Мероприятия").click()
    expect(page.locator("h1")).to_have_text("Ближайшие мероприятия")
    assert_accessible(page)
    shot(page, "events")
    # On a phone the first screen shows the date, time, title, place and seats of a card.
    first = page.locator("li.event-card").first
    for part in (".when", ".title a", ".place", ".seats"):
        box = first.locator(part).bounding_box()
        assert box["y"] + box["height"] <= 844, part
    page.get_by_role("link", name="Семинар «Анализ урока»").click()
    assert_accessible(page)
    page.get_by_role("button", name="Записаться").click()
    expect(page.get_by_role("status")).to_contain_text("Вы записаны на мероприятие.")
    assert Registration.objects.get(event=seminar, person=person).status == CONFIRMED
    shot(page, "registered")

    ics = page.get_by_role("link", name="Добавить в календарь").get_attribute("href")
    answer = page.request.get(f"{live_server.url}{ics}")
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in answer.text() and "Анализ урока" in answer.text()

    page.get_by_role("navigation").get_by_role("link", name="Мой кабинет").click()
    mine = page.locator("li.card", has_text="Семинар «Анализ урока»")
    expect(mine).to_contain_text("вы записаны")
    assert_accessible(page)
    shot(page, "cabinet-registered")

    page.get_by_role("navigation").get_by_role("link", name="Мероприятия").click()
    expect(page.locator("h1")).to_have_text("Ближайшие мероприятия")
    expect(page.locator("li.card", has_text="Анализ урока")).to_contain_text("вы записаны")
    expect(page.locator("li.card", has_text="Открытый урок")).not_to_contain_text("вы записаны")
    shot(page, "events-marked")

    page.get_by_role("link", name="Семинар «Анализ урока»").click()
    page.get_by_role("link", name="Отменить запись").click()
    expect(page.locator("h1")).to_have_text("Отменить запись?")
    assert Registration.objects.get(event=seminar, person=person).status == CONFIRMED
    assert_accessible(page)
    shot(page, "cancel-confirm")
    page.get_by_role("button", name="Да, отменить запись").click()
    expect(page.get_by_role("status")).to_contain_text("Запись отменена.")
    assert Registration.objects.get(event=seminar, person=person).status == \
        Registration.Status.CANCELLED
    shot(page, "cancelled")


def test_a_mis_tap_on_cancel_keeps_the_seat_without_javascript(
        no_js, live_server, municipality, seminar, shot):
    user = teacher_user(municipality, "olga")
    services.register(seminar, user.person, by=user)
    sign_in(no_js, user, live_server)
    page = no_js.new_page()

    page.goto(f"{live_server.url}/events/{seminar.pk}/")
    page.get_by_role("link", name="Отменить запись").click()
    shot(page, "confirm")
    page.get_by_role("link", name="Нет, оставить запись").click()

    assert "Вы записаны." in page.content()
    assert Registration.objects.get(event=seminar, person=user.person).status == CONFIRMED


def test_a_full_seminar_waitlists_the_next_teacher_and_a_cancellation_promotes_her(
        context, browser, browser_context_args, live_server, municipality, seminar, shot,
        assert_accessible):
    first, second = teacher_user(municipality, "first"), teacher_user(municipality, "second")
    services.register(seminar, first.person, by=first)
    sign_in(context, second, live_server)
    page = context.new_page()

    page.goto(f"{live_server.url}/events/{seminar.pk}/")
    assert "мест нет" in page.content()
    page.get_by_role("button", name="Записаться").click()
    expect(page.get_by_role("status")).to_contain_text("вы в листе ожидания, место 1")
    expect(page.locator("main")).to_contain_text("Вы в листе ожидания, место 1.")
    assert Registration.objects.get(event=seminar, person=second.person).status == WAITLISTED
    page.get_by_role("navigation").get_by_role("link", name="Мой кабинет").click()
    expect(page.locator("li.card", has_text="Анализ урока")).to_contain_text("в листе ожидания")
    assert_accessible(page)
    shot(page, "waitlisted")

    other = browser.new_context(**browser_context_args)
    sign_in(other, first, live_server)
    first_page = other.new_page()
    first_page.goto(f"{live_server.url}/events/{seminar.pk}/cancel/")
    first_page.get_by_role("button", name="Да, отменить запись").click()
    expect(first_page.get_by_role("status")).to_contain_text("Запись отменена.")
    other.close()

    page.reload()
    expect(page.locator("li.card", has_text="Анализ урока")).to_contain_text("вы записаны")
    assert Registration.objects.get(event=seminar, person=second.person).status == CONFIRMED
    shot(page, "promoted")


def test_cabinet_copies_the_calendar_link_and_lists_a_waiting_questionnaire(
        context, no_js, live_server, municipality, shot, assert_accessible):
    user = teacher_user(municipality, "vera")
    invitation = InvitationFactory(person=user.person, round__municipality=municipality,
                                   round__title="Оценка семинара")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(context, user, live_server)
    page = context.new_page()

    page.goto(f"{live_server.url}/cabinet/")
    page.get_by_role("link", name="Оценка семинара").click()
    expect(page).to_have_url(f"{live_server.url}/s/{invitation.token}/")
    page.go_back()
    page.get_by_role("button", name="Скопировать").click()
    expect(page.locator("#copy-status")).to_contain_text("Ссылка скопирована")
    feed_url = page.locator("#feed-url").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    page.get_by_text("iPhone").click()
    assert page.get_by_text("Подписной календарь").is_visible()
    assert_accessible(page)
    shot(page, "copied")

    sign_in(no_js, user, live_server)
    plain = no_js.new_page()
    plain.goto(f"{live_server.url}/cabinet/")
    assert not plain.get_by_role("button", name="Скопировать").is_visible()
    assert plain.locator("#feed-url").input_value() == feed_url
    shot(plain, "without-js")
