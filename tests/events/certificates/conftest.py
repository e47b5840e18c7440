"""A small track with hand-countable attendance: 4 events held (2 academic hours each, one of
them 1.5), one cancelled, one in the future."""

import datetime
from decimal import Decimal

import pytest

from events.models import Attendance
from tests.factories import EventFactory, PersonFactory, ProgramFactory, TrackFactory, in_days


@pytest.fixture
def track(municipality):
    program = ProgramFactory(municipality=municipality, name="Мастер-мастеру")
    return TrackFactory(program=program, number=1, theme="Анализ современного урока")


@pytest.fixture
def held(track, municipality):
    """The four held events of the track, the oldest first (hours 2, 2, 2, 1.5)."""
    events = [EventFactory(municipality=municipality, program=track.program, track=track,
                           starts_at=in_days(-40 + 7 * n), academic_hours=hours)
              for n, hours in enumerate([2, 2, 2, Decimal("1.5")])]
    EventFactory(municipality=municipality, program=track.program, track=track,
                 starts_at=in_days(-3), status="cancelled", academic_hours=10)
    EventFactory(municipality=municipality, program=track.program, track=track,
                 starts_at=in_days(30), academic_hours=10)
    return events


def attend(person, events, present=True):
    for event in events:
        Attendance.objects.create(event=event, person=person, present=present)


@pytest.fixture
def maria(municipality):
    return PersonFactory(municipality=municipality, last_name="Иванова", first_name="Мария",
                         patronymic="Петровна", email="maria@example.org")


def days_ago(days):
    return datetime.date.today() - datetime.timedelta(days=days)
