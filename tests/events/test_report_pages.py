"""Pages of attendance reports: who sees which, the period, closing the sheet, «Мой кабинет»."""

import pytest

from events.models import SheetClosure
from participants import roles
from tests.events import attendance_fixture
from tests.factories import make_user


def _text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def school(municipality):
    return attendance_fixture.build(municipality)


@pytest.fixture
def anna_user(school):
    user = make_user("anna", role=roles.PARTICIPANT)
    school.people["anna"].user = user
    school.people["anna"].save()
    return user


def test_program_page_shows_figures_matrix_and_file_links(client, curator, school):
    client.force_login(curator)

    response = client.get(f"/attendance/program/{school.program.pk}/?from=2026-03-01&to=2026-04-30")

    text = _text(response)
    assert response.status_code == 200
    assert "Посещаемость программы" in text
    assert "<dt>Период</dt><dd>01.03.2026 – 30.04.2026</dd>" in text
    assert "явка: <strong>54,5 %</strong>" in text
    assert "Участник × мероприятие" in text and "Дмитриева Дина Петровна" in text
    assert f"/attendance/program/{school.program.pk}.pdf?from=2026-03-01&amp;to=2026-04-30" in text


def test_period_that_ends_before_it_starts_is_explained(client, curator, school):
    client.force_login(curator)

    response = client.get(f"/attendance/program/{school.program.pk}/?from=2026-05-01&to=2026-04-01")

    assert response.status_code == 422
    assert "Начало периода позже его конца." in _text(response)


def test_other_municipality_gets_404_and_participant_403(client, other_curator, anna_user, school):
    client.force_login(other_curator)
    assert client.get(f"/attendance/program/{school.program.pk}/").status_code == 404
    assert client.get(f"/attendance/event/{school.events['e1'].pk}/").status_code == 404
    client.force_login(anna_user)
    assert client.get(f"/attendance/program/{school.program.pk}/").status_code == 403
    assert client.get(f"/attendance/person/{school.people['vera'].pk}/").status_code == 404


def test_participant_reaches_own_report_from_the_cabinet(client, anna_user, school):
    client.force_login(anna_user)
    anna = school.people["anna"]

    cabinet = _text(client.get("/cabinet/"))
    page = client.get(f"/attendance/person/{anna.pk}/")

    assert f'href="/attendance/person/{anna.pk}/"' in cabinet
    assert page.status_code == 200
    assert "Мастер-класс" in _text(page)
    assert "академических часов: <strong>5</strong>" in _text(page)
    assert client.get(f"/attendance/person/{anna.pk}.pdf").content.startswith(b"%PDF")
    assert client.get("/attendance/").url == f"/attendance/person/{anna.pk}/"


def test_curator_closes_the_sheet_from_the_event_report(client, curator, school):
    event = school.events["e1"]
    client.force_login(curator)
    assert "Закрыть лист посещаемости" in _text(client.get(f"/attendance/event/{event.pk}/"))

    response = client.post(f"/attendance/event/{event.pk}/close/", follow=True)

    assert SheetClosure.objects.get(event=event).closed_by == curator
    text = _text(response)
    assert "Лист закрыт:" in text and "Закрыть лист посещаемости" not in text


def test_index_lists_programs_tracks_and_events(client, curator, school):
    client.force_login(curator)

    text = _text(client.get("/attendance/"))

    assert "Мастер-мастеру" in text and "1 трек: «Подходы и практики»" in text
    assert "Открытый урок" in text and "Отменённый семинар" not in text


def test_program_page_draws_charts_by_month_and_school_as_svg(client, curator, school):
    client.force_login(curator)
    response = client.get(f"/attendance/program/{school.program.pk}/")
    html = response.content.decode()
    months = html[html.index('aria-label="Посещений по месяцам"'):]
    months = months[:months.index("</svg>")]
    assert "Март 2026" in months and "<rect" in months
    assert 'aria-label="Явка по школам"' in html
    assert "<script" not in html and "style=" not in html  # the strict CSP lets it through


def test_event_page_chart_leaves_out_the_total_row(client, curator, school):
    client.force_login(curator)
    html = client.get(f"/attendance/event/{school.events['e1'].pk}/").content.decode()
    chart = html[html.index('aria-label="Присутствовали по школам"'):]
    assert "Итого" not in chart[:chart.index("</svg>")]
