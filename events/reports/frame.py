"""The facts of an attendance report as one tidy frame: a row per person and event.

A row exists where a person held a registration (confirmed or waitlisted) or was marked. Five
queries whatever the size (events, registrations, marks, people, schools); pandas does the rest.
"""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Attendance, Event, Registration
from participants.models import (
    YOUNG_SPECIALIST_YEARS,
    MenteeRecord,
    MentorProfile,
    Organisation,
    Person,
    fold,
)

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def status_labels():
    """What became of one person at one event, as the report says it, by status code."""
    return {"present": _("присутствовал(а)"), "walk_in": _("пришёл(ла) без записи"),
            "no_show": _("не пришёл(ла)"), "waitlisted": _("в листе ожидания"),
            "expected": _("ожидается"), "absent": _("отсутствовал(а)")}


def role_labels(*, one=False):
    """Roles as groups of a table («наставники»), or of one person («наставник»)."""
    if one:
        return {"mentor": _("наставник"), "mentee": _("наставляемый"), "other": _("другое")}
    return {"mentor": _("наставники"), "mentee": _("наставляемые"), "other": _("другие")}


def experience_labels():
    return {"young": _("молодые специалисты (стаж < %(n)s лет)") % {"n": YOUNG_SPECIALIST_YEARS},
            "other": _("остальные")}


@dataclass(frozen=True)
class Period:
    """Days of a report, both ends included, in the municipality's calendar; None is open."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def filter(self, events, zone):
        if self.date_from:
            events = events.filter(starts_at__gte=datetime.datetime.combine(
                self.date_from, datetime.time.min, tzinfo=zone))
        if self.date_to:
            events = events.filter(starts_at__lt=datetime.datetime.combine(
                self.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone))
        return events

    def label(self, default_from=None, default_to=None):
        start, end = self.date_from or default_from, self.date_to or default_to
        if start and end:
            return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
        if start:
            return _("с %(date)s") % {"date": f"{start:%d.%m.%Y}"}
        if end:
            return _("по %(date)s") % {"date": f"{end:%d.%m.%Y}"}
        return _("за всё время")


def reported_events(events, period, zone):
    """Events of a report: cancelled ones left out, the period applied."""
    return period.filter(events.exclude(status=Event.Status.CANCELLED), zone)


EVENT_FIELDS = {"id": "event_id", "title": "event_title", "starts_at": "starts_at",
                "ends_at": "ends_at", "academic_hours": "event_hours",
                "track__number": "track_number", "form__name": "form"}
PERSON_FIELDS = {"id": "person_id", "last_name": "last_name", "first_name": "first_name",
                 "patronymic": "patronymic", "organisation_id": "school_id",
                 "organisation__short_name": "school_short", "organisation__name": "school_full",
                 "experience_years": "experience_years", "is_mentor": "is_mentor",
                 "is_mentee": "is_mentee"}


def _frame(rows, columns):
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def _raw(queryset):
    """The rows of a values_list of plain numbers and codes straight from the cursor: tens of
    thousands of registrations go three times faster without Django's per-row iterator.
    Booleans may come as 0/1 (SQLite); the frame compares them with True, which 1 equals."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _people(registrations, marks, person):
    people = Person.objects.annotate(
        is_mentor=Exists(MentorProfile.objects.filter(person=OuterRef("pk"), is_active=True)),
        is_mentee=Exists(MenteeRecord.objects.filter(person=OuterRef("pk"), is_active=True)),
    )
    if person is not None:
        people = people.filter(pk=person.pk)
    else:
        people = people.filter(Q(pk__in=registrations.values("person_id"))
                               | Q(pk__in=marks.values("person_id")))
    return _frame(people.values_list(*PERSON_FIELDS), PERSON_FIELDS.values())


def load(events, *, zone, person=None, now=None):
    """The tidy frame of the events (a queryset), and the events themselves as a frame."""
    now = now or timezone.now()
    ids = events.values("pk")
    registrations = Registration.objects.filter(event__in=ids, status__in=ACTIVE)
    marks = Attendance.objects.filter(event__in=ids)
    if person is not None:
        registrations, marks = registrations.filter(person=person), marks.filter(person=person)
    event_frame = _frame(events.order_by("starts_at", "id").values_list(*EVENT_FIELDS),
                         EVENT_FIELDS.values())
    event_frame["event_hours"] = event_frame["event_hours"].astype(float)
    event_frame["held"] = event_frame["ends_at"] <= now
    local = pd.to_datetime(event_frame["starts_at"], utc=True).dt.tz_convert(zone)
    event_frame["date"] = local.dt.date
    event_frame["month"] = local.dt.strftime("%Y-%m")
    event_frame["number"] = np.arange(1, len(event_frame) + 1)
    regs = _frame(_raw(registrations.values_list("event_id", "person_id", "status")),
                  ("event_id", "person_id", "registration"))
    marked = _frame(_raw(marks.values_list("event_id", "person_id", "present")),
                    ("event_id", "person_id", "present"))
    people = _people(registrations, marks, person)
    rows = regs.merge(marked, on=["event_id", "person_id"], how="outer")
    rows = rows.merge(event_frame, on="event_id").merge(people, on="person_id")
    return _classified(rows), event_frame


def _classified(rows):
    """Each row's status, hours and groups, from its registration and its mark."""
    rows["marked"] = rows["present"].notna()
    present = rows["present"].eq(True)
    confirmed = rows["registration"].eq(Registration.Status.CONFIRMED)
    rows["present"] = present
    rows["walk_in"] = present & rows["registration"].isna()
    rows["came"] = present & confirmed & rows["held"]
    rows["booked"] = confirmed & rows["held"]  # registrations a turn-out is counted against
    rows["no_show"] = confirmed & rows["held"] & ~present
    rows["status"] = np.select(
        [rows["walk_in"], present, rows["no_show"],
         rows["registration"].eq(Registration.Status.WAITLISTED), confirmed],
        ["walk_in", "present", "no_show", "waitlisted", "expected"], default="absent")
    rows["hours"] = np.where(present, rows["event_hours"], 0.0)
    rows["full_name"] = (rows["last_name"] + " " + rows["first_name"] + " "
                         + rows["patronymic"].fillna("")).str.strip()
    rows["school"] = (rows["school_short"].replace("", np.nan).fillna(rows["school_full"])
                      .fillna(_("школа не указана")))
    rows["role"] = np.select([rows["is_mentor"].astype(bool), rows["is_mentee"].astype(bool)],
                             ["mentor", "mentee"], default="other")
    young = rows["experience_years"].lt(YOUNG_SPECIALIST_YEARS).fillna(False).astype(bool)
    rows["experience"] = np.where(young, "young", "other")
    rows["sort_name"] = rows["full_name"].map(fold)
    return rows.sort_values(["starts_at", "event_id", "sort_name", "person_id"],
                            ignore_index=True)


def schools(municipality):
    """The schools of a municipality as a frame (id, name), for «sent nobody»."""
    return _frame(Organisation.objects.filter(municipality=municipality)
                  .values_list("id", "short_name", "name"), ("school_id", "short", "full"))
