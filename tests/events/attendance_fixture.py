"""A small program whose attendance figures are computed by hand in the docstring below.

Schools: СОШ № 1 (Анна — mentor, 20 years; Борис — mentee, 1 year), СОШ № 2 (Вера, 10 years;
Глеб, 2 years; Дина, 5 years), СОШ № 3 sends nobody.

            e1 (10.03, 2 h, track 1)  e2 (20.03, 3 h, track 1)  e3 (15.04, 4 h, track 2)  e5 (2099)
  Анна      confirmed, present       confirmed, present       confirmed, absent         confirmed
  Борис     confirmed, present       confirmed, unmarked      confirmed, present        —
  Вера      confirmed, absent        confirmed, present       waitlisted, present       —
  Глеб      walk-in, present         waitlisted, unmarked     confirmed, present        —
  Дина      confirmed, unmarked      confirmed, unmarked      —                         confirmed
e4 (cancelled, Анна present) and an event of another program are left out; e5 has not happened.

Per person (seats held at held events / came by registration / visits / hours):
  Анна 3/2/2/5, Борис 3/2/2/6, Вера 2/1/2/7, Глеб 1/1/2/6 (1 walk-in), Дина 2/0/0/0.
Totals: 11 seats, 6 came (54.55 %), 5 no-shows, 1 walk-in, 8 visits, 24 hours.
"""

import datetime
from dataclasses import dataclass

from events.models import Attendance, Event, Registration
from participants.models import Organisation
from tests.factories import (
    EventFactory,
    MenteeRecordFactory,
    MentorProfileFactory,
    PersonFactory,
    ProgramFactory,
    TrackFactory,
)

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)


def at(month, day):
    """10:00 in Vladivostok that day (00:00 UTC)."""
    return datetime.datetime(2026, month, day, 0, 0, tzinfo=datetime.UTC)


@dataclass
class Fixture:
    program: object
    track1: object
    track2: object
    events: dict
    people: dict
    schools: dict


def _event(municipality, program, track, title, starts, hours, **extra):
    return EventFactory(municipality=municipality, program=program, track=track, title=title,
                        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                        academic_hours=hours, **extra)


def build(municipality, curator_person=None):
    schools = {n: Organisation.objects.create(municipality=municipality,
                                              name=f"Средняя школа № {n}",
                                              short_name=f"СОШ № {n}") for n in (1, 2, 3)}
    anna = MentorProfileFactory(person__municipality=municipality, person__last_name="Антонова",
                                person__first_name="Анна", person__organisation=schools[1],
                                person__experience_years=20).person
    boris = MenteeRecordFactory(person__municipality=municipality, person__last_name="Борисов",
                                person__first_name="Борис", person__organisation=schools[1],
                                person__experience_years=1).person
    people = {"anna": anna, "boris": boris}
    for key, last, first, years in [("vera", "Васильева", "Вера", 10),
                                    ("gleb", "Глебов", "Глеб", 2),
                                    ("dina", "Дмитриева", "Дина", 5)]:
        people[key] = PersonFactory(municipality=municipality, organisation=schools[2],
                                    last_name=last, first_name=first, experience_years=years)
    program = ProgramFactory(municipality=municipality, name="Мастер-мастеру",
                             curator=curator_person)
    track1 = TrackFactory(program=program, number=1, theme="Подходы и практики",
                          start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 3, 31))
    track2 = TrackFactory(program=program, number=2, theme="Анализ современного урока",
                          start_date=datetime.date(2026, 4, 1), end_date=datetime.date(2026, 4, 30))
    events = {
        "e1": _event(municipality, program, track1, "Семинар «Наставничество»", at(3, 10), 2),
        "e2": _event(municipality, program, track1, "Мастер-класс", at(3, 20), 3),
        "e3": _event(municipality, program, track2, "Открытый урок", at(4, 15), 4),
        "e4": _event(municipality, program, track2, "Отменённый семинар", at(4, 20), 2,
                     status=Event.Status.CANCELLED),
        "e5": _event(municipality, program, None, "Фестиваль практик",
                     datetime.datetime(2099, 5, 1, tzinfo=datetime.UTC), 2),
        "other": _event(municipality, ProgramFactory(municipality=municipality), None,
                        "Чужая программа", at(3, 12), 8),
    }
    c, w = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
    plan = {
        "e1": {"anna": (c, True), "boris": (c, True), "vera": (c, False), "gleb": (None, True),
               "dina": (c, None)},
        "e2": {"anna": (c, True), "boris": (c, None), "vera": (c, True), "gleb": (w, None),
               "dina": (c, None)},
        "e3": {"anna": (c, False), "boris": (c, True), "vera": (w, True), "gleb": (c, True)},
        "e4": {"anna": (c, True)},
        "e5": {"anna": (c, None), "dina": (c, None)},
        "other": {"vera": (c, True)},
    }
    for event_key, marks in plan.items():
        for person_key, (status, present) in marks.items():
            event, person = events[event_key], people[person_key]
            if status:
                Registration.objects.create(event=event, person=person, status=status)
            if present is not None:
                Attendance.objects.create(event=event, person=person, present=present,
                                          is_walk_in=status is None)
    # A cancelled registration counts for nothing.
    Registration.objects.create(event=events["e3"], person=people["dina"],
                                status=Registration.Status.CANCELLED)
    return Fixture(program, track1, track2, events, people, schools)
