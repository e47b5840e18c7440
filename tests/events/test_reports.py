"""Attendance report figures against the hand-computed fixture (tests/events/attendance_fixture)."""

import datetime

import pytest

from events.reports import builder
from events.reports.frame import Period
from tests.events import attendance_fixture
from tests.events.attendance_fixture import NOW


@pytest.fixture
def school(municipality):
    return attendance_fixture.build(municipality)


def facts(report):
    return {fact.key: fact.value for fact in report.facts}


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def by_group(report, key, *columns):
    return {row["group"]: tuple(row[c] for c in columns) for row in table(report, key).rows}


SHARE = ("people", "booked", "came", "rate", "no_show", "walk_in", "visits", "hours")


def test_program_totals_count_seats_of_held_events_and_leave_out_cancelled(school):
    report = builder.series_report(school.program, now=NOW)

    assert facts(report) == {"events": 4, "held": 3, "people": 5, "booked": 11, "came": 6,
                             "rate": 0.5455, "no_show": 5, "walk_in": 1, "visits": 8,
                             "hours": 24.0}


def test_program_turn_out_by_school_role_and_experience(school):
    report = builder.series_report(school.program, now=NOW)

    assert by_group(report, "schools", *SHARE) == {
        "СОШ № 1": (2, 6, 4, 0.6667, 2, 0, 4, 11.0),
        "СОШ № 2": (3, 5, 2, 0.4, 3, 1, 4, 13.0),
    }
    assert by_group(report, "roles", "people", "booked", "came", "rate") == {
        "наставники": (1, 3, 2, 0.6667), "наставляемые": (1, 3, 2, 0.6667),
        "другие": (3, 5, 2, 0.4)}
    assert by_group(report, "experience", "people", "booked", "came", "rate", "hours") == {
        "молодые специалисты (стаж < 3 лет)": (2, 4, 3, 0.75, 12.0),
        "остальные": (3, 7, 3, 0.4286, 12.0)}


def test_program_months_never_came_and_silent_schools(school):
    report = builder.series_report(school.program, now=NOW)

    assert by_group(report, "months", "booked", "came", "visits", "hours") == {
        "Март 2026": (8, 4, 5, 12.0), "Апрель 2026": (3, 2, 3, 12.0), "Май 2099": (0, 0, 0, 0.0)}
    assert table(report, "never_came").rows == [
        {"full_name": "Дмитриева Дина Петровна", "school": "СОШ № 2", "booked": 2}]
    assert table(report, "silent_schools").rows == [{"school": "СОШ № 3"}]


def test_program_matrix_has_hours_where_present_and_n_for_no_shows(school):
    report = builder.series_report(school.program, now=NOW)
    matrix = table(report, "matrix")
    e = {key: f"e{event.pk}" for key, event in school.events.items()}
    rows = {row["full_name"].split()[0]: row for row in matrix.rows}

    assert [c.key for c in matrix.columns if c.kind == builder.MARK] == [
        e["e1"], e["e2"], e["e3"], e["e5"]]
    assert [rows["Антонова"][e[k]] for k in ("e1", "e2", "e3", "e5")] == [2.0, 3.0, "н", None]
    assert [rows["Васильева"][e[k]] for k in ("e1", "e2", "e3", "e5")] == [
        "н", 3.0, 4.0, None]
    assert {name: (row["visits"], row["hours"]) for name, row in rows.items()} == {
        "Антонова": (2, 5.0), "Борисов": (2, 6.0), "Васильева": (2, 7.0), "Глебов": (2, 6.0),
        "Дмитриева": (0, 0.0)}
    # By school, then by name.
    assert list(rows) == ["Антонова", "Борисов", "Васильева", "Глебов", "Дмитриева"]


def test_track_report_holds_only_its_events(school):
    report = builder.series_report(school.track1, now=NOW)

    assert facts(report)["events"] == 2
    assert (facts(report)["booked"], facts(report)["came"], facts(report)["visits"]) == (8, 4, 5)
    assert ("Трек", "1 трек: «Подходы и практики»") in report.header


def test_period_takes_days_of_the_municipality(school):
    april = Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    report = builder.series_report(school.program, april, now=NOW)

    assert [row["title"] for row in table(report, "events").rows] == ["Открытый урок"]
    assert ("Период", "01.04.2026 – 30.04.2026") in report.header
    # 10 March, 10:00 in Vladivostok is still 9 March in UTC's calendar: local days count.
    tenth = Period(datetime.date(2026, 3, 10), datetime.date(2026, 3, 10))
    assert facts(builder.series_report(school.program, tenth, now=NOW))["events"] == 1


def test_event_report_groups_by_school_with_totals(school):
    report = builder.event_report(school.events["e1"], now=NOW)

    assert {k: v for k, v in facts(report).items()} == {
        "confirmed": 4, "visits": 3, "came": 2, "walk_in": 1, "no_show": 2, "waitlisted": 0,
        "rate": 0.5, "hours": 2.0}
    assert by_group(report, "schools", "people", "booked", "came", "no_show", "walk_in",
                    "visits") == {"СОШ № 1": (2, 2, 2, 0, 0, 2),
                                  "СОШ № 2": (3, 2, 0, 2, 1, 1),
                                  "Итого": (5, 4, 2, 2, 1, 3)}
    people = {row["full_name"].split()[0]: (row["registration"], row["status"])
              for row in table(report, "people").rows}
    assert people == {
        "Антонова": ("записан(а)", "присутствовал(а)"),
        "Борисов": ("записан(а)", "присутствовал(а)"),
        "Васильева": ("записан(а)", "не пришёл(ла)"),
        "Глебов": ("без записи", "пришёл(ла) без записи"),
        "Дмитриева": ("записан(а)", "не пришёл(ла)")}


def test_event_report_shows_waiting_list_and_expected_before_the_event(school):
    e2 = builder.event_report(school.events["e2"], now=NOW)
    e5 = builder.event_report(school.events["e5"], now=NOW)

    assert facts(e2)["waitlisted"] == 1
    statuses = {row["status"] for row in table(e5, "people").rows}
    assert statuses == {"ожидается"}
    assert (facts(e5)["no_show"], facts(e5)["rate"]) == (0, None)


def test_person_report_lists_attended_events_with_dates_and_hours(school):
    report = builder.person_report(school.people["anna"], now=NOW)

    assert table(report, "attended").rows == [
        {"date": datetime.date(2026, 3, 10), "title": "Семинар «Наставничество»",
         "form": "семинар", "hours": 2.0},
        {"date": datetime.date(2026, 3, 20), "title": "Мастер-класс", "form": "семинар",
         "hours": 3.0}]
    assert facts(report) == {"visits": 2, "hours": 5.0, "no_show": 1}


def test_empty_program_gives_empty_tables_not_an_error(municipality):
    program = attendance_fixture.ProgramFactory(municipality=municipality)

    report = builder.series_report(program, now=NOW)

    assert facts(report)["events"] == 0 and facts(report)["rate"] is None
    assert all(t.rows == [] for t in report.tables if t.key != "silent_schools")
