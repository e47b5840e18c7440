"""Attendance reports of an event, a track or a program, and of a person: tables from one frame.

Every renderer (page, JSON, PDF, XLSX, CSV) shows these very tables; none computes a figure.
Turn-out («явка») is counted against confirmed registrations of events that have ended: of the
people who held a seat, the share who came. Walk-ins and the waiting list are counted apart.
"""

import datetime
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, SheetClosure, Track
from events.reports import frame as facts
from events.reports.frame import Period

TEXT, INT, HOURS, PCT, DATE, MARK = "text", "int", "hours", "pct", "date", "mark"
NUMERIC = frozenset({INT, HOURS, PCT})
ALL_TIME = Period()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Chart:
    """A chart of one column of a table against its label column (a native one in XLSX)."""

    label_key: str
    value_key: str
    title: str


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: object
    kind: str = INT


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list  # dicts by column key
    note: str = ""
    chart: Chart | None = None
    matrix: bool = False  # person × event: narrow mark columns, printed in pieces


@dataclass
class Report:
    kind: str  # event, track, program, person
    title: str
    department: str
    header: list  # (label, value)
    facts: list
    tables: list
    rows: pd.DataFrame = field(repr=False)  # the tidy rows behind every figure
    filename: str = "attendance"
    signer: str = ""  # the curator who signs the printed report
    closure: str = ""  # «лист закрыт …» of an event
    zone: datetime.tzinfo = datetime.UTC
    wide: bool = False


def department(municipality):
    """The issuing body named on every report: the education department of the municipality."""
    return str(municipality.department_name)


def _rate(came, booked):
    return round(came / booked, 4) if booked else None


def _share(frame):
    """The figures of a group of rows: people, turn-out, walk-ins, visits, hours."""
    booked, came = int(frame["booked"].sum()), int(frame["came"].sum())
    return {"people": int(frame["person_id"].nunique()), "booked": booked, "came": came,
            "rate": _rate(came, booked), "no_show": int(frame["no_show"].sum()),
            "walk_in": int(frame["walk_in"].sum()), "visits": int(frame["present"].sum()),
            "hours": round(float(frame["hours"].sum()), 1)}


def _share_columns(label):
    return [Column("group", label), Column("people", _("участников"), INT),
            Column("booked", _("записей"), INT), Column("came", _("пришли по записи"), INT),
            Column("rate", _("явка"), PCT), Column("no_show", _("не пришли"), INT),
            Column("walk_in", _("без записи"), INT), Column("visits", _("посещений"), INT),
            Column("hours", _("ак. часов"), HOURS)]


SUMS = {"booked": "booked", "came": "came", "no_show": "no_show", "walk_in": "walk_in",
        "visits": "present", "hours": "hours"}


def _shares(rows, by):
    """_share of every group at once: {key: figures}, one groupby instead of a loop."""
    if rows.empty:
        return {}
    grouped = rows.groupby(by, sort=False)
    table = grouped[list(SUMS.values())].sum().rename(columns={v: k for k, v in SUMS.items()})
    table["people"] = grouped["person_id"].nunique()
    result = {}
    for key, row in zip(table.index, table.to_dict("records"), strict=True):
        booked, came = int(row["booked"]), int(row["came"])
        result[key] = {"people": int(row["people"]), "booked": booked, "came": came,
                       "rate": _rate(came, booked), "no_show": int(row["no_show"]),
                       "walk_in": int(row["walk_in"]), "visits": int(row["visits"]),
                       "hours": round(float(row["hours"]), 1)}
    return result


def _grouped(rows, by, labels=None, *, order=None):
    found = _shares(rows, by)
    keys = order if order is not None else sorted(found, key=lambda k: facts.fold(str(k)))
    return [{"group": (labels or {}).get(key, key), **found[key]} for key in keys if key in found]


def _share_table(key, title, label, rows, by, *, labels=None, order=None, chart=None):
    return Table(key, title, _share_columns(label),
                 _grouped(rows, by, labels, order=order), chart=chart)


def _summary(rows, events):
    total = _share(rows)
    held = int(events["held"].sum()) if not events.empty else 0
    return [
        Fact("events", _("мероприятий"), len(events)),
        Fact("held", _("из них прошло"), held),
        Fact("people", _("участников"), total["people"]),
        Fact("booked", _("записей на прошедшие"), total["booked"]),
        Fact("came", _("пришли по записи"), total["came"]),
        Fact("rate", _("явка"), total["rate"], PCT),
        Fact("no_show", _("не пришли"), total["no_show"]),
        Fact("walk_in", _("пришли без записи"), total["walk_in"]),
        Fact("visits", _("посещений всего"), total["visits"]),
        Fact("hours", _("академических часов всего"), total["hours"], HOURS),
    ]


# --- track and program -----------------------------------------------------------------------

def _events_table(rows, events):
    counts = _shares(rows, "event_id")
    empty = _share(rows.iloc[0:0])
    table_rows = []
    for event in events.itertuples():
        share = counts.get(event.event_id, empty)
        table_rows.append({
            "number": int(event.number), "date": event.date, "title": event.event_title,
            "track": event.track_number if pd.notna(event.track_number) else None,
            "form": event.form, "hours": float(event.event_hours), "booked": share["booked"],
            "came": share["came"], "rate": share["rate"], "walk_in": share["walk_in"],
            "visits": share["visits"]})
    return Table("events", _("Мероприятия"), [
        Column("number", "№", INT), Column("date", _("дата"), DATE),
        Column("title", _("мероприятие")), Column("track", _("трек"), INT),
        Column("form", _("форма")), Column("hours", _("ак. часов"), HOURS),
        Column("booked", _("записей"), INT), Column("came", _("пришли по записи"), INT),
        Column("rate", _("явка"), PCT), Column("walk_in", _("без записи"), INT),
        Column("visits", _("посещений"), INT)], table_rows)


def _months_table(rows, events):
    months = sorted(events["month"].unique()) if not events.empty else []
    names = {month: _month_name(month) for month in months}
    return _share_table("months", _("Посещаемость по месяцам"), _("месяц"), rows, "month",
                        labels=names, order=months,
                        chart=Chart("group", "visits", _("Посещений по месяцам")))


def _month_name(month):
    from events.formatting import date_format

    return date_format(datetime.date.fromisoformat(f"{month}-01"), "F Y")


def _matrix(rows, events):
    """Person × event: hours where present, «н» where a seat was held and nobody came."""
    columns = [Column("full_name", _("ФИО")), Column("school", _("школа"))]
    columns += [Column(f"e{e.event_id}", f"{e.number}", MARK) for e in events.itertuples()]
    columns += [Column("visits", _("посещений"), INT), Column("hours", _("ак. часов"), HOURS)]
    if rows.empty:
        return Table("matrix", _("Участник × мероприятие"), columns, [], matrix=True)
    marks = rows["hours"].where(rows["present"]).astype(object)
    marks = marks.where(rows["present"], pd.Series(
        ["н" if no_show else None for no_show in rows["no_show"]], index=rows.index))
    cells = (rows.assign(cell=marks, key="e" + rows["event_id"].astype(str))
             .pivot(index="person_id", columns="key", values="cell"))
    people = (rows.groupby("person_id", sort=False)
              .agg(full_name=("full_name", "first"), school=("school", "first"),
                   sort_name=("sort_name", "first"), visits=("present", "sum"),
                   hours=("hours", "sum"))
              .sort_values(["school", "sort_name"], key=lambda s: s.map(facts.fold)))
    keys = [c.key for c in columns if c.kind == MARK]
    cells = cells.reindex(index=people.index, columns=keys).astype(object)
    table = people[["full_name", "school", "visits", "hours"]].join(cells)
    table["visits"] = table["visits"].astype(int)
    table["hours"] = table["hours"].astype(float).round(1)
    table = table.astype(object).where(table.notna(), None)
    table_rows = table.reset_index().to_dict("records")
    return Table("matrix", _("Участник × мероприятие (ак. часы; «н» — записан(а), не пришёл(ла))"),
                 columns, table_rows, matrix=True,
                 note=_("Номера столбцов — номера мероприятий в таблице «Мероприятия»; "
                        "последние столбцы — посещения и академические часы участника."))


def _never_came(rows):
    if rows.empty:
        people = rows
    else:
        per = rows.groupby("person_id").agg(
            full_name=("full_name", "first"), school=("school", "first"),
            sort_name=("sort_name", "first"), booked=("booked", "sum"),
            visits=("present", "sum"))
        people = per[(per["booked"] > 0) & (per["visits"] == 0)].sort_values(
            ["sort_name"])
    return Table("never_came", _("Записывались и ни разу не пришли"), [
        Column("full_name", _("ФИО")), Column("school", _("школа")),
        Column("booked", _("записей"), INT)],
        [{"full_name": p.full_name, "school": p.school, "booked": int(p.booked)}
         for p in people.itertuples()])


def _silent_schools(rows, schools):
    came = set(rows.loc[rows["present"], "school_id"].dropna().astype(int)) if len(rows) else set()
    names = [(s.short or s.full) for s in schools.itertuples() if s.school_id not in came]
    return Table("silent_schools", _("Школы, не направившие никого"),
                 [Column("school", _("школа"))],
                 [{"school": name} for name in sorted(names, key=facts.fold)])


def _series_tables(rows, events, schools):
    roles, groups = facts.role_labels(), facts.experience_labels()
    return [
        _events_table(rows, events),
        _share_table("schools", _("Посещаемость по школам"), _("школа"), rows, "school",
                     chart=Chart("group", "rate", _("Явка по школам"))),
        _share_table("roles", _("По ролям"), _("роль"), rows, "role", labels=roles,
                     order=list(roles)),
        _share_table("experience", _("По стажу"), _("группа"), rows, "experience",
                     labels=groups, order=list(groups)),
        _months_table(rows, events),
        _never_came(rows),
        _silent_schools(rows, schools),
        _matrix(rows, events),
    ]


def series_report(subject, period=ALL_TIME, *, now=None):
    """The attendance report of a program or a track over a period."""
    is_track = isinstance(subject, Track)
    program = subject.program if is_track else subject
    municipality = program.municipality
    zone = municipality.zone
    events = Event.objects.filter(track=subject) if is_track else Event.objects.filter(
        program=subject)
    events = facts.reported_events(events, period, zone)
    rows, event_frame = facts.load(events, zone=zone, now=now)
    header = [(_("Программа"), program.name)]
    if is_track:
        header.append((_("Трек"), str(subject)))
    header.append((_("Период"), period.label(subject.start_date, subject.end_date)))
    kind = "track" if is_track else "program"
    title = _("Посещаемость трека") if is_track else _("Посещаемость программы")
    return Report(
        kind=kind, title=title, department=department(municipality), header=header,
        facts=_summary(rows, event_frame),
        tables=_series_tables(rows, event_frame, facts.schools(municipality)),
        rows=rows, filename=f"attendance-{kind}-{subject.pk}", zone=zone, wide=True,
        signer=program.curator.full_name if program.curator_id else "",
    )


# --- one event -------------------------------------------------------------------------------

def _people_table(rows):
    labels = facts.status_labels()
    ordered = rows.sort_values(["school", "sort_name"], key=lambda s: s.map(facts.fold)) \
        if len(rows) else rows
    return Table("people", _("Участники по школам"), [
        Column("school", _("школа")), Column("full_name", _("ФИО")),
        Column("registration", _("запись")), Column("status", _("отметка"))],
        [{"school": r.school, "full_name": r.full_name,
          "registration": _registration_label(r.registration), "status": labels[r.status]}
         for r in ordered.itertuples()])


def _registration_label(value):
    if value == "confirmed":
        return _("записан(а)")
    if value == "waitlisted":
        return _("лист ожидания")
    return _("без записи")


def _event_facts(rows, event):
    total = _share(rows)
    waiting = int((rows["registration"] == "waitlisted").sum()) if len(rows) else 0
    confirmed = int((rows["registration"] == "confirmed").sum()) if len(rows) else 0
    return [
        Fact("confirmed", _("записано"), confirmed),
        Fact("visits", _("присутствовали"), total["visits"]),
        Fact("came", _("из них по записи"), total["came"]),
        Fact("walk_in", _("без записи"), total["walk_in"]),
        Fact("no_show", _("не пришли"), total["no_show"]),
        Fact("waitlisted", _("в листе ожидания"), waiting),
        Fact("rate", _("явка"), total["rate"], PCT),
        Fact("hours", _("ак. часов мероприятия"), float(event.academic_hours), HOURS),
    ]


def _with_total(table):
    if not table.rows:
        return table
    total = {"group": _("Итого")}
    for column in table.columns[1:]:
        total[column.key] = sum(row[column.key] or 0 for row in table.rows)
    total["rate"] = _rate(total["came"], total["booked"])
    total["people"] = sum(row["people"] for row in table.rows)
    table.rows.append(total)
    return table


def closure_text(closure, zone):
    if closure is None:
        return ""
    who = ""
    user = closure.closed_by
    if user is not None:
        person = getattr(user, "person", None)
        who = person.full_name if person is not None else user.get_username()
    when = timezone.localtime(closure.closed_at, zone).strftime("%d.%m.%Y %H:%M")
    return (_("Лист закрыт: %(who)s, %(when)s") % {"who": who, "when": when} if who
            else _("Лист закрыт: %(when)s") % {"when": when})


def event_report(event, *, now=None):
    """The attendance report of one event: everyone registered or marked, by school."""
    event = (Event.objects.select_related("municipality", "program__curator", "track", "form")
             .get(pk=event.pk))
    zone = event.municipality.zone
    rows, events = facts.load(Event.objects.filter(pk=event.pk), zone=zone, now=now)
    closure = (SheetClosure.objects.select_related("closed_by__person")
               .filter(event=event).first())
    local = timezone.localtime(event.starts_at, zone)
    header = [(_("Мероприятие"), event.title), (_("Дата"), f"{local:%d.%m.%Y %H:%M}"),
              (_("Форма"), event.form.name)]
    if event.program_id:
        header.insert(0, (_("Программа"), event.program.name))
    if event.track_id:
        header.insert(1, (_("Трек"), str(event.track)))
    schools = _with_total(_share_table(
        "schools", _("По школам"), _("школа"), rows, "school",
        chart=Chart("group", "visits", _("Присутствовали по школам"))))
    curator = event.program.curator if event.program_id else None
    return Report(
        kind="event", title=_("Посещаемость мероприятия"),
        department=department(event.municipality), header=header,
        facts=_event_facts(rows, event), tables=[schools, _people_table(rows)], rows=rows,
        filename=f"attendance-event-{event.pk}", signer=curator.full_name if curator else "",
        closure=closure_text(closure, zone), zone=zone)


# --- one person ------------------------------------------------------------------------------

def person_report(person, period=ALL_TIME, *, now=None):
    """The events a person attended with dates and academic hours: the basis of a certificate."""
    zone = person.municipality.zone
    events = Event.objects.filter(
        Q(pk__in=person.attendances.values("event_id"))
        | Q(pk__in=person.registrations.values("event_id")))
    events = facts.reported_events(events, period, zone)
    rows, event_frame = facts.load(events, zone=zone, person=person, now=now)
    attended = rows[rows["present"]] if len(rows) else rows
    table = Table("attended", _("Посещённые мероприятия"), [
        Column("date", _("дата"), DATE), Column("title", _("мероприятие")),
        Column("form", _("форма")), Column("hours", _("ак. часов"), HOURS)],
        [{"date": r.date, "title": r.event_title, "form": r.form, "hours": float(r.event_hours)}
         for r in attended.itertuples()])
    total = _share(rows)
    school = person.organisation.short_name or person.organisation.name \
        if person.organisation_id else ""
    return Report(
        kind="person", title=_("Посещённые мероприятия участника"),
        department=department(person.municipality),
        header=[(_("Участник"), person.full_name), (_("Школа"), school),
                (_("Период"), period.label())],
        facts=[Fact("visits", _("посещено мероприятий"), total["visits"]),
               Fact("hours", _("академических часов"), total["hours"], HOURS),
               Fact("no_show", _("записи без посещения"), total["no_show"])],
        tables=[table], rows=rows, filename=f"attendance-person-{person.pk}", zone=zone)
