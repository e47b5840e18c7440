"""REST endpoints of attendance reports: JSON, and the same report as a PDF, XLSX or CSV file.

Program and track reports are for curators; an event report for the curator and mentors of its
municipality (they keep its sheet); a person's report for that person and the staff who may see
them. Every lookup is scoped, so another municipality's object is a 404.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from events import services
from events.reports import access, builder, files

router = Router(tags=["Отчёты о посещаемости"])

Format = Literal["pdf", "xlsx", "csv"]
Value = datetime.date | int | float | str | None


class PeriodQuery(Schema):
    date_from: datetime.date | None = Field(None, alias="from", title="С даты",
                                            description="с (включительно), ГГГГ-ММ-ДД")
    date_to: datetime.date | None = Field(None, alias="to", title="По дату",
                                          description="по (включительно), ГГГГ-ММ-ДД")


class AttendanceColumnOut(Schema):
    key: str
    label: str
    kind: str


class AttendanceFactOut(Schema):
    key: str
    label: str
    value: Value
    kind: str


class AttendanceHeaderOut(Schema):
    label: str
    value: str


class AttendanceTableOut(Schema):
    key: str
    title: str
    columns: list[AttendanceColumnOut]
    rows: list[dict[str, Value]]
    note: str
    matrix: bool = Field(title="Матрица «участник × мероприятие»")


class AttendanceReportOut(Schema):
    kind: str
    title: str
    department: str = Field(title="Орган управления образованием")
    header: list[AttendanceHeaderOut]
    closure: str = Field(title="Лист закрыт (кто и когда)")
    signer: str = Field(title="Куратор, подписывающий отчёт")
    facts: list[AttendanceFactOut]
    tables: list[AttendanceTableOut]


class SheetClosureOut(Schema):
    event_id: int
    closed_at: datetime.datetime = Field(title="Когда закрыт")
    closed_by: str = Field(title="Кто и когда закрыл")


def _out(report):
    return {**report.__dict__, "header": [{"label": label, "value": str(value)}
                                          for label, value in report.header]}


def _period(query):
    return access.period(query.date_from, query.date_to)


def _program_report(request, program_id, query):
    program = access.program_or_404(request.auth, program_id)
    return builder.series_report(program, _period(query))


def _track_report(request, track_id, query):
    track = access.track_or_404(request.auth, track_id)
    return builder.series_report(track, _period(query))


def _event_report(request, event_id):
    return builder.event_report(access.event_or_404(request.auth, event_id))


def _person_report(request, person_id, query):
    person = access.person_or_404(request.auth, person_id)
    return builder.person_report(person, _period(query))


@router.get("/programs/{program_id}/attendance", response=AttendanceReportOut,
            summary="Посещаемость программы")
def program_attendance(request, program_id: int, query: Query[PeriodQuery]):
    """Curator: a program's attendance over a period — matrix, turn-out by school, role, stage."""
    return _out(_program_report(request, program_id, query))


@router.get("/programs/{program_id}/attendance.{fmt}", summary="Посещаемость программы: файл")
def program_attendance_file(request, program_id: int, fmt: Format, query: Query[PeriodQuery]):
    return files.download(_program_report(request, program_id, query), fmt)


@router.get("/tracks/{track_id}/attendance", response=AttendanceReportOut,
            summary="Посещаемость трека")
def track_attendance(request, track_id: int, query: Query[PeriodQuery]):
    """Curator: the same report for the events of one track."""
    return _out(_track_report(request, track_id, query))


@router.get("/tracks/{track_id}/attendance.{fmt}", summary="Посещаемость трека: файл")
def track_attendance_file(request, track_id: int, fmt: Format, query: Query[PeriodQuery]):
    return files.download(_track_report(request, track_id, query), fmt)


@router.get("/events/{event_id}/attendance-report", response=AttendanceReportOut,
            summary="Посещаемость мероприятия")
def event_attendance(request, event_id: int):
    """Staff: everyone registered or marked at the event, by school, with totals."""
    return _out(_event_report(request, event_id))


@router.get("/events/{event_id}/attendance-report.{fmt}", summary="Посещаемость мероприятия: файл")
def event_attendance_file(request, event_id: int, fmt: Format):
    return files.download(_event_report(request, event_id), fmt)


@router.post("/events/{event_id}/attendance-sheet/close", response=SheetClosureOut,
             summary="Закрыть лист посещаемости")
def close_sheet(request, event_id: int):
    """Curator: «лист закрыт»; later corrections are still possible and kept in the history."""
    event = access.event_or_404(request.auth, event_id)
    closure = services.close_sheet(event, by=request.auth)
    return {"event_id": event.pk, "closed_at": closure.closed_at,
            "closed_by": builder.closure_text(closure, event.municipality.zone)}


@router.get("/people/{person_id}/attendance", response=AttendanceReportOut,
            summary="Посещения участника")
def person_attendance(request, person_id: int, query: Query[PeriodQuery]):
    """Events a person attended with dates and academic hours: the person, or staff."""
    return _out(_person_report(request, person_id, query))


@router.get("/people/{person_id}/attendance.{fmt}", summary="Посещения участника: файл")
def person_attendance_file(request, person_id: int, fmt: Format, query: Query[PeriodQuery]):
    return files.download(_person_report(request, person_id, query), fmt)

