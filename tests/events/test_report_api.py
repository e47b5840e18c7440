"""Attendance reports through the API and the pages: scoping, periods, files, sheet closing,
and SQL queries that do not grow with the number of people and events."""

import datetime
import io

import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Attendance, EventChange, Registration
from participants import roles
from tests.events import attendance_fixture
from tests.factories import EventFactory, PersonFactory, ProgramFactory, TrackFactory, make_user

API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def school(municipality):
    return attendance_fixture.build(municipality)


def facts(data):
    return {fact["key"]: fact["value"] for fact in data["facts"]}


# --- JSON and files --------------------------------------------------------------------------

def test_program_report_json_has_the_hand_computed_figures(curator, school):
    response = signed_in(curator).get(f"{API}/programs/{school.program.pk}/attendance")

    assert response.status_code == 200
    data = response.json()
    assert facts(data)["booked"] == 11 and facts(data)["came"] == 6
    schools = next(t for t in data["tables"] if t["key"] == "schools")
    assert [(r["group"], r["rate"]) for r in schools["rows"]] == [("СОШ № 1", 0.6667),
                                                                  ("СОШ № 2", 0.4)]
    assert data["department"] == "Управление образования · Ханкайский муниципальный округ"


def test_period_in_the_query_limits_the_events(curator, school):
    client = signed_in(curator)
    url = f"{API}/programs/{school.program.pk}/attendance?from=2026-04-01&to=2026-04-30"

    data = client.get(url).json()

    assert facts(data)["events"] == 1 and facts(data)["came"] == 2
    wrong = client.get(f"{API}/programs/{school.program.pk}/attendance"
                       "?from=2026-05-01&to=2026-04-01")
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid"


@pytest.mark.parametrize("path", ["programs/{program}/attendance", "tracks/{track}/attendance",
                                  "events/{event}/attendance-report", "people/{person}/attendance"])
@pytest.mark.parametrize("fmt,magic", [("pdf", b"%PDF"), ("xlsx", b"PK"),
                                       ("csv", "\ufeff".encode())])
def test_every_report_comes_as_pdf_xlsx_and_csv(curator, school, path, fmt, magic):
    url = API + "/" + path.format(program=school.program.pk, track=school.track1.pk,
                                  event=school.events["e1"].pk, person=school.people["anna"].pk)

    response = signed_in(curator).get(f"{url}.{fmt}")

    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_track_csv_loads_in_one_call(curator, school):
    content = signed_in(curator).get(f"{API}/tracks/{school.track1.pk}/attendance.csv").content

    rows = pd.read_csv(io.BytesIO(content))

    assert set(rows["Мероприятие"]) == {"Семинар «Наставничество»", "Мастер-класс"}


# --- scoping ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["programs/{program}/attendance", "tracks/{track}/attendance",
                                  "events/{event}/attendance-report", "people/{person}/attendance",
                                  "programs/{program}/attendance.pdf"])
def test_another_municipalitys_curator_gets_404(other_curator, school, path):
    url = API + "/" + path.format(program=school.program.pk, track=school.track1.pk,
                                  event=school.events["e1"].pk, person=school.people["anna"].pk)

    response = signed_in(other_curator).get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_participant_sees_only_their_own_person_report(municipality, school):
    anna = school.people["anna"]
    user = make_user("anna", role=roles.PARTICIPANT)
    anna.user = user
    anna.save()
    client = signed_in(user)

    assert client.get(f"{API}/people/{anna.pk}/attendance").status_code == 200
    assert client.get(f"{API}/people/{school.people['vera'].pk}/attendance").status_code == 404
    assert client.get(f"{API}/programs/{school.program.pk}/attendance").status_code == 403
    assert client.get(f"{API}/events/{school.events['e1'].pk}/attendance-report"
                      ).status_code == 403


def test_mentor_sees_event_report_but_not_program_report(mentor_user, school):
    client = signed_in(mentor_user)

    assert client.get(f"{API}/events/{school.events['e1'].pk}/attendance-report"
                      ).status_code == 200
    assert client.get(f"{API}/programs/{school.program.pk}/attendance").status_code == 403


# --- closing the sheet -----------------------------------------------------------------------

def test_closed_sheet_still_takes_corrections_and_records_them(curator, school):
    event, vera = school.events["e1"], school.people["vera"]
    client = signed_in(curator)

    closed = client.post(f"{API}/events/{event.pk}/attendance-sheet/close")
    services.mark_attendance(event, vera, present=True, by=curator)
    services.mark_attendance(event, vera, present=True, by=curator)  # no change, no record

    assert closed.status_code == 200 and closed.json()["closed_by"].startswith("Лист закрыт:")
    history = list(event.changes.filter(kind__in=[EventChange.Kind.SHEET_CLOSED,
                                                  EventChange.Kind.ATTENDANCE])
                   .order_by("changed_at", "id").values_list("kind", "changes", "changed_by"))
    assert history == [("sheet_closed", {}, curator.pk),
                       ("attendance", {"person_id": vera.pk, "present": [False, True]},
                        curator.pk)]
    report = client.get(f"{API}/events/{event.pk}/attendance-report").json()
    assert report["closure"].startswith("Лист закрыт:")


def test_corrections_before_closing_are_not_recorded(curator, school):
    event = school.events["e1"]
    services.mark_attendance(event, school.people["vera"], present=True, by=curator)
    assert not event.changes.filter(kind=EventChange.Kind.ATTENDANCE).exists()


def test_mentor_may_not_close_the_sheet(mentor_user, school):
    response = signed_in(mentor_user).post(
        f"{API}/events/{school.events['e1'].pk}/attendance-sheet/close")
    assert response.status_code == 403


def test_self_check_in_is_refused_after_closing(municipality, school):
    from events.errors import RegistrationClosed

    event = EventFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality)
    services.close_sheet(event)
    with pytest.raises(RegistrationClosed):
        services.mark_attendance(event, person, self_check_in=True)


# --- queries do not grow with the data --------------------------------------------------------

def _program_of_size(municipality, people, events):
    program = ProgramFactory(municipality=municipality)
    track = TrackFactory(program=program)
    crowd = [PersonFactory(municipality=municipality) for _ in range(people)]
    for n in range(events):
        event = EventFactory(municipality=municipality, program=program, track=track,
                             starts_at=datetime.datetime(2026, 3, 1 + n, tzinfo=datetime.UTC))
        for i, person in enumerate(crowd):
            Registration.objects.create(event=event, person=person, status="confirmed")
            Attendance.objects.create(event=event, person=person, present=bool((i + n) % 2))
    return program, track, crowd[0], event


def _count(client, urls):
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx", ".csv"])
def test_report_queries_are_the_same_for_small_and_larger_programs(
        curator, municipality, suffix, django_assert_num_queries):
    small = _program_of_size(municipality, people=2, events=1)
    large = _program_of_size(municipality, people=6, events=4)
    client = signed_in(curator)

    def urls(program, track, person, event):
        return [f"{API}/programs/{program.pk}/attendance{suffix}",
                f"{API}/tracks/{track.pk}/attendance{suffix}",
                f"{API}/events/{event.pk}/attendance-report{suffix}",
                f"{API}/people/{person.pk}/attendance{suffix}"]

    client.get(urls(*small)[0])  # the session and roles are read once per client
    small_counts = _count(client, urls(*small))
    for url, expected in zip(urls(*large), small_counts, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


@pytest.mark.parametrize("subject", ["program", "track", "person", "event"])
def test_report_page_queries_are_the_same_for_small_and_larger_programs(
        curator, municipality, subject, django_assert_num_queries):
    small = _program_of_size(municipality, people=2, events=1)
    large = _program_of_size(municipality, people=6, events=4)
    client = signed_in(curator)
    index = ["program", "track", "person", "event"].index(subject)

    def url(objects):
        return f"/attendance/{subject}/{objects[index].pk}/"

    client.get(url(small))
    [expected] = _count(client, [url(small)])

    with django_assert_num_queries(expected):
        assert client.get(url(large)).status_code == 200


def test_mentor_sees_person_reports_of_own_mentees_only(mentor_user, school):
    from participants.models import GroupMembership, MentoringGroup

    group = MentoringGroup.objects.create(municipality=school.program.municipality,
                                          mentor=mentor_user.person,
                                          start_date=datetime.date(2026, 1, 1))
    GroupMembership.objects.create(group=group, mentee=school.people["boris"])
    client = signed_in(mentor_user)

    assert client.get(f"{API}/people/{school.people['boris'].pk}/attendance").status_code == 200
    assert client.get(f"{API}/people/{mentor_user.person.pk}/attendance").status_code == 200
    assert client.get(f"{API}/people/{school.people['vera'].pk}/attendance").status_code == 404
