"""The events REST API: scoping, registration, waiting list, attendance, filters, query counts."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Attendance, Event, EventChange, EventForm, Program, Registration
from participants import roles
from tests.factories import (
    EventFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    TopicFactory,
    TrackFactory,
    in_days,
    make_user,
)

API = "/api/v1"
VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(API + url, data or {}, content_type="application/json")


@pytest.fixture
def participant(municipality):
    return make_user("participant", role=roles.PARTICIPANT, municipality=municipality)


@pytest.fixture
def event(municipality):
    return EventFactory(municipality=municipality)


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- scoping -------------------------------------------------------------------------------

def test_event_of_other_municipality_is_not_found_with_common_error_shape(
        curator, participant, other_municipality):
    foreign = EventFactory(municipality=other_municipality)
    for user in (curator, participant):
        client = signed_in(user)
        response = client.get(f"{API}/events/{foreign.pk}")
        assert response.status_code == 404
        assert set(response.json()) == {"code", "message", "details"}
        assert response.json()["code"] == "not_found"
        assert foreign.pk not in _ids(client.get(f"{API}/events"))
    patched = signed_in(curator).patch(f"{API}/events/{foreign.pk}", {"title": "Чужое"},
                                       content_type="application/json")
    assert patched.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "Чужое"


def test_registration_of_other_person_is_not_found_for_participant(participant, event):
    someone_else = RegistrationFactory(event=event)
    response = post(signed_in(participant), f"/registrations/{someone_else.pk}/cancel")
    assert response.status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.status == Registration.Status.CONFIRMED


def test_registration_list_refuses_participant(participant, event):
    response = signed_in(participant).get(f"{API}/events/{event.pk}/registrations")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


# --- events --------------------------------------------------------------------------------

def test_event_shows_times_with_offset_and_in_municipality_zone(participant, municipality):
    starts = datetime.datetime(2030, 3, 10, 8, 0, tzinfo=VLADIVOSTOK)
    event = EventFactory(municipality=municipality, starts_at=starts,
                         ends_at=starts + datetime.timedelta(hours=2))
    data = signed_in(participant).get(f"{API}/events/{event.pk}").json()
    assert datetime.datetime.fromisoformat(data["starts_at"]) == starts
    assert data["starts_at"].endswith("Z")  # stored and sent as UTC with its offset
    assert data["local_starts_at"] == "2030-03-10T08:00:00+10:00"
    assert data["local_ends_at"] == "2030-03-10T10:00:00+10:00"
    assert data["time_zone"] == "Asia/Vladivostok"


def test_event_list_includes_registration_and_attendance_counts(curator, event):
    RegistrationFactory.create_batch(2, event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    Attendance.objects.create(event=event, person=waiting.person, present=True)
    [item] = signed_in(curator).get(f"{API}/events").json()["items"]
    assert (item["confirmed_count"], item["waitlisted_count"], item["attended_count"]) == (2, 1, 1)


def test_curator_creates_event_with_track_and_topics(curator, municipality):
    track = TrackFactory(program=ProgramFactory(municipality=municipality))
    topic = TopicFactory()
    form = EventForm.objects.get_or_create(name="мастер-класс")[0]
    response = post(signed_in(curator), "/events", {
        "title": "Мастер-класс «Урок-исследование»", "form_id": form.pk, "track_id": track.pk,
        "starts_at": "2030-04-01T15:00:00+10:00", "ends_at": "2030-04-01T17:00:00+10:00",
        "capacity": 20, "topic_ids": [topic.pk], "academic_hours": 2,
    })
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert (event.program_id, event.municipality_id) == (track.program_id, municipality.pk)
    assert list(event.topics.all()) == [topic]
    assert event.changes.filter(kind=EventChange.Kind.CREATED).exists()


def test_curator_creates_a_monthly_series_whose_events_move_alone(curator, municipality):
    form = EventForm.objects.get_or_create(name="семинар")[0]
    response = post(signed_in(curator), "/events/series", {
        "title": "Методическая мозаика", "form_id": form.pk, "capacity": 30,
        "starts_at": "2030-01-15T15:00:00+10:00", "ends_at": "2030-01-15T17:00:00+10:00",
        "repeat_starts": ["2030-03-15T15:00:00+10:00", "2030-02-15T15:00:00+10:00"],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert [item["local_starts_at"][:10] for item in body] == [
        "2030-01-15", "2030-02-15", "2030-03-15"]
    assert all(item["local_ends_at"][11:16] == "17:00" for item in body)
    events = list(Event.objects.filter(pk__in=[item["id"] for item in body]))
    assert len({event.series_id for event in events}) == 1
    assert events[0].series_id is not None
    moved = min(events, key=lambda e: e.starts_at)
    later = moved.starts_at + datetime.timedelta(days=1)
    patched = signed_in(curator).patch(f"{API}/events/{moved.pk}",
                                       {"starts_at": later.isoformat(),
                                        "ends_at": (later + datetime.timedelta(hours=2))
                                        .isoformat()},
                                       content_type="application/json")
    assert patched.status_code == 200, patched.content
    others = Event.objects.filter(series_id=moved.series_id).exclude(pk=moved.pk)
    assert all(event.sequence == 0 for event in others)


def test_participant_cannot_create_event(participant):
    form = EventForm.objects.get_or_create(name="семинар")[0]
    response = post(signed_in(participant), "/events", {
        "title": "Семинар", "form_id": form.pk,
        "starts_at": "2030-04-01T15:00:00+10:00", "ends_at": "2030-04-01T17:00:00+10:00",
    })
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_patch_reschedule_raises_sequence_and_records_change(curator, event):
    new_start = in_days(14)
    response = signed_in(curator).patch(
        f"{API}/events/{event.pk}",
        {"starts_at": new_start.isoformat(),
         "ends_at": (new_start + datetime.timedelta(hours=3)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["sequence"] == event.sequence + 1
    event.refresh_from_db()
    assert event.starts_at == new_start
    change = event.changes.get(kind=EventChange.Kind.RESCHEDULED)
    assert set(change.changes) == {"starts_at", "ends_at"}
    assert change.changed_by == curator


def test_cancel_event_marks_it_cancelled(curator, event):
    response = post(signed_in(curator), f"/events/{event.pk}/cancel", {"reason": "карантин"})
    assert response.status_code == 200
    assert response.json()["status"] == Event.Status.CANCELLED
    assert event.changes.get(kind=EventChange.Kind.CANCELLED).changes["reason"] == "карантин"


# --- filters -------------------------------------------------------------------------------

def test_date_filter_takes_days_in_municipality_zone(participant, municipality):
    # 08:00 in Vladivostok on the 10th is 22:00 UTC on the 9th: a UTC reading would miss it.
    morning = datetime.datetime(2030, 3, 10, 8, 0, tzinfo=VLADIVOSTOK)
    on_day = EventFactory(municipality=municipality, starts_at=morning,
                          ends_at=morning + datetime.timedelta(hours=1))
    EventFactory(municipality=municipality, starts_at=morning - datetime.timedelta(hours=9),
                 ends_at=morning - datetime.timedelta(hours=8))  # 23:00 local on the 9th
    EventFactory(municipality=municipality, starts_at=morning + datetime.timedelta(days=1),
                 ends_at=morning + datetime.timedelta(days=1, hours=1))
    response = signed_in(participant).get(f"{API}/events",
                                          {"date_from": "2030-03-10", "date_to": "2030-03-10"})
    assert _ids(response) == [on_day.pk]


def test_event_list_filters_by_track_form_topic_and_program(curator, municipality):
    program = ProgramFactory(municipality=municipality)
    track = TrackFactory(program=program)
    topic = TopicFactory()
    master_class = EventForm.objects.get_or_create(name="мастер-класс")[0]
    by_track = EventFactory(municipality=municipality, track=track, program=program)
    by_form = EventFactory(municipality=municipality, form=master_class)
    by_topic = EventFactory(municipality=municipality)
    by_topic.topics.add(topic)
    EventFactory(municipality=municipality)
    client = signed_in(curator)
    assert _ids(client.get(f"{API}/events", {"track_id": track.pk})) == [by_track.pk]
    assert _ids(client.get(f"{API}/events", {"program_id": program.pk})) == [by_track.pk]
    assert _ids(client.get(f"{API}/events", {"form_id": master_class.pk})) == [by_form.pk]
    assert _ids(client.get(f"{API}/events", {"topic_id": topic.pk})) == [by_topic.pk]


def test_event_list_filters_by_status(curator, municipality):
    cancelled = EventFactory(municipality=municipality, status=Event.Status.CANCELLED)
    EventFactory(municipality=municipality)
    response = signed_in(curator).get(f"{API}/events", {"status": "cancelled"})
    assert _ids(response) == [cancelled.pk]


# --- registration --------------------------------------------------------------------------

def test_participant_registers_self(participant, event):
    response = post(signed_in(participant), f"/events/{event.pk}/registrations")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["person"]["id"]) == ("confirmed", participant.person.pk)
    assert Registration.objects.get(event=event).person == participant.person


def test_registration_is_idempotent(participant, event):
    client = signed_in(participant)
    first = post(client, f"/events/{event.pk}/registrations")
    second = post(client, f"/events/{event.pk}/registrations")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Registration.objects.filter(event=event).count() == 1


def test_full_event_puts_participant_on_waitlist(participant, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    RegistrationFactory(event=event)
    response = post(signed_in(participant), f"/events/{event.pk}/registrations")
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"


def test_registration_after_start_is_closed(participant, municipality):
    started = EventFactory(municipality=municipality,
                           starts_at=timezone.now() - datetime.timedelta(minutes=5),
                           ends_at=timezone.now() + datetime.timedelta(hours=1))
    response = post(signed_in(participant), f"/events/{started.pk}/registrations")
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_curator_registers_on_behalf(curator, event):
    teacher = PersonFactory(municipality=event.municipality)
    response = post(signed_in(curator), f"/events/{event.pk}/registrations",
                    {"person_id": teacher.pk})
    assert response.status_code == 201
    registration = Registration.objects.get(event=event, person=teacher)
    assert (registration.status, registration.created_by) == ("confirmed", curator)


def test_participant_cannot_register_someone_else(participant, event):
    teacher = PersonFactory(municipality=event.municipality)
    response = post(signed_in(participant), f"/events/{event.pk}/registrations",
                    {"person_id": teacher.pk})
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_registration_for_an_event_out_of_sight_is_not_found(curator, participant,
                                                             other_municipality):
    foreign = EventFactory(municipality=other_municipality)
    teacher = PersonFactory(municipality=curator.person.municipality)
    for client, body in ((signed_in(participant), None),
                         (signed_in(curator), {"person_id": teacher.pk})):
        response = post(client, f"/events/{foreign.pk}/registrations", body)
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
        assert response.json()["message"] == "Объект не найден."
    assert post(signed_in(participant), "/events/999999/registrations").status_code == 404
    assert not Registration.objects.exists()


def test_account_without_a_participant_sees_no_event_to_register_for(event):
    response = post(signed_in(make_user("no-person")), f"/events/{event.pk}/registrations")
    assert response.status_code == 404
    assert not Registration.objects.exists()


def _waiting(event, person=None, minutes_ago=0):
    return RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED,
        queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **({"person": person} if person else {}),
    )


def _statuses(client, event, status):
    response = client.get(f"{API}/events/{event.pk}/registrations", {"status": status})
    return [item["person"]["id"] for item in response.json()["items"]]


def test_cancel_promotes_first_in_line(participant, curator, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    own = RegistrationFactory(event=event, person=participant.person)
    first = _waiting(event, minutes_ago=10)
    second = _waiting(event, minutes_ago=5)
    response = post(signed_in(participant), f"/registrations/{own.pk}/cancel")
    assert response.json()["status"] == "cancelled"
    staff = signed_in(curator)
    assert _statuses(staff, event, "confirmed") == [first.person_id]
    assert _statuses(staff, event, "waitlisted") == [second.person_id]


def test_curator_moves_person_to_waitlist_and_seat_passes_on(curator, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    seated = RegistrationFactory(event=event)
    waiting = _waiting(event, minutes_ago=5)
    client = signed_in(curator)
    response = post(client, f"/registrations/{seated.pk}/waitlist")
    assert response.json()["status"] == "waitlisted"
    assert _statuses(client, event, "confirmed") == [waiting.person_id]
    refused = post(client, f"/registrations/{seated.pk}/confirm")
    assert (refused.status_code, refused.json()["code"]) == (409, "event_full")


def test_moving_to_the_waitlist_with_seats_free_is_a_409_and_writes_to_nobody(curator,
                                                                              municipality):
    from notifications.models import Notification

    event = EventFactory(municipality=municipality, capacity=3)
    seated = RegistrationFactory(event=event)
    letters = Notification.objects.count()

    response = post(signed_in(curator), f"/registrations/{seated.pk}/waitlist")

    assert (response.status_code, response.json()["code"]) == (409, "seats_free")
    assert "Свободные места есть" in response.json()["message"]
    seated.refresh_from_db()
    assert seated.status == Registration.Status.CONFIRMED and seated.sequence == 0
    assert Notification.objects.count() == letters


def test_curator_confirms_chosen_person_from_waitlist(curator, mentor_user, municipality):
    event = EventFactory(municipality=municipality, capacity=2)
    RegistrationFactory(event=event)
    first = _waiting(event, minutes_ago=10)
    chosen = _waiting(event, minutes_ago=5)
    assert post(signed_in(mentor_user), f"/registrations/{chosen.pk}/confirm").status_code == 403
    response = post(signed_in(curator), f"/registrations/{chosen.pk}/confirm")
    assert response.json()["status"] == "confirmed"
    first.refresh_from_db()
    assert first.status == Registration.Status.WAITLISTED


def test_waiting_list_is_ordered_by_queue_time(curator, municipality):
    event = EventFactory(municipality=municipality, capacity=1)
    RegistrationFactory(event=event)
    # Queue times out of step with creation order, so neither id order can pass for it.
    last, first, middle = (_waiting(event, minutes_ago=m) for m in (10, 30, 20))
    assert _statuses(signed_in(curator), event, "waitlisted") == [
        first.person_id, middle.person_id, last.person_id]


# --- attendance ----------------------------------------------------------------------------

def test_mentor_marks_attendance(mentor_user, running_event):
    registration = RegistrationFactory(event=running_event)
    response = signed_in(mentor_user).put(
        f"{API}/events/{running_event.pk}/attendance/{registration.person_id}",
        {"present": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["present"], response.json()["is_walk_in"]) == (True, False)
    attendance = Attendance.objects.get(event=running_event, person=registration.person)
    assert attendance.marked_by == mentor_user


def test_marking_a_future_event_is_refused_in_russian(mentor_user, event):
    registration = RegistrationFactory(event=event)
    response = signed_in(mentor_user).put(
        f"{API}/events/{event.pk}/attendance/{registration.person_id}", {"present": True},
        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "marking_closed"
    assert "за 30 минут до начала" in response.json()["message"]
    assert not Attendance.objects.exists()


def test_participant_cannot_mark_attendance(participant, event):
    RegistrationFactory(event=event, person=participant.person)
    response = signed_in(participant).put(
        f"{API}/events/{event.pk}/attendance/{participant.person.pk}", {"present": True},
        content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Attendance.objects.exists()


@pytest.fixture
def running_event(municipality):
    now = timezone.now()
    return EventFactory(municipality=municipality, starts_at=now - datetime.timedelta(minutes=10),
                        ends_at=now + datetime.timedelta(hours=1), checkin_code="123456")


def test_check_in_with_wrong_code_is_refused(participant, running_event):
    RegistrationFactory(event=running_event, person=participant.person)
    response = post(signed_in(participant), f"/events/{running_event.pk}/check-in",
                    {"code": "654321"})
    assert response.status_code == 422
    assert response.json()["code"] == "wrong_checkin_code"
    assert not Attendance.objects.exists()


def test_check_in_with_right_code_marks_self_present(participant, running_event):
    RegistrationFactory(event=running_event, person=participant.person)
    response = post(signed_in(participant), f"/events/{running_event.pk}/check-in",
                    {"code": "123456"})
    assert response.status_code == 200, response.content
    assert (response.json()["present"], response.json()["self_checked_in"]) == (True, True)


def test_attendance_list_shows_registered_and_walk_ins(mentor_user, event):
    unmarked = RegistrationFactory(event=event)
    absent = RegistrationFactory(event=event)
    Attendance.objects.create(event=event, person=absent.person, present=False)
    waiting = _waiting(event)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    walk_in = PersonFactory(municipality=event.municipality)
    Attendance.objects.create(event=event, person=walk_in, present=True, is_walk_in=True)
    PersonFactory(municipality=event.municipality)  # unrelated: not on the sheet
    response = signed_in(mentor_user).get(f"{API}/events/{event.pk}/attendance")
    rows = {row["person_id"]: row for row in response.json()["items"]}
    assert set(rows) == {unmarked.person_id, absent.person_id, waiting.person_id, walk_in.pk}
    assert (rows[unmarked.person_id]["registration_status"],
            rows[unmarked.person_id]["present"]) == ("confirmed", None)
    assert rows[absent.person_id]["present"] is False
    assert rows[waiting.person_id]["registration_status"] == "waitlisted"
    assert (rows[walk_in.pk]["registration_status"], rows[walk_in.pk]["is_walk_in"]) == (None,
                                                                                          True)


def test_attendance_summary_totals_attended_hours(curator, municipality):
    person = PersonFactory(municipality=municipality)
    for hours, present, status in [(2, True, "planned"), ("1.5", True, "planned"),
                                   (4, False, "planned"), (3, True, "cancelled")]:
        event = EventFactory(municipality=municipality, academic_hours=hours, status=status)
        Attendance.objects.create(event=event, person=person, present=present)
    data = signed_in(curator).get(f"{API}/people/{person.pk}/attendance-summary").json()
    assert (data["events_attended"], data["academic_hours"]) == (2, 3.5)


def test_attendance_summary_of_other_municipality_is_not_found(curator, other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    response = signed_in(curator).get(f"{API}/people/{stranger.pk}/attendance-summary")
    assert response.status_code == 404


# --- programs and tracks -------------------------------------------------------------------

def test_curator_creates_program_and_track(curator, municipality, other_municipality):
    client = signed_in(curator)
    response = post(client, "/programs", {"name": "Мастер-мастеру", "start_date": "2030-01-01",
                                          "end_date": "2030-12-31"})
    assert response.status_code == 201, response.content
    program_id = response.json()["id"]
    response = post(client, "/tracks", {"program_id": program_id, "number": 1,
                                        "theme": "Анализ урока", "start_date": "2030-02-01",
                                        "end_date": "2030-03-31"})
    assert response.status_code == 201, response.content
    foreign = TrackFactory(program=ProgramFactory(municipality=other_municipality))
    assert _ids(client.get(f"{API}/tracks", {"program_id": program_id})) == [response.json()["id"]]
    assert client.get(f"{API}/tracks/{foreign.pk}").status_code == 404


def test_program_reminder_offsets_are_set_through_the_api(curator):
    response = post(signed_in(curator), "/programs", {
        "name": "Мастер-мастеру", "start_date": "2030-01-01", "end_date": "2030-12-31",
        "early_reminder": "P2D", "late_reminder": None,
    })
    assert response.status_code == 201, response.content
    program = Program.objects.get(pk=response.json()["id"])
    assert program.early_reminder == datetime.timedelta(days=2)
    assert program.late_reminder is None
    assert response.json()["late_reminder"] is None


# --- query counts --------------------------------------------------------------------------

@pytest.mark.parametrize("size", [2, 6])
def test_event_list_query_count_does_not_grow(curator, municipality, size,
                                              django_assert_num_queries):
    topic = TopicFactory()
    for _ in range(size):
        event = EventFactory(municipality=municipality)
        event.topics.add(topic)
        RegistrationFactory(event=event)
    client = signed_in(curator)
    # session, user, person's municipality, count, page, topics, responsible (no roles: what
    # a curator sees of events is their municipality, as for anyone)
    with django_assert_num_queries(7):
        response = client.get(f"{API}/events")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", [2, 6])
def test_attendance_list_query_count_does_not_grow(mentor_user, event, size,
                                                   django_assert_num_queries):
    for registration in RegistrationFactory.create_batch(size, event=event):
        Attendance.objects.create(event=event, person=registration.person)
    client = signed_in(mentor_user)
    # session, user, groups, person's municipality, event, count, page
    with django_assert_num_queries(7):
        response = client.get(f"{API}/events/{event.pk}/attendance")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", [2, 6])
def test_registration_list_query_count_does_not_grow(curator, event, size,
                                                     django_assert_num_queries):
    RegistrationFactory.create_batch(size, event=event)
    client = signed_in(curator)
    # session, user, groups, person's municipality, event, count, page
    with django_assert_num_queries(7):
        response = client.get(f"{API}/events/{event.pk}/registrations")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", [2, 6])
def test_track_list_query_count_does_not_grow(participant, municipality, size,
                                              django_assert_num_queries):
    program = ProgramFactory(municipality=municipality)
    topic = TopicFactory()
    for track in TrackFactory.create_batch(size, program=program):
        track.topics.add(topic)
    client = signed_in(participant)
    # session, user, person's municipality, count, page, topics
    with django_assert_num_queries(6):
        response = client.get(f"{API}/tracks")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("status", ["confirmed", "waitlisted"])
def test_registration_by_api_token_takes_a_fixed_number_of_queries(participant, municipality,
                                                                   status,
                                                                   django_assert_num_queries):
    from participants.services import issue_api_token

    event = EventFactory(municipality=municipality, capacity=1)
    if status == "waitlisted":
        RegistrationFactory(event=event)  # the one seat
    _token, raw = issue_api_token(participant, name="Интеграция")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    post(client, f"/events/{EventFactory(municipality=municipality).pk}/registrations")
    # The brake on wrong tokens (one cache read, no write), the token with its user and linked
    # person (its use was written a moment ago); no roles, and the event is found by the
    # registration's own locking query (tests/events/test_registration.py). The statement that
    # makes a first registration's feed runs every time, sent with the lock (config.pipeline).
    with django_assert_num_queries(2 + 7):
        response = post(client, f"/events/{event.pk}/registrations")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == status
