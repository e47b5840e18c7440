"""Points on a hand-computed fixture, the municipality's own table, one query count at any size,
and the summary for the commission as page, PDF and XLSX."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Event
from participants.models import MentorProfile, PersonalProgram
from portfolio import services
from portfolio.models import Achievement, Criterion
from portfolio.points import Period, points_summary
from practices.models import Practice, Review
from tests.factories import (
    EventFactory,
    MentoringGroupFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.pdf_text import needs_pdftotext, pdf_text
from tests.portfolio.conftest import API, SCHOOL_YEAR, signed_in

pytestmark = pytest.mark.django_db
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=VLADIVOSTOK)


def _program(mentor, start, end):
    group = MentoringGroupFactory(municipality=mentor.municipality, mentor=mentor,
                                  start_date=start)
    return PersonalProgram.objects.create(group=group, goal="Урок по ФГОС", start_date=start,
                                          end_date=end)


def _accepted(practice, level, decided):
    return Review.objects.create(practice=practice, level=level, submitted_at=decided,
                                 outcome=Review.Outcome.ACCEPTED, decided_at=decided)


def _record(mentor, kind, level, date):
    return Achievement.objects.create(municipality=mentor.municipality, mentor=mentor, kind=kind,
                                      level=level, title=f"{kind} {level}", date=date,
                                      evidence_url="https://school.example/proof")


@pytest.fixture
def scored(municipality, mentor):
    """Mentor Фёдорова, 2026/27 school year, the default table — by hand:

    programs: one running in the year (3), one ended in June 2026 (out)          →  3
    practices: accepted school 10.10.2026 (1) and municipal 01.03.2027 (2);
               regional 02.09.2027 (after the year, out)                        →  3
    events led: a seminar 15.11.2026 (2); a cancelled one (out); one of
                August 2026 (out); the first minutes of 01.09.2026 local (2)    →  4
    projects: regional (3); contests: municipal (2), school (no line: 0)        →  5
                                                                        total   → 15
    """
    _program(mentor, datetime.date(2026, 10, 1), datetime.date(2027, 5, 31))
    _program(mentor, datetime.date(2025, 9, 1), datetime.date(2026, 6, 30))
    practice = Practice.objects.create(municipality=municipality, author=mentor,
                                       author_name=mentor.full_name, title="Мультитекст урока")
    _accepted(practice, "school", at(2026, 10, 10))
    _accepted(practice, "municipal", at(2027, 3, 1))
    _accepted(practice, "regional", at(2027, 9, 2))
    for starts, status in ((at(2026, 11, 15), "planned"), (at(2026, 12, 1), "cancelled"),
                           (at(2026, 8, 20), "planned"), (at(2026, 9, 1, 0), "planned")):
        event = EventFactory(municipality=municipality, starts_at=starts,
                             ends_at=starts + datetime.timedelta(hours=2), status=status)
        event.responsible.add(mentor)
    _record(mentor, "project", "regional", datetime.date(2027, 4, 1))
    _record(mentor, "contest", "municipal", datetime.date(2027, 2, 1))
    _record(mentor, "contest", "school", datetime.date(2027, 2, 2))
    return mentor


def test_points_of_the_fixture_by_hand(municipality, scored, school):
    quiet = PersonFactory(municipality=municipality, organisation=school, last_name="Балакина")
    MentorProfile.objects.create(person=quiet)

    summary = points_summary(municipality, SCHOOL_YEAR)

    (found_school,) = summary.schools
    mentors = {m.name: m for m in found_school.mentors}
    fedorova = mentors["Фёдорова Елена Львовна"]
    assert fedorova.by_criterion() == {Criterion.PROGRAM: 3, Criterion.PRACTICE: 3,
                                       Criterion.EXPERIENCE: 4, Criterion.PROJECT: 3,
                                       Criterion.CONTEST: 2}
    assert fedorova.total == 15
    assert fedorova.counts[(Criterion.CONTEST, "school")] == 1
    assert fedorova.points[(Criterion.CONTEST, "school")] == 0
    assert mentors[quiet.full_name].total == 0
    assert (found_school.name, found_school.total, summary.total) == ("СОШ № 2", 15, 15)


def test_the_municipality_table_changes_the_points(municipality, scored, curator):
    services.set_points_table(municipality, {("program", ""): 10, ("contest", "school"): 1},
                              by=curator)

    (school,) = points_summary(municipality, SCHOOL_YEAR).schools
    assert school.mentors[0].total == 15 - 3 + 10 + 1


def test_only_the_curator_of_the_municipality_sets_its_table(municipality, other_curator,
                                                             mentor_user):
    for user in (other_curator, mentor_user):
        with pytest.raises(services.access.Forbidden):
            services.set_points_table(municipality, {("program", ""): 10}, by=user)
    with pytest.raises(services.Invalid):
        services.set_points_table(municipality, {("program", "regional"): 1})
    with pytest.raises(services.Invalid):
        services.set_points_table(municipality, {("program", ""): 101})


def test_points_table_through_the_api(curator, municipality):
    client = signed_in(curator)
    response = client.put(f"{API}/points-table", [
        {"criterion": "practice", "level": "regional", "points": 7}],
        content_type="application/json")

    assert response.status_code == 200, response.content
    table = {(r["criterion"], r["level"]): r["points"]
             for r in client.get(f"{API}/points-table").json()}
    assert table[("practice", "regional")] == 7 and table[("program", "")] == 3
    refused = client.put(f"{API}/points-table", [
        {"criterion": "practice", "level": "regional", "points": 10**20}],
        content_type="application/json")
    assert refused.status_code == 422


def _mentors(municipality, count, school):
    for n in range(count):
        person = PersonFactory(municipality=municipality, organisation=school,
                               last_name=f"Наставник{n}")
        MentorProfile.objects.create(person=person)
        _program(person, datetime.date(2026, 10, 1), datetime.date(2027, 3, 1))
        _record(person, "project", "school", datetime.date(2026, 12, 1))
        event = EventFactory(municipality=municipality, starts_at=at(2026, 11, 1),
                             ends_at=at(2026, 11, 1, 14))
        event.responsible.add(person)


def _queries(municipality):
    with CaptureQueriesContext(connection) as captured:
        summary = points_summary(municipality, SCHOOL_YEAR)
    return len(captured), summary


def test_summary_query_count_is_the_same_for_2_and_12_mentors(municipality, school):
    _mentors(municipality, 2, school)
    small, summary = _queries(municipality)
    assert sum(len(s.mentors) for s in summary.schools) == 2
    _mentors(municipality, 10, OrganisationFactory(municipality=municipality))
    large, summary = _queries(municipality)

    assert sum(len(s.mentors) for s in summary.schools) == 12
    assert small == large == 6


def test_summary_files_for_the_commission(municipality, scored, curator, settings):
    scored.last_name = "=HYPERLINK(\"http://x\")"
    scored.save()
    client = signed_in(curator)
    query = "from=2026-09-01&to=2027-08-31"

    page = client.get(f"/points/?{query}")
    assert page.status_code == 200 and "Итого баллов" in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(f"/points.xlsx?{query}").content))
    rows = list(book["Сводка"].iter_rows(min_row=6, values_only=True))
    assert rows[0][1].startswith("'=HYPERLINK")
    assert rows[0][2:] == (3, 3, 4, 3, 2, 15)  # numbers stay numbers
    assert rows[-1][1:] == ("Итого по школе", None, None, None, None, None, 15)


@needs_pdftotext
def test_summary_pdf_for_the_commission(municipality, scored, curator, tmp_path):
    pdf = signed_in(curator).get("/api/v1/points-summary.pdf?from=2026-09-01&to=2027-08-31")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Сводка баллов наставников" in text and "СОШ № 2 — всего 15" in text


def test_summary_api_and_period(municipality, scored, curator):
    body = signed_in(curator).get(f"{API}/points-summary?from=2026-09-01&to=2027-08-31").json()
    assert body["total"] == 15
    assert body["schools"][0]["mentors"][0]["by_criterion"]["experience"] == 4
    spring = signed_in(curator).get(f"{API}/points-summary?from=2027-01-01&to=2027-06-30")
    # Spring 2027: the program (3), the municipal practice (2), project (3), contest (2).
    assert spring.json()["total"] == 10


def test_events_left_out_when_cancelled(municipality, scored):
    Event.objects.filter(status="planned").update(status="cancelled")
    (school,) = points_summary(municipality, SCHOOL_YEAR).schools
    assert school.mentors[0].by_criterion()[Criterion.EXPERIENCE] == 0


def test_an_event_not_yet_held_earns_nothing_and_is_not_listed_as_held(municipality, mentor,
                                                                        mentor_user):
    now = timezone.now()
    for title, starts in (("Прошедший семинар", now - datetime.timedelta(days=3)),
                          ("Будущий семинар", now + datetime.timedelta(days=3))):
        event = EventFactory(municipality=municipality, title=title, starts_at=starts,
                             ends_at=starts + datetime.timedelta(hours=2))
        event.responsible.add(mentor)
    around = Period(now.date() - datetime.timedelta(days=30),
                    now.date() + datetime.timedelta(days=30))

    (school,) = points_summary(municipality, around).schools

    assert school.mentors[0].counts[(Criterion.EXPERIENCE, "municipal")] == 1
    page = signed_in(mentor_user).get(
        f"/portfolio/{mentor.pk}/?from={around.start:%Y-%m-%d}&to={around.end:%Y-%m-%d}")
    text = page.content.decode()
    assert "Прошедший семинар" in text
    assert "Будущий семинар" not in text
