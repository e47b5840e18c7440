"""ETag and Last-Modified of every feed move with everything its body shows.

Each test takes the validators of a feed, changes one thing the body depends on (a name of a
related object, membership, a registration), and asks again with both If-None-Match and, as a
client that only keeps dates would, If-Modified-Since: the answer must be a 200 with the new body.
"""

import datetime

import icalendar
import pytest
from django.db.models import Max, Sum
from django.utils import timezone

from events import calendar, services
from events.models import Event, Registration
from participants import roles
from participants.models import Municipality, Organisation
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    TrackFactory,
    in_days,
    make_user,
)


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, email="ivanova@school.example")


@pytest.fixture
def track(municipality):
    return TrackFactory(program__municipality=municipality, theme="Анализ урока")


@pytest.fixture
def event(municipality, track):
    venue = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 1")
    return EventFactory(municipality=municipality, program=track.program, track=track,
                        venue=venue, capacity=1)


@pytest.fixture
def registration(event, person):
    return services.register(event, person)


def urls(person, event):
    return {
        "person": f"/calendar/{services.feed_for(person).token}.ics",
        "program": f"/calendar/programs/{event.program_id}.ics",
        "track": f"/calendar/tracks/{event.track_id}.ics",
        "event": f"/events/{event.pk}.ics",
    }


def assert_fresh(client, url, before, expected_text):
    """Both validators of `before` are stale: each alone gets the new body."""
    by_etag = client.get(url, headers={"If-None-Match": before["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    for response in (by_etag, by_date):
        assert response.status_code == 200, (url, response.status_code)
        assert response["ETag"] != before["ETag"]
        assert expected_text in _unfolded(response)


def _unfolded(response):
    return response.content.decode().replace("\r\n ", "")


def _tick(monkeypatch, seconds):
    """Move the clock forward, as the time between two polls of a calendar client."""
    moment = timezone.now() + datetime.timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("feed", ["person", "program", "track", "event"])
@pytest.mark.parametrize("rename", ["track", "venue", "form", "program", "municipality"])
def test_renaming_a_related_object_refreshes_every_feed(client, monkeypatch, person, event,
                                                        registration, feed, rename):
    url = urls(person, event)[feed]
    before = client.get(url)
    _tick(monkeypatch, 5)

    if rename == "track":
        event.track.theme = "Новая тема трека"
        event.track.save()
        expected = "Новая тема трека"
    elif rename == "venue":
        venue = Organisation.objects.get(pk=event.venue_id)
        venue.short_name = "Новая школа"
        venue.save()
        expected = "Новая школа"
    elif rename == "form":
        event.form.name = "форум-практикум"
        event.form.save()
        expected = "форум-практикум"
    elif rename == "program":
        event.program.name = "Новая программа"
        event.program.save()
        expected = "Новая программа"
    else:
        municipality = Municipality.objects.get(pk=event.municipality_id)
        municipality.time_zone = "Asia/Yekaterinburg"
        municipality.save()
        expected = "Екатеринбург"

    assert_fresh(client, url, before, expected)


def test_moving_an_event_out_of_a_program_refreshes_the_program_and_track_feeds(
        client, monkeypatch, person, event, registration, municipality):
    other = ProgramFactory(municipality=municipality)
    program_url, track_url = urls(person, event)["program"], urls(person, event)["track"]
    program_before, track_before = client.get(program_url), client.get(track_url)
    _tick(monkeypatch, 5)

    services.update_event(event, program=other, track=None)

    for url, before in ((program_url, program_before), (track_url, track_before)):
        for headers in ({"If-None-Match": before["ETag"]},
                        {"If-Modified-Since": before["Last-Modified"]}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200
            assert icalendar.Calendar.from_ical(response.content).events == []


def test_promotion_from_the_waiting_list_refreshes_the_person_feed_and_raises_sequence(
        client, monkeypatch, event, registration, municipality):
    waiting = PersonFactory(municipality=municipality)
    services.register(event, waiting)
    url = urls(waiting, event)["person"]
    before = client.get(url)
    (tentative,) = icalendar.Calendar.from_ical(before.content).events
    _tick(monkeypatch, 5)

    services.cancel_registration(registration)

    assert_fresh(client, url, before, "STATUS:CONFIRMED")
    (confirmed,) = icalendar.Calendar.from_ical(client.get(url).content).events
    assert str(tentative["STATUS"]) == "TENTATIVE"
    assert confirmed["SEQUENCE"] > tentative["SEQUENCE"]


def test_cancelling_the_only_registration_refreshes_the_person_feed(
        client, monkeypatch, person, event, registration):
    url = urls(person, event)["person"]
    before = client.get(url)
    _tick(monkeypatch, 5)

    services.cancel_registration(registration)

    for headers in ({"If-None-Match": before["ETag"]},
                    {"If-Modified-Since": before["Last-Modified"]}):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert icalendar.Calendar.from_ical(response.content).events == []


def test_removing_a_responsible_person_refreshes_their_feed(client, monkeypatch, municipality,
                                                             person):
    event = EventFactory(municipality=municipality)
    services.update_event(event, responsible=[person])
    url = f"/calendar/{services.feed_for(person).token}.ics"
    before = client.get(url)
    _tick(monkeypatch, 5)

    services.update_event(event, responsible=[])

    response = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).events == []


# --- a cancelled event stays 30 days after its cancellation ----------------------------------

def test_cancelled_event_stays_thirty_days_after_the_cancellation_not_the_start(
        municipality, person, monkeypatch):
    # Held two months ago and cancelled afterwards (a curator's late correction): the feed keeps
    # it as CANCELLED for 30 days from the cancellation, so every client hears of it.
    event = RegistrationFactory(event__municipality=municipality, person=person,
                                event__starts_at=in_days(-60)).event
    services.cancel_event(event)
    event.refresh_from_db()

    shown_now = calendar.person_feed(person).events.filter(pk=event.pk).exists()
    _tick(monkeypatch, 29 * 24 * 3600)
    shown_after_29 = calendar.person_feed(person).events.filter(pk=event.pk).exists()
    _tick(monkeypatch, 2 * 24 * 3600)
    shown_after_31 = calendar.person_feed(person).events.filter(pk=event.pk).exists()

    assert event.cancelled_at is not None
    assert (shown_now, shown_after_29, shown_after_31) == (True, True, False)


def test_a_cancelled_event_leaving_the_feed_moves_last_modified(client, monkeypatch,
                                                               municipality, person):
    event = RegistrationFactory(event__municipality=municipality, person=person,
                                event__starts_at=in_days(5)).event
    services.cancel_event(event)
    url = f"/calendar/{services.feed_for(person).token}.ics"
    before = client.get(url)
    assert Event.objects.get(pk=event.pk).is_cancelled

    _tick(monkeypatch, 31 * 24 * 3600)
    response = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).events == []


def test_feed_validators_stay_while_nothing_changes(client, person, event, registration):
    for url in urls(person, event).values():
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert (again.status_code, by_date.status_code) == (304, 304), url
        assert Registration.objects.filter(person=person).exists()


@pytest.mark.parametrize("change", ["edit", "cancel", "register", "waitlist", "rename_person",
                                    "leave_by_registration"])
def test_every_change_of_the_person_feed_body_moves_its_validators(
        client, monkeypatch, municipality, person, event, registration, change):
    # The validators come from hand-written statements (events.feed_sql); each change here
    # alters the body's bytes, so each must give a new ETag and a later Last-Modified.
    url = urls(person, event)["person"]
    other = EventFactory(municipality=municipality, title="Второй семинар")
    before = client.get(url)
    _tick(monkeypatch, 5)

    if change == "edit":
        services.update_event(event, title="Семинар перенесён", starts_at=in_days(9),
                              ends_at=in_days(9, hour=17))
        expected = "Семинар перенесён"
    elif change == "cancel":
        services.cancel_event(event)
        expected = "STATUS:CANCELLED"
    elif change == "register":
        services.register(other, person)
        expected = "Второй семинар"
    elif change == "waitlist":
        curator = make_user("curator", role=roles.CURATOR, municipality=municipality)
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
        services.move_to_waitlist(registration, by=curator)
        expected = "STATUS:TENTATIVE"
    elif change == "rename_person":
        person.last_name = "Петрова"
        person.save()
        expected = "Петрова"
    else:
        services.register(other, person)
        before = client.get(url)
        _tick(monkeypatch, 10)
        services.cancel_registration(Registration.objects.get(event=other, person=person),
                                     by=None)
        expected = "Семинар"

    assert_fresh(client, url, before, expected)
    if change == "leave_by_registration":
        assert "Второй семинар" not in _unfolded(client.get(url))


# --- a feed whose entries change while its sums stay ------------------------------------------

def _sums(person):
    """What an ETag of counts and sums saw of a personal feed: each is equal before and after
    the swap below, so only the set of entries tells the two feeds apart."""
    feed = calendar.person_feed(person)
    shown = feed.events.order_by()
    registrations = Registration.objects.filter(person=person)
    return (shown.count(), shown.aggregate(s=Sum("pk"))["s"],
            shown.aggregate(s=Sum("sequence"))["s"], shown.aggregate(m=Max("updated_at"))["m"],
            registrations.aggregate(m=Max("updated_at"))["m"],
            registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
                s=Sum("sequence"))["s"])


def test_swapping_the_events_of_a_feed_for_others_of_the_same_id_sum_refreshes_it(
        client, monkeypatch, municipality, person):
    # Registered for events 1 and 4, no longer for 2 and 3; then the other way round, all in
    # the same instant: count, sum of ids and change times stay, the entries do not.
    moment = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    base = 7_000_000
    events = {n: EventFactory(pk=base + n, municipality=municipality, title=f"Семинар {n}")
              for n in (1, 2, 3, 4)}
    statuses = {1: "confirmed", 2: "cancelled", 3: "cancelled", 4: "confirmed"}
    registrations = {n: RegistrationFactory(event=events[n], person=person, status=status)
                     for n, status in statuses.items()}
    url = urls(person, events[1])["person"]
    before = client.get(url)
    sums = _sums(person)

    # A bare update: no change time or SEQUENCE moves, only which registrations are active.
    for n, status in {1: "cancelled", 2: "confirmed", 3: "confirmed", 4: "cancelled"}.items():
        Registration.objects.filter(pk=registrations[n].pk).update(status=status)

    assert _sums(person) == sums
    response = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != before["ETag"]
    assert {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).events} == {
        "Семинар 2", "Семинар 3"}
