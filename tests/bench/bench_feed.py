"""Benchmark: a personal feed of 500 events served by Django vs icalendar alone.

`run()` expects Django set up on a fresh test database (the bench runner does that). Its data
lives in one transaction that is rolled back, so other benchmarks see an empty database.
"""

import statistics
import time

import icalendar
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from events import calendar, fragments, services
from events.models import Event, EventForm, Registration
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    TrackFactory,
    in_days,
)

EVENTS = 500
RUNS = 7
TARGET_COLD = 1.2  # × icalendar alone: every VEVENT rendered (no fragment kept)
TARGET_WARM = 0.3  # × icalendar alone: unchanged events, a 200 assembled from fragments
TARGET_304_MS = 5.0


def _seed():
    """One person: most events registered, some waitlisted, some run by the person."""
    municipality = MunicipalityFactory(name="Бенчмарк календаря", time_zone="Asia/Vladivostok")
    person = PersonFactory(municipality=municipality, last_name="Иванова", first_name="Мария")
    track = TrackFactory(program__municipality=municipality)
    venue = OrganisationFactory(municipality=municipality)
    form = EventForm.objects.get_or_create(name="семинар")[0]
    events = Event.objects.bulk_create(
        Event(municipality=municipality, program=track.program, track=track, form=form,
              venue=venue, title=f"Семинар-практикум № {n}", room=str(n % 30 + 1),
              description="Разбор открытых уроков и обсуждение.\nПриходите с планом урока.",
              online_url="https://vk.com/live/school" if n % 3 == 0 else "",
              starts_at=in_days(n % 300 - 100, hour=n % 10 + 1),
              ends_at=in_days(n % 300 - 100, hour=n % 10 + 3))
        for n in range(EVENTS)
    )
    responsible = events[: EVENTS // 10]
    Event.responsible.through.objects.bulk_create(
        Event.responsible.through(event=event, person=person) for event in responsible)
    Registration.objects.bulk_create(
        Registration(event=event, person=person,
                     status=Registration.Status.WAITLISTED if n % 8 == 0
                     else Registration.Status.CONFIRMED)
        for n, event in enumerate(events[len(responsible):])
    )
    return person


def _seconds(action):
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _medians(**actions):
    """Median seconds of each action; runs interleave so a busy machine slows all alike."""
    times = {name: [] for name in actions}
    for _ in range(RUNS):
        for name, action in actions.items():
            times[name].append(_seconds(action))
    return {name: statistics.median(values) for name, values in times.items()}


def _values(body):
    """The served VEVENTs as plain values, so icalendar alone rebuilds the very same ones."""
    rows = []
    for c in icalendar.Calendar.from_ical(body).events:
        rows.append((str(c["UID"]), c["DTSTAMP"].dt, c.start, c.end, int(c["SEQUENCE"]),
                     str(c["STATUS"]), str(c["SUMMARY"]), str(c.get("LOCATION", "")),
                     str(c["DESCRIPTION"]), str(c["URL"]), [str(x) for x in c.categories],
                     c["LAST-MODIFIED"].dt))
    return rows


def _icalendar_alone(header, rows):
    """The same calendar in a tight loop: no database, no Django, only icalendar's work."""
    cal = icalendar.Calendar()
    for name, value, params in header:
        cal.add(name, value, parameters=params)
    for uid, stamp, start, end, seq, status, summary, location, desc, url, cats, mod in rows:
        event = icalendar.Event()
        event.add("UID", uid)
        event.add("DTSTAMP", stamp)
        event.add("DTSTART", start)
        event.add("DTEND", end)
        event.add("SEQUENCE", seq)
        event.add("STATUS", status)
        event.add("SUMMARY", summary)
        if location:
            event.add("LOCATION", location)
        event.add("DESCRIPTION", desc)
        event.add("URL", url)
        event.add("CATEGORIES", cats)
        event.add("LAST-MODIFIED", mod)
        cal.add_component(event)
    return cal.to_ical()


def _header(person):
    feed = calendar.person_feed(person)
    return [("PRODID", calendar.PRODID, None), ("VERSION", "2.0", None),
            ("CALSCALE", "GREGORIAN", None), ("NAME", feed.name, None),
            ("X-WR-CALNAME", feed.name, None), ("X-WR-TIMEZONE", feed.time_zone, None),
            ("REFRESH-INTERVAL", calendar.REFRESH, {"VALUE": "DURATION"}),
            ("X-PUBLISHED-TTL", icalendar.vDuration(calendar.REFRESH), None)]


def _measure():
    person = _seed()
    url = f"/calendar/{services.feed_for(person).token}.ics"
    client = Client()
    # secure: production serves HTTPS, and without DEBUG plain HTTP is redirected there.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        served = client.get(url, secure=True)
        assert served.status_code == 200, served.status_code
        etag = served["ETag"]
        header, rows = _header(person), _values(served.content)
        same = _icalendar_alone(header, rows) == served.content
        not_modified = client.get(url, secure=True, headers={"If-None-Match": etag})
        def cold():
            fragments.clear()
            return client.get(url, secure=True)

        medians = _medians(
            cold=cold,
            feed=lambda: client.get(url, secure=True),
            alone=lambda: _icalendar_alone(header, rows),
            revalidate=lambda: client.get(url, secure=True, headers={"If-None-Match": etag}),
        )
    return {**medians, "events": len(rows), "same": same,
            "304": not_modified.status_code == 304}


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    with transaction.atomic():
        result = _measure()
        transaction.set_rollback(True)
    cold, warm = result["cold"] / result["alone"], result["feed"] / result["alone"]
    revalidate = result["revalidate"] * 1000
    return [
        ("feed: events in the personal feed", str(result["events"])),
        (f"feed: icalendar alone, same VEVENTs, median of {RUNS} (ms), the baseline",
         f"{result['alone'] * 1000:.1f}"),
        (f"feed: cold (every VEVENT rendered), median of {RUNS} (ms)",
         f"{result['cold'] * 1000:.1f}"),
        (f"feed: cold / icalendar alone (target ≤ {TARGET_COLD})",
         f"{cold:.2f} ({_verdict(cold <= TARGET_COLD)})"),
        (f"feed: warm (unchanged events, a full 200), median of {RUNS} (ms)",
         f"{result['feed'] * 1000:.1f}"),
        (f"feed: warm / icalendar alone (target ≤ {TARGET_WARM})",
         f"{warm:.2f} ({_verdict(warm <= TARGET_WARM)})"),
        ("feed: icalendar alone produced identical bytes", "yes" if result["same"] else "no"),
        (f"feed: 304 revalidation with If-None-Match (ms, target ≤ {TARGET_304_MS:g})",
         f"{revalidate:.1f} ({_verdict(revalidate <= TARGET_304_MS)})"
         + ("" if result["304"] else " (not a 304!)")),
    ]


def _verdict(held):
    return "в норме" if held else "МЕДЛЕННО"
