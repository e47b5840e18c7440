"""In Chromium: a mentor records a lesson visit on the observation map, reads it in the pair's
history, adds a contest with a proof file to the portfolio; the curator reads the points summary.
Each page passes the accessibility check."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from participants import roles
from participants.models import MentorProfile
from portfolio.services import observation_map
from tests.factories import MenteeRecordFactory, MentoringGroupFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)
TEMPLATE = importlib.import_module("portfolio.migrations.0002_observation_map_template")


@pytest.fixture(autouse=True)
def migrated_data(transactional_db):
    """Role groups and the shipped map that data migrations made; an earlier transactional
    test's flush removes them."""
    for role in (roles.CURATOR, roles.MENTOR, roles.PARTICIPANT):
        Group.objects.get_or_create(name=role)
    TEMPLATE.create(apps, None)


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def _sign_in(page, url, user):
    page.goto(f"{url}/login/?next=/cabinet/")
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill("pass-12345")
    page.get_by_role("button", name="Войти").click()


def test_mentor_records_a_visit_adds_a_contest_and_the_curator_reads_the_points(
        page, live_server, municipality, shot, assert_accessible, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    mentor_user = make_user("e2e-mentor", role=roles.MENTOR, municipality=municipality)
    mentor = mentor_user.person
    MentorProfile.objects.create(person=mentor)
    mentee = MenteeRecordFactory(person__municipality=municipality,
                                 person__last_name="Молодых").person
    pair = MentoringGroupFactory(municipality=municipality, mentor=mentor, mentees=[mentee])
    criteria = list(observation_map(municipality).questions.order_by("position"))

    _sign_in(page, live_server.url, mentor_user)
    page.get_by_role("link", name="Посещения уроков: пара с наставником").click()
    page.get_by_role("link", name="Записать посещение").click()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Дата").fill(yesterday.isoformat())
    page.get_by_label("Класс").fill("5 «Б»")
    page.get_by_label("Предмет").fill("Математика")
    for question in criteria:
        if question.kind == "scale5":
            page.locator(f"label[for='q{question.pk}-4']").first.click()
    recommendations = next(q for q in criteria if q.code == "recommendations")
    page.fill(f"textarea[name='q{recommendations.pk}']", "Продумать этап рефлексии 🙂")
    assert_accessible(page)
    shot(page, "map")
    page.get_by_role("button", name="Записать посещение").click()

    expect(page.get_by_role("status")).to_contain_text("Посещение записано.")
    expect(page.locator("table")).to_contain_text("Продумать этап рефлексии 🙂")
    expect(page.locator("table")).to_contain_text("Математика, 5 «Б»")
    assert_accessible(page)
    shot(page, "history")

    page.goto(f"{live_server.url}/portfolio/{mentor.pk}/")
    page.get_by_label("Вид").select_option("contest")
    page.get_by_label("Уровень").select_option("regional")
    page.get_by_label("Название").fill("Краевой конкурс «Учитель года»")
    page.get_by_label("Дата").fill(yesterday.isoformat())
    proof = tmp_path / "диплом.pdf"
    proof.write_bytes(b"%PDF-1.4 diploma")
    page.get_by_label("Файл подтверждения").set_input_files(str(proof))
    page.get_by_role("button", name="Добавить").click()
    expect(page.get_by_role("status")).to_contain_text("Запись добавлена в портфолио.")
    expect(page.locator("main")).to_contain_text("Краевой конкурс «Учитель года»")
    expect(page.locator("main")).to_contain_text("Математика")
    assert_accessible(page)
    shot(page, "portfolio")

    curator = make_user("e2e-curator", role=roles.CURATOR, municipality=municipality)
    page.context.clear_cookies()
    _sign_in(page, live_server.url, curator)
    page.goto(f"{live_server.url}/points/")
    expect(page.locator("main")).to_contain_text(mentor.full_name)
    assert_accessible(page)
    shot(page, "points")
    assert pair.observation_visits.count() == 1
