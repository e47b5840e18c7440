"""«Мой кабинет»: registrations, attendance and hours, questionnaires waiting, the calendar link."""

import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import Attendance, CalendarFeed, Registration
from participants import roles
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    SurveyRoundFactory,
    in_days,
    make_user,
)


def _text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def teacher(municipality):
    return make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)



def test_cabinet_sends_anonymous_visitor_to_signin(client, db):
    response = client.get("/cabinet/")

    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/cabinet/"


def test_cabinet_lists_registrations_attendance_and_hours(client, teacher, municipality):
    person = teacher.person
    upcoming = EventFactory(municipality=municipality, title="Будущий семинар")
    RegistrationFactory(event=upcoming, person=person)
    came = EventFactory(municipality=municipality, title="Был", starts_at=in_days(-10),
                        academic_hours=3)
    RegistrationFactory(event=came, person=person)
    Attendance.objects.create(event=came, person=person, present=True)
    missed = EventFactory(municipality=municipality, title="Не был", starts_at=in_days(-5),
                          academic_hours=4)
    RegistrationFactory(event=missed, person=person)
    walk_in = EventFactory(municipality=municipality, title="Без записи", starts_at=in_days(-2),
                           academic_hours="1.5")
    Attendance.objects.create(event=walk_in, person=person, present=True, is_walk_in=True)
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    for title in ("Будущий семинар", "Был", "Не был", "Без записи"):
        assert title in text
    assert "Посещено мероприятий: 2, академических часов: 4,5" in text


def test_cabinet_shows_feed_url_and_webcal_link(client, teacher, settings):
    settings.SITE_URL = "https://school.example"
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    token = CalendarFeed.objects.get(person=teacher.person).token
    assert f"https://school.example/calendar/{token}.ics" in text
    assert f'href="webcal://school.example/calendar/{token}.ics"' in text


def test_revoke_feed_issues_a_new_token(client, teacher):
    old = services.feed_for(teacher.person).token
    client.force_login(teacher)

    response = client.post("/cabinet/calendar/revoke/", follow=True)

    new = CalendarFeed.objects.get(person=teacher.person).token
    assert new != old
    assert new in _text(response) and old not in _text(response)


def test_cabinet_without_a_person_says_so(client, superuser):
    client.force_login(superuser)

    response = client.get("/cabinet/")

    assert response.status_code == 200
    assert "не связана с участником" in _text(response)




def test_cabinet_badges_avoid_gender(client, teacher, municipality):
    RegistrationFactory(event=EventFactory(municipality=municipality), person=teacher.person)
    RegistrationFactory(event=EventFactory(municipality=municipality, capacity=1),
                        person=teacher.person, status=Registration.Status.WAITLISTED)
    came = EventFactory(municipality=municipality, starts_at=in_days(-3))
    Attendance.objects.create(event=came, person=teacher.person, present=True)
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    assert "вы записаны" in text and "вы в листе ожидания" in text and "посещено" in text
    assert "(а)" not in text and ">записан<" not in text


# --- questionnaires waiting ----------------------------------------------------------------

def test_cabinet_lists_open_questionnaires_not_yet_submitted_with_their_links(
        client, teacher, municipality):
    now = timezone.now()
    waiting = InvitationFactory(person=teacher.person, round__municipality=municipality,
                                round__title="Оценка семинара «Анализ урока»")
    InvitationFactory(person=teacher.person, round__municipality=municipality,
                      round__title="Уже отвечен", answered_at=now)
    InvitationFactory(person=teacher.person, round__municipality=municipality,
                      round__title="Закрыт", round__opens_at=in_days(-20),
                      round__closes_at=in_days(-1))
    InvitationFactory(person=teacher.person, round__municipality=municipality,
                      round__title="Ещё не открыт", round__opens_at=in_days(2),
                      round__closes_at=in_days(9))
    SurveyRoundFactory(municipality=municipality, title="Не для меня")
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    assert "Оценка семинара «Анализ урока»" in text
    assert f'href="/s/{waiting.token}/"' in text
    assert "Ответить можно до" in text
    for title in ("Уже отвечен", "Закрыт", "Ещё не открыт", "Не для меня"):
        assert title not in text


def test_cabinet_without_waiting_questionnaires_says_so(client, teacher):
    client.force_login(teacher)

    assert "Сейчас анкет для вас нет." in _text(client.get("/cabinet/"))


def test_cabinet_lists_questionnaires_closing_first_first(client, teacher, municipality):
    for title, days in (("Позже", 20), ("Раньше", 3)):
        InvitationFactory(person=teacher.person, round__municipality=municipality,
                          round__title=title, round__closes_at=in_days(days))
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    assert text.index("Раньше") < text.index("Позже")


# --- calendar link -------------------------------------------------------------------------

def test_cabinet_is_never_cached_it_shows_secret_links(client, teacher):
    client.force_login(teacher)

    cache_control = client.get("/cabinet/")["Cache-Control"]

    assert "no-store" in cache_control and "private" in cache_control


def test_cabinet_calendar_link_has_a_copy_button_from_a_static_script_and_instructions(
        client, teacher):
    client.force_login(teacher)

    text = _text(client.get("/cabinet/"))

    # Hidden until the script runs; without it the read-only field stays selectable.
    assert '<button type="button" class="button secondary" data-copy="feed-url" hidden>' in text
    assert 'readonly value="' in text
    assert '<script src="/static/js/copy.js" defer></script>' in text
    for name in ("Google Календарь", "Яндекс Календарь", "Outlook", "iPhone"):
        assert f"<summary>{name}</summary>" in text


def test_cabinet_query_count_does_not_grow_with_questionnaires(
        client, teacher, municipality, django_assert_max_num_queries):
    services.feed_for(teacher.person)
    client.force_login(teacher)
    counts = []
    for _ in range(2):
        for _ in range(3):
            InvitationFactory(person=teacher.person, round__municipality=municipality)
            RegistrationFactory(event=EventFactory(municipality=municipality),
                                person=teacher.person)
        with django_assert_max_num_queries(20) as captured:
            client.get("/cabinet/")
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_cabinet_list_ignores_a_round_that_closed_a_moment_ago(client, teacher, municipality):
    InvitationFactory(person=teacher.person, round__municipality=municipality,
                      round__title="Только что закрыт", round__opens_at=in_days(-5),
                      round__closes_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(teacher)

    assert "Только что закрыт" not in _text(client.get("/cabinet/"))
