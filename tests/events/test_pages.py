"""Server-rendered pages: events list and page, register and cancel, attendance sheet, check-in."""

import datetime
import re

import pytest
from django.utils import timezone

from events.formatting import format_when
from events.models import Attendance, Event, Registration
from participants import roles
from tests.factories import (
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    in_days,
    make_user,
)

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED


def _minutes(n):
    return timezone.now() + datetime.timedelta(minutes=n)


def _text(response):
    """The page as text with whitespace collapsed, so phrases survive template line breaks."""
    return " ".join(response.content.decode().split())


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def teacher(municipality):
    """A signed-in participant of the municipality, no staff role."""
    return make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality, title="Анализ урока",
                        starts_at=in_days(10, hour=5))


# --- list ----------------------------------------------------------------------------------

def test_event_list_shows_own_municipality_with_local_time_and_zone(
        client, teacher, municipality, other_municipality):
    EventFactory(municipality=municipality, title="Наш семинар",
                 starts_at=datetime.datetime(2099, 12, 12, 5, 0, tzinfo=datetime.UTC))
    EventFactory(municipality=other_municipality, title="Чужой семинар")
    client.force_login(teacher)

    text = _text(client.get("/events/"))

    assert "Наш семинар" in text
    assert "12 декабря, 15:00–17:00" in text
    # The zone and the municipality are named once above the cards, not on each of them.
    assert text.count("время местное (Владивосток, UTC+10)") == 1
    assert text.count("Ханкайский муниципальный округ") == 1
    assert "Декабрь 2099" in text
    assert "Чужой семинар" not in text


def test_event_list_is_in_date_order_by_month_even_for_an_english_browser(client, municipality):
    EventFactory(municipality=municipality, title="Второй", starts_at=in_days(40))
    EventFactory(municipality=municipality, title="Первый", starts_at=in_days(2))

    response = client.get("/events/", HTTP_ACCEPT_LANGUAGE="en")

    text = _text(response)
    assert text.index("Первый") < text.index("Второй")
    months = [month for month, _rows in response.context["months"]]
    assert len(months) == 2 and months[0].split()[0] in {
        "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
        "Октябрь", "Ноябрь", "Декабрь"}


def test_event_list_for_anonymous_shows_every_municipality_and_filters(
        client, municipality, other_municipality):
    EventFactory(municipality=municipality, title="Ханкайский семинар")
    EventFactory(municipality=other_municipality, title="Семинар в Большом Камне")

    everything = _text(client.get("/events/"))
    filtered = _text(client.get("/events/", {"municipality": other_municipality.pk}))

    assert "Ханкайский семинар" in everything and "Семинар в Большом Камне" in everything
    assert "Семинар в Большом Камне" in filtered and "Ханкайский семинар" not in filtered


def test_event_list_hides_events_that_ended(client, municipality):
    EventFactory(municipality=municipality, title="Прошедший", starts_at=in_days(-3))
    EventFactory(municipality=municipality, title="Будущий")

    text = _text(client.get("/events/"))

    assert "Будущий" in text and "Прошедший" not in text


def test_event_list_shows_cancelled_event_struck_through(client, municipality):
    EventFactory(municipality=municipality, title="Семинар снят",
                 status=Event.Status.CANCELLED)

    text = _text(client.get("/events/"))

    assert "<s>Семинар снят</s>" in text
    assert "Отменено" in text


def test_event_list_shows_seats_left(client, municipality):
    full = EventFactory(municipality=municipality, capacity=1)
    RegistrationFactory(event=full)
    EventFactory(municipality=municipality, capacity=20)

    text = _text(client.get("/events/"))

    assert "Свободно мест: 20 из 20" in text
    assert "Свободных мест нет — можно записаться в лист ожидания" in text
    assert "Мест мест" not in text and "Мест свободно" not in text


def test_event_list_names_the_municipality_on_cards_only_when_several_are_listed(
        client, municipality, other_municipality):
    EventFactory(municipality=municipality)
    EventFactory(municipality=municipality)
    EventFactory(municipality=other_municipality)

    everything = _text(client.get("/events/"))
    one = _text(client.get("/events/", {"municipality": municipality.pk}))

    assert everything.count("Ханкайский муниципальный округ") == 1 + 2  # filter option, cards
    assert one.count("Ханкайский муниципальный округ") == 1 + 1  # filter option, note


def test_event_list_marks_the_events_the_person_is_registered_for(
        client, teacher, municipality):
    mine = EventFactory(municipality=municipality, title="Мой семинар", capacity=1)
    RegistrationFactory(event=mine, person=teacher.person)
    waiting = EventFactory(municipality=municipality, title="Жду места", capacity=1)
    RegistrationFactory(event=waiting)
    RegistrationFactory(event=waiting, person=teacher.person, status=WAITLISTED)
    EventFactory(municipality=municipality, title="Чужой")
    client.force_login(teacher)

    rows = {row.event.title: row for _month, rows in client.get("/events/").context["months"]
            for row in rows}
    text = _text(client.get("/events/"))

    assert (rows["Мой семинар"].mine, rows["Жду места"].mine, rows["Чужой"].mine) == (
        CONFIRMED, WAITLISTED, "")
    assert text.count("вы записаны") == 1 and text.count("вы в листе ожидания") == 1


@pytest.mark.parametrize("size", [2, 6])
def test_event_list_query_count_does_not_grow_with_events(
        client, municipality, django_assert_num_queries, size):
    for _ in range(size):
        event = EventFactory(municipality=municipality, capacity=5)
        RegistrationFactory(event=event)

    with django_assert_num_queries(2):  # municipalities for the filter, events with counts
        response = client.get("/events/")

    assert response.content.decode().count('class="card event-card') == size


@pytest.mark.parametrize("size", [2, 6])
def test_event_list_query_count_for_signed_in_does_not_grow(
        client, teacher, municipality, django_assert_num_queries, size):
    for _ in range(size):
        EventFactory(municipality=municipality)
    client.force_login(teacher)

    # session, user, the user's municipality, events, the user's registrations
    with django_assert_num_queries(5):
        client.get("/events/")


def test_root_redirects_to_events(client, db):
    assert client.get("/")["Location"] == "/events/"


# --- event page, register, cancel ----------------------------------------------------------

def test_event_page_links_calendar_and_offers_registration(client, teacher, event):
    client.force_login(teacher)

    text = _text(client.get(f"/events/{event.pk}/"))

    assert f'href="/events/{event.pk}.ics"' in text
    assert "Записаться" in text
    assert "Лист посещаемости" not in text


def test_register_by_post_confirms_a_seat(client, teacher, event):
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/register/", follow=True)

    registration = Registration.objects.get(event=event, person=teacher.person)
    assert registration.status == CONFIRMED
    assert registration.created_by == teacher
    assert "Вы записаны на мероприятие." in _messages(response)
    assert "Отменить запись" in _text(response)


def test_register_when_full_shows_waitlist_place(client, teacher, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=WAITLISTED)
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/register/", follow=True)

    assert Registration.objects.get(event=event, person=teacher.person).status == WAITLISTED
    assert "место 2" in _messages(response)[0]
    assert "Вы в листе ожидания, место 2." in _text(response)


def test_cancel_asks_first_and_a_get_or_a_bare_post_keeps_the_seat(client, teacher, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    registration = RegistrationFactory(event=event, person=teacher.person)
    RegistrationFactory(event=event, status=WAITLISTED)
    client.force_login(teacher)

    asked = _text(client.get(f"/events/{event.pk}/cancel/"))
    posted = _text(client.post(f"/events/{event.pk}/cancel/"))

    for text in (asked, posted):
        assert "Отменить запись?" in text
        assert "Ваше место сразу получит следующий из листа ожидания" in text
        assert "Да, отменить запись" in text and "Нет, оставить запись" in text
    registration.refresh_from_db()
    assert registration.status == CONFIRMED
    page = _text(client.get(f"/events/{event.pk}/"))
    assert f'href="/events/{event.pk}/cancel/"' in page


def test_cancel_registration_by_post_with_confirmation(client, teacher, event):
    registration = RegistrationFactory(event=event, person=teacher.person)
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/cancel/", {"confirm": "yes"}, follow=True)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Запись отменена." in _messages(response)
    assert "Записаться" in _text(response)


def test_register_button_only_while_registration_is_open(client, teacher, municipality):
    opens = in_days(3)
    not_yet = EventFactory(municipality=municipality, registration_opens_at=opens)
    closed = EventFactory(municipality=municipality, registration_closes_at=in_days(-1))
    started = EventFactory(municipality=municipality, starts_at=_minutes(-5),
                           ends_at=_minutes(60))
    client.force_login(teacher)

    texts = {name: _text(client.get(f"/events/{event.pk}/"))
             for name, event in (("not_yet", not_yet), ("closed", closed), ("started", started))}

    for text in texts.values():
        assert ">Записаться<" not in text
    assert "Запись откроется " in texts["not_yet"]
    assert f"Запись откроется {format_when(opens, municipality.zone)}" in texts["not_yet"]
    assert "Запись закрыта." in texts["closed"]
    assert "Мероприятие уже началось, запись закрыта." in texts["started"]


def test_register_for_cancelled_event_shows_the_domain_error(client, teacher, municipality):
    event = EventFactory(municipality=municipality, status=Event.Status.CANCELLED)
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/register/", follow=True)

    assert response.status_code == 200
    assert "Мероприятие отменено." in _messages(response)
    assert not Registration.objects.filter(event=event).exists()


def test_register_in_another_municipality_shows_the_domain_error(
        client, teacher, other_municipality):
    event = EventFactory(municipality=other_municipality)
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/register/", follow=True)

    assert response.status_code == 200
    assert "Участник из другого муниципалитета." in _messages(response)


def test_register_sends_anonymous_visitor_to_signin(client, event):
    response = client.post(f"/events/{event.pk}/register/")

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")
    assert not Registration.objects.exists()


def test_register_refuses_get(client, teacher, event):
    client.force_login(teacher)

    assert client.get(f"/events/{event.pk}/register/").status_code == 405
    assert not Registration.objects.exists()


def test_event_page_shows_staff_links_to_staff_of_its_municipality(
        client, mentor_user, other_curator, event):
    client.force_login(mentor_user)
    assert "Лист посещаемости" in _text(client.get(f"/events/{event.pk}/"))

    client.force_login(other_curator)
    assert "Лист посещаемости" not in _text(client.get(f"/events/{event.pk}/"))


def test_event_page_of_cancelled_event_says_cancelled_and_offers_nothing(
        client, teacher, municipality):
    event = EventFactory(municipality=municipality, status=Event.Status.CANCELLED)
    client.force_login(teacher)

    text = _text(client.get(f"/events/{event.pk}/"))

    assert "Отменено" in text and f"<s>{event.title}</s>" in text
    assert "Записаться" not in text


def test_event_page_unknown_event_is_404(client, db):
    assert client.get("/events/999999/").status_code == 404


# --- attendance sheet ----------------------------------------------------------------------

def test_attendance_sheet_is_404_for_a_teacher_and_another_municipality(
        client, teacher, other_curator, event):
    client.force_login(teacher)
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 404

    client.force_login(other_curator)
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 404


def test_attendance_sheet_sends_anonymous_visitor_to_signin(client, event):
    response = client.get(f"/events/{event.pk}/attendance/")

    assert response["Location"].startswith("/signin/")


def test_attendance_sheet_lists_confirmed_then_waitlisted_with_counts(
        client, mentor_user, municipality):
    event = EventFactory(municipality=municipality, capacity=2)
    first = RegistrationFactory(event=event, person__last_name="Борисова")
    RegistrationFactory(event=event, person__last_name="Антонова")
    waiting = RegistrationFactory(event=event, status=WAITLISTED, person__last_name="Аксёнова")
    walk_in = PersonFactory(municipality=municipality, last_name="Гостева")
    Attendance.objects.create(event=event, person=first.person, present=True)
    Attendance.objects.create(event=event, person=walk_in, present=True, is_walk_in=True)
    client.force_login(mentor_user)

    response = client.get(f"/events/{event.pk}/attendance/")

    text = _text(response)
    assert text.index("Борисова") < text.index("Антонова") < text.index("Аксёнова")
    assert text.index("Аксёнова") < text.index("Гостева")
    # Before the event Антонова is not marked yet, not absent.
    assert response.context["counts"] == {
        "confirmed": 2, "waitlisted": 1, "present": 2, "absent": 0, "unmarked": 1,
        "walk_in": 1,
    }
    assert "<strong>1</strong> ещё не отмечены" in text
    assert f'id="p{waiting.person.pk}"' in text


def test_attendance_sheet_after_the_event_counts_the_unmarked_as_absent(
        client, curator, municipality):
    event = EventFactory(municipality=municipality, starts_at=in_days(-2))
    RegistrationFactory(event=event)
    came = RegistrationFactory(event=event)
    Attendance.objects.create(event=event, person=came.person, present=True)
    client.force_login(curator)

    counts = client.get(f"/events/{event.pk}/attendance/").context["counts"]

    assert (counts["present"], counts["absent"], counts["unmarked"]) == (1, 1, 0)


def test_attendance_sheet_of_a_future_event_says_when_marking_opens(
        client, mentor_user, event):
    RegistrationFactory(event=event)
    client.force_login(mentor_user)

    text = _text(client.get(f"/events/{event.pk}/attendance/"))

    assert "Отмечать посещаемость можно с" in text and "за 30 минут до начала" in text
    assert text.count("disabled") == 1


def test_marking_a_future_event_by_post_is_refused_with_the_reason(client, mentor_user, event):
    registration = RegistrationFactory(event=event)
    client.force_login(mentor_user)

    response = client.post(f"/events/{event.pk}/attendance/mark/",
                           {"person": registration.person.pk, "present": "true"}, follow=True)

    assert any("за 30 минут до начала" in m for m in _messages(response))
    assert not Attendance.objects.exists()


def test_after_the_event_only_the_curator_corrects_attendance(
        client, mentor_user, curator, municipality):
    event = EventFactory(municipality=municipality, starts_at=in_days(-1))
    registration = RegistrationFactory(event=event)
    url = f"/events/{event.pk}/attendance/mark/"

    client.force_login(mentor_user)
    response = client.post(url, {"person": registration.person.pk, "present": "true"},
                           follow=True)
    assert any("исправить отметки может куратор" in m for m in _messages(response))
    assert not Attendance.objects.exists()

    client.force_login(curator)
    client.post(url, {"person": registration.person.pk, "present": "true"})
    assert Attendance.objects.get(event=event, person=registration.person).present


def test_marking_opens_thirty_minutes_before_the_start(client, mentor_user, municipality):
    soon = EventFactory(municipality=municipality, starts_at=_minutes(25), ends_at=_minutes(120))
    later = EventFactory(municipality=municipality, starts_at=_minutes(35),
                         ends_at=_minutes(120))
    people = [RegistrationFactory(event=e).person for e in (soon, later)]
    client.force_login(mentor_user)

    for event, person in zip((soon, later), people, strict=True):
        client.post(f"/events/{event.pk}/attendance/mark/",
                    {"person": person.pk, "present": "true"})

    assert list(Attendance.objects.values_list("event_id", flat=True)) == [soon.pk]


def test_attendance_toggle_records_who_marked_and_returns_to_the_row(
        client, mentor_user, running_event):
    event = running_event
    registration = RegistrationFactory(event=event)
    person = registration.person
    client.force_login(mentor_user)
    url = f"/events/{event.pk}/attendance/mark/"

    response = client.post(url, {"person": person.pk, "present": "true"})

    assert response["Location"] == f"/events/{event.pk}/attendance/#p{person.pk}"
    attendance = Attendance.objects.get(event=event, person=person)
    assert (attendance.present, attendance.marked_by, attendance.is_walk_in) == (
        True, mentor_user, False)

    client.post(url, {"person": person.pk, "present": "false"})

    attendance.refresh_from_db()
    assert attendance.present is False


def test_attendance_mark_refuses_person_of_another_municipality(
        client, curator, event, other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    client.force_login(curator)

    response = client.post(f"/events/{event.pk}/attendance/mark/",
                           {"person": stranger.pk, "present": "true"})

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_attendance_mark_refuses_a_teacher(client, teacher, event):
    registration = RegistrationFactory(event=event)
    client.force_login(teacher)

    response = client.post(f"/events/{event.pk}/attendance/mark/",
                           {"person": registration.person.pk, "present": "true"})

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_walk_in_search_finds_people_of_the_municipality_and_adds_them(
        client, curator, running_event, other_municipality):
    event = running_event
    guest = PersonFactory(municipality=event.municipality, last_name="Фёдорова")
    PersonFactory(municipality=other_municipality, last_name="Федорова")
    client.force_login(curator)

    found = client.get(f"/events/{event.pk}/attendance/", {"q": "федоров"}).context["found"]

    assert [person for person, _present in found] == [guest]

    client.post(f"/events/{event.pk}/attendance/mark/", {"person": guest.pk, "present": "true"})

    attendance = Attendance.objects.get(event=event, person=guest)
    assert attendance.is_walk_in and attendance.present and attendance.marked_by == curator


@pytest.mark.parametrize("size", [2, 6])
def test_attendance_sheet_query_count_does_not_grow_with_people(
        client, mentor_user, municipality, django_assert_num_queries, size):
    event = EventFactory(municipality=municipality)
    for index in range(size):
        registration = RegistrationFactory(event=event, status=CONFIRMED if index % 2 else
                                           WAITLISTED)
        Attendance.objects.create(event=event, person=registration.person, present=True)
        walk_in = PersonFactory(municipality=municipality, last_name=f"Гость{index}")
        Attendance.objects.create(event=event, person=walk_in, present=True, is_walk_in=True)
    client.force_login(mentor_user)

    # session, user, roles, the user's municipality, event, registrations, attendances, search
    with django_assert_num_queries(8):
        response = client.get(f"/events/{event.pk}/attendance/", {"q": "Гость"})

    assert len(response.context["rows"]) == 2 * size
    assert len(response.context["found"]) == size


# --- check-in ------------------------------------------------------------------------------

@pytest.fixture
def running_event(municipality):
    return EventFactory(municipality=municipality, starts_at=_minutes(-10), ends_at=_minutes(80))


def test_checkin_screen_shows_code_and_qr_to_staff(client, curator, running_event, settings):
    settings.SITE_URL = "https://school.example"
    client.force_login(curator)

    text = _text(client.get(f"/events/{running_event.pk}/checkin/"))

    assert running_event.checkin_code in text
    assert "<svg" in text
    assert (f"https://school.example/events/{running_event.pk}/checkin/self/"
            f"?code={running_event.checkin_code}") in text


def test_event_page_offers_self_checkin_to_registered_person_while_it_runs(
        client, teacher, running_event):
    RegistrationFactory(event=running_event, person=teacher.person)
    client.force_login(teacher)

    text = _text(client.get(f"/events/{running_event.pk}/"))

    assert f'href="/events/{running_event.pk}/checkin/self/"' in text


def test_checkin_screen_is_404_for_a_teacher(client, teacher, running_event):
    client.force_login(teacher)

    assert client.get(f"/events/{running_event.pk}/checkin/").status_code == 404


def test_self_checkin_prefills_the_code_from_the_qr_link(client, teacher, running_event):
    client.force_login(teacher)

    text = _text(client.get(f"/events/{running_event.pk}/checkin/self/", {"code": "123456"}))

    assert 'value="123456"' in text


def test_self_checkin_with_the_right_code_marks_presence(client, teacher, running_event):
    RegistrationFactory(event=running_event, person=teacher.person)
    client.force_login(teacher)

    response = client.post(f"/events/{running_event.pk}/checkin/self/",
                           {"code": running_event.checkin_code}, follow=True)

    attendance = Attendance.objects.get(event=running_event, person=teacher.person)
    assert attendance.present and attendance.self_checked_in
    assert "Вы отмечены на мероприятии. Спасибо, что пришли!" in _messages(response)


def test_self_checkin_with_a_wrong_code_shows_the_error(client, teacher, running_event):
    RegistrationFactory(event=running_event, person=teacher.person)
    wrong = "000000" if running_event.checkin_code != "000000" else "111111"
    client.force_login(teacher)

    response = client.post(f"/events/{running_event.pk}/checkin/self/", {"code": wrong})

    assert response.status_code == 422
    assert "Неверный код" in _text(response)
    assert not Attendance.objects.exists()


def test_self_checkin_sends_anonymous_visitor_to_signin_and_back(client, running_event):
    url = f"/events/{running_event.pk}/checkin/self/?code=123456"

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


def test_checkin_form_drops_control_characters_from_the_code():
    from events.forms import CheckinForm
    form = CheckinForm(data={"code": "12\x0034\x0b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "1234"


# --- wording -------------------------------------------------------------------------------

DOUBLED = re.compile(r"\b([а-яё]{3,})\s+\1\b", re.IGNORECASE)


def _visible_words(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_pages_never_say_a_word_twice_like_mest_mest_net(client, teacher, municipality):
    full = EventFactory(municipality=municipality, capacity=1, title="Полный семинар")
    RegistrationFactory(event=full, person=teacher.person)
    RegistrationFactory(event=full, status=WAITLISTED)
    free = EventFactory(municipality=municipality, capacity=None)
    EventFactory(municipality=municipality, status=Event.Status.CANCELLED)
    client.force_login(teacher)

    for url in ("/events/", f"/events/{full.pk}/", f"/events/{free.pk}/",
                f"/events/{full.pk}/cancel/", "/cabinet/"):
        text = _visible_words(client.get(url))
        assert not DOUBLED.search(text), (url, DOUBLED.search(text).group(0))
        assert "(а)" not in text, url
