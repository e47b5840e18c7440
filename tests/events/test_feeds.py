"""Calendar feeds over HTTP: tokens, conditional requests, headers, queries; feed_url."""

import datetime
import io

import icalendar
import pytest
from django.core.management import CommandError, call_command

from events import calendar, services
from events.identity import uid_domain
from events.models import CalendarFeed, Registration
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    TrackFactory,
)


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, email="ivanova@school.example")


@pytest.fixture
def registration(municipality, person):
    return RegistrationFactory(event__municipality=municipality, person=person)


def feed_url(person):
    return f"/calendar/{services.feed_for(person).token}.ics"


def uids(response):
    return {str(c["UID"]) for c in icalendar.Calendar.from_ical(response.content).events}


def test_person_calendar_serves_the_feed_with_validators(client, person, registration):
    response = client.get(feed_url(person))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]
    assert "private" in response["Cache-Control"]
    assert uids(response) == {calendar.event_uid(registration.event)}


def test_person_calendar_is_304_while_unchanged_and_200_after_a_change(client, person,
                                                                        registration):
    url = feed_url(person)
    first = client.get(url)

    unchanged = client.get(url, headers={"If-None-Match": first["ETag"]})
    event = registration.event
    services.update_event(event, starts_at=event.starts_at + datetime.timedelta(hours=1),
                          ends_at=event.ends_at + datetime.timedelta(hours=1))
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    (component,) = icalendar.Calendar.from_ical(changed.content).events
    assert component["SEQUENCE"] == 1


def test_person_calendar_is_304_for_if_modified_since(client, person, registration):
    url = feed_url(person)
    first = client.get(url)

    response = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert response.status_code == 304


def test_person_calendar_changes_when_the_person_is_moved_to_the_waitlist(client, person,
                                                                          registration):
    registration.event.capacity = 1  # the seat goes to the one waiting, so the person waits
    registration.event.save()
    RegistrationFactory(event=registration.event, status=Registration.Status.WAITLISTED)
    url = feed_url(person)
    first = client.get(url)

    services.move_to_waitlist(registration)
    response = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    (component,) = icalendar.Calendar.from_ical(response.content).events
    assert str(component["STATUS"]) == "TENTATIVE"


def test_revoked_token_is_404_and_the_new_one_works(client, person, registration):
    old_url = feed_url(person)

    new_feed = services.revoke_feed(person)

    assert client.get(old_url).status_code == 404
    assert client.get(f"/calendar/{new_feed.token}.ics").status_code == 200


def test_unknown_token_is_404(client, db):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


@pytest.mark.parametrize("url", [
    "/calendar/programs/99999999999999999999.ics", "/calendar/tracks/99999999999999999999.ics",
    "/calendar/programs/0.ics", "/calendar/tok%00en.ics", "/calendar/%E2%80%AEtoken.ics",
    f"/calendar/{'т' * 5000}.ics",
])
def test_a_feed_of_a_key_no_row_can_have_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_feed_refuses_writes(client, person):
    assert client.post(feed_url(person)).status_code == 405


def test_program_and_track_calendars_are_public(client, municipality):
    track = TrackFactory(program__municipality=municipality)
    event = EventFactory(municipality=municipality, program=track.program, track=track)
    EventFactory(municipality=municipality)

    by_program = client.get(f"/calendar/programs/{track.program.pk}.ics")
    by_track = client.get(f"/calendar/tracks/{track.pk}.ics")

    assert by_program.status_code == by_track.status_code == 200
    assert uids(by_program) == uids(by_track) == {calendar.event_uid(event)}
    assert "public" in by_program["Cache-Control"]
    assert client.get("/calendar/programs/999999.ics").status_code == 404
    assert client.get("/calendar/tracks/999999.ics").status_code == 404


def test_event_calendar_serves_one_event_and_revalidates(client, municipality):
    event = EventFactory(municipality=municipality)

    first = client.get(f"/events/{event.pk}.ics")
    unchanged = client.get(f"/events/{event.pk}.ics", headers={"If-None-Match": first["ETag"]})
    services.cancel_event(event)
    cancelled = client.get(f"/events/{event.pk}.ics", headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and uids(first) == {calendar.event_uid(event)}
    assert unchanged.status_code == 304
    assert cancelled.status_code == 200
    (component,) = icalendar.Calendar.from_ical(cancelled.content).events
    assert str(component["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("size", [1, 5])
def test_person_calendar_queries_do_not_grow_with_events(client, municipality, person, size,
                                                         django_assert_num_queries):
    # Every row and field a VEVENT shows is filled, so that reading one the feed did not load
    # would add a query per event.
    track = TrackFactory(program__municipality=municipality)
    venue = OrganisationFactory(municipality=municipality)
    for number in range(size):
        RegistrationFactory(
            person=person, event__municipality=municipality, event__track=track,
            event__program=track.program, event__venue=venue, event__room="12",
            event__description="Разбор уроков", event__online_url="https://vk.com/live/1",
            status=Registration.Status.WAITLISTED if number % 2 else Registration.Status.CONFIRMED,
        )
        EventFactory(municipality=municipality).responsible.add(person)
    url = feed_url(person)
    uid_domain()  # read once per process, whichever test comes first

    # The token, the aggregate for the ETag, the plan items' state, the events' revisions, the
    # events to render, the plan items (none here, so their people are not asked for).
    with django_assert_num_queries(6):
        response = client.get(url)
    with django_assert_num_queries(5):  # unchanged: VEVENTs kept, only revisions read
        assert client.get(url).content == response.content
    with django_assert_num_queries(3):  # a client that is up to date gets no body built
        client.get(url, headers={"If-None-Match": response["ETag"]})

    assert len(uids(response)) == 2 * size


@pytest.mark.parametrize("kind", ["program", "track"])
@pytest.mark.parametrize("size", [1, 5])
def test_program_and_track_calendar_queries_do_not_grow_with_events(
        client, municipality, kind, size, django_assert_num_queries):
    track = TrackFactory(program__municipality=municipality)
    for _ in range(size):
        EventFactory(municipality=municipality, program=track.program, track=track)
    url = (f"/calendar/programs/{track.program.pk}.ics" if kind == "program"
           else f"/calendar/tracks/{track.pk}.ics")
    uid_domain()

    # The program or track (one statement, as for a person's token), the aggregate, the plan
    # items' state, the events' revisions, the events, the (no) plan items; once their VEVENTs
    # are kept, no events; a client that is up to date gets no body built.
    with django_assert_num_queries(6):
        response = client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).content == response.content
    with django_assert_num_queries(3):
        assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304

    assert len(uids(response)) == size


# --- the feed_url command ----------------------------------------------------------------------

def run_feed_url(*args):
    out = io.StringIO()
    call_command("feed_url", *args, stdout=out)
    return out.getvalue().strip()


def test_feed_url_command_prints_the_current_url(person, settings):
    settings.SITE_URL = "https://school.example.ru"

    printed = run_feed_url("IVANOVA@school.example")

    token = CalendarFeed.objects.get(person=person).token
    assert printed == f"https://school.example.ru/calendar/{token}.ics"
    assert run_feed_url("ivanova@school.example") == printed


def test_feed_url_command_revoke_replaces_the_url(client, person):
    old = run_feed_url("ivanova@school.example")

    new = run_feed_url("ivanova@school.example", "--revoke")

    assert new != old
    assert new.endswith(f"/calendar/{CalendarFeed.objects.get(person=person).token}.ics")
    assert client.get(old.removeprefix("http://localhost:8000")).status_code == 404


def test_feed_url_command_needs_the_municipality_for_a_shared_email(person):
    elsewhere = MunicipalityFactory(name="Спасский район")
    other = PersonFactory(municipality=elsewhere, email=person.email)

    with pytest.raises(CommandError):
        run_feed_url(person.email)
    printed = run_feed_url(person.email, "--municipality", "Спасский район")

    assert printed.endswith(f"/calendar/{CalendarFeed.objects.get(person=other).token}.ics")


def test_feed_url_command_refuses_an_unknown_email(db):
    with pytest.raises(CommandError):
        run_feed_url("nobody@school.example")
