"""Read side of attendance: what a person attended, and the attendance reports.

`frame` loads the facts (a few querysets into one tidy pandas frame), `builder` turns them into
the tables of a report, `pdf`, `xlsx` and `tidy` render those very tables; `views` and `api` are
the pages and endpoints over them.
"""

from decimal import Decimal

from events.models import Attendance, Event


def person_summary(person):
    """The events a person attended (cancelled events left out) and their academic hours."""
    # One query; a person attends tens of events a year, so summing in Python is enough.
    events = list(
        Attendance.objects.filter(person=person, present=True)
        .exclude(event__status=Event.Status.CANCELLED)
        .order_by("event__starts_at", "event_id")
        .values("event_id", "event__title", "event__starts_at", "event__academic_hours")
    )
    return {
        "person_id": person.pk,
        "events_attended": len(events),
        "academic_hours": sum((row["event__academic_hours"] for row in events), Decimal(0)),
        "events": [
            {"id": row["event_id"], "title": row["event__title"],
             "starts_at": row["event__starts_at"], "academic_hours": row["event__academic_hours"]}
            for row in events
        ],
    }
