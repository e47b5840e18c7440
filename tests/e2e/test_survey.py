"""A teacher answers a questionnaire in Chromium, with JavaScript on and off.

The test client sends no Origin header, so only a browser shows whether Django's CSRF check
accepts the page's own form: with `Referrer-Policy: no-referrer` Chromium posts `Origin: null`
and every answer was refused with 403.
"""

import pytest

from surveys.models import Invitation, Response
from tests.factories import MunicipalityFactory, PersonFactory
from tests.surveys.conftest import make_questionnaire, make_round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["js", "no_js"])
def survey_page(request, context, no_js):
    """A phone page with JavaScript on, then the same with `java_script_enabled=False`."""
    chosen = context if request.param == "js" else no_js
    page = chosen.new_page()
    page.js = request.param == "js"
    yield page
    page.close()


@pytest.fixture
def invitation(db):
    municipality = MunicipalityFactory(name="Ханкайский муниципальный округ")
    person = PersonFactory(municipality=municipality)
    round = make_round(make_questionnaire(), [person])
    return Invitation.objects.get(round=round, person=person)


def fields(invitation):
    return {q.kind: q for q in invitation.round.questionnaire.questions.all()}


def pick(page, input_id):
    page.locator(f"label[for='{input_id}']").first.click()


def answer_all_but_scale5(page, q):
    pick(page, f"q{q['scale10'].pk}-8")
    pick(page, f"q{q['single'].pk}-0")
    pick(page, f"q{q['multiple'].pk}-0")
    pick(page, f"q{q['multiple'].pk}-2")
    page.fill(f"textarea[name='q{q['text'].pk}']", "Нужна помощь с «анализом урока» 😊")
    page.fill(f"input[name='q{q['number'].pk}']", "2,5")
    for topic in q["matrix"].topics.all():
        pick(page, f"q{q['matrix'].pk}-t{topic.pk}-4")


def test_teacher_answers_every_kind_fixes_a_missing_answer_and_edits(
        survey_page, live_server, invitation, shot, assert_accessible):
    page, q = survey_page, fields(invitation)
    # axe-core runs as a script: the same pages are checked in the JavaScript variant.
    check = assert_accessible if page.js else (lambda page: None)
    url = f"{live_server.url}/s/{invitation.token}/"
    page.goto(url)
    check(page)
    shot(page, "form")
    answer_all_but_scale5(page, q)
    page.get_by_role("button", name="Отправить").click()

    summary = page.get_by_role("alert")
    assert "Проверьте ответы" in summary.inner_text()
    assert "Вопрос 1" in summary.inner_text()
    assert page.input_value(f"textarea[name='q{q['text'].pk}']") == \
        "Нужна помощь с «анализом урока» 😊"
    assert page.is_checked(f"#q{q['multiple'].pk}-2")
    check(page)
    shot(page, "missing-answer")

    pick(page, f"q{q['scale5'].pk}-5")
    page.get_by_role("button", name="Отправить").click()
    assert "Спасибо! Ваши ответы отправлены." in page.locator("h1").inner_text()
    check(page)
    shot(page, "thanks")
    assert Invitation.objects.get(pk=invitation.pk).answered_at is not None

    page.get_by_role("link", name="Изменить ответы").click()
    page.fill(f"textarea[name='q{q['text'].pk}']", "Изменила ответ")
    page.get_by_role("button", name="Сохранить изменения").click()
    assert "Спасибо!" in page.locator("h1").inner_text()
    response = Response.objects.get(round=invitation.round, submitted_at__isnull=False)
    texts = [a.text for a in response.answers.filter(question=q["text"])]
    assert texts == ["Изменила ответ"]


def test_teacher_saves_a_draft_and_resumes_it(survey_page, live_server, invitation, shot):
    page, q = survey_page, fields(invitation)
    url = f"{live_server.url}/s/{invitation.token}/"
    page.goto(url)
    pick(page, f"q{q['scale5'].pk}-2")
    page.fill(f"textarea[name='q{q['text'].pk}']", "Начало ответа")
    page.get_by_role("button", name="Сохранить черновик").click()
    assert "Черновик сохранён" in page.content()
    shot(page, "draft-saved")

    page.goto("about:blank")
    page.goto(url)
    assert page.input_value(f"textarea[name='q{q['text'].pk}']") == "Начало ответа"
    assert page.is_checked(f"#q{q['scale5'].pk}-2")
    assert Invitation.objects.get(pk=invitation.pk).answered_at is None


def test_a_stale_page_keeps_everything_typed_and_sends_on_the_second_press(
        context, live_server, invitation, shot):
    page, q = context.new_page(), fields(invitation)
    page.goto(f"{live_server.url}/s/{invitation.token}/")
    answer_all_but_scale5(page, q)
    pick(page, f"q{q['scale5'].pk}-3")
    context.clear_cookies()  # what a browser that lost its cookies (or a long pause) looks like
    page.get_by_role("button", name="Отправить").click()

    assert "Ответы ещё не сохранены" in page.get_by_role("alert").inner_text()
    assert page.input_value(f"textarea[name='q{q['text'].pk}']") == \
        "Нужна помощь с «анализом урока» 😊"
    assert page.is_checked(f"#q{q['scale5'].pk}-3")
    assert Invitation.objects.get(pk=invitation.pk).answered_at is None
    shot(page, "stale-kept")

    page.get_by_role("button", name="Отправить").click()
    assert "Спасибо! Ваши ответы отправлены." in page.locator("h1").inner_text()
