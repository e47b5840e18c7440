"""Plan items in the program and track feeds: all-day dates read the same by icalendar and
vobject and match the database; timed items are the right instant; validators follow changes."""

import datetime
import time
import zoneinfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from events.identity import uid_domain
from events.plan import importing, services
from events.plan.models import PlanItem
from tests.events.plan import spassky
from tests.factories import TrackFactory

VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")


@pytest.fixture
def imported(spassky_program, spassky_people, spassky_curator):
    importing.apply_import(spassky_program, spassky.docx_bytes(), "plan.docx",
                           by=spassky_curator)
    return spassky_program


def _feed(client, program):
    response = client.get(reverse("calendar:program", args=[program.pk]))
    assert response.status_code == 200
    return response


def _item_entries_icalendar(body):
    calendar = icalendar.Calendar.from_ical(body)
    return {str(c["UID"]): c for c in calendar.walk("VEVENT")
            if str(c["UID"]).startswith("plan-item-")}


def _item_entries_vobject(body):
    calendar = vobject.readOne(body.decode())
    return {c.uid.value: c for c in calendar.vevent_list if c.uid.value.startswith("plan-item-")}


def test_every_item_is_an_all_day_entry_both_parsers_agree_with_the_database(client, imported):
    body = _feed(client, imported).content
    by_icalendar, by_vobject = _item_entries_icalendar(body), _item_entries_vobject(body)
    items = PlanItem.objects.filter(program=imported).select_related("program")

    assert len(by_icalendar) == len(by_vobject) == items.count() == 16
    for item in items:
        uid = next(uid for uid in by_icalendar if uid.startswith(f"plan-item-{item.pk}@"))
        first, last_exclusive = item.start, item.end + datetime.timedelta(days=1)
        entry = by_icalendar[uid]
        for value in (entry["DTSTART"].dt, entry["DTEND"].dt):
            assert type(value) is datetime.date  # a date, not a midnight instant
        assert (entry["DTSTART"].dt, entry["DTEND"].dt) == (first, last_exclusive)
        assert entry["DTSTART"].params.get("VALUE") == "DATE"
        other = by_vobject[uid]
        assert type(other.dtstart.value) is datetime.date
        assert (other.dtstart.value, other.dtend.value) == (first, last_exclusive)
    assert b"DTSTART;VALUE=DATE:20221201" in body and b"DTEND;VALUE=DATE:20221217" in body


def test_deadline_is_an_all_day_entry_on_the_due_date(client, imported):
    item = PlanItem.objects.get(program=imported, number=3)  # «до 15.09. 2022 г.»
    entries = _item_entries_icalendar(_feed(client, imported).content)

    entry = next(e for uid, e in entries.items() if uid.startswith(f"plan-item-{item.pk}@"))

    assert (entry["DTSTART"].dt, entry["DTEND"].dt) == (datetime.date(2022, 9, 15),
                                                        datetime.date(2022, 9, 16))
    assert str(entry["SUMMARY"]) == "Срок: 3. Разработка и утверждение плана мероприятий"
    assert "Ответственные: Король О.В., Буглак С.Г." in str(entry["DESCRIPTION"])


def test_item_with_a_time_is_that_instant_in_the_municipality_zone(client, spassky_program,
                                                                    spassky_curator):
    item = services.create_item(spassky_program, by=spassky_curator, title="Открытый урок",
                                period_kind="day", starts_on=datetime.date(2022, 12, 16),
                                at_time=datetime.time(14, 0))
    body = _feed(client, spassky_program).content
    expected = datetime.datetime(2022, 12, 16, 14, 0, tzinfo=VLADIVOSTOK)

    entry = _item_entries_icalendar(body)[f"plan-item-{item.pk}@{uid_domain()}"]
    other = _item_entries_vobject(body)[f"plan-item-{item.pk}@{uid_domain()}"]

    assert entry["DTSTART"].dt == expected == other.dtstart.value
    assert b"DTSTART:20221216T040000Z" in body


def test_uids_stay_when_items_change(client, imported, spassky_curator):
    before = set(_item_entries_icalendar(_feed(client, imported).content))
    item = PlanItem.objects.get(program=imported, number=4)

    services.update_item(item, by=spassky_curator, title="Мониторинг (уточнено)",
                         period_kind="month", starts_on=datetime.date(2022, 11, 1))

    entries = _item_entries_icalendar(_feed(client, imported).content)
    assert set(entries) == before
    changed = next(e for uid, e in entries.items() if uid.startswith(f"plan-item-{item.pk}@"))
    assert changed["SEQUENCE"] == 1


def test_track_feed_carries_the_items_attached_to_the_track(client, imported, spassky_curator):
    track = TrackFactory(program=imported)
    item = PlanItem.objects.get(program=imported, number=7)
    services.update_item(item, by=spassky_curator, track=track)

    response = client.get(reverse("calendar:track", args=[track.pk]))

    entries = _item_entries_icalendar(response.content)
    assert list(entries) == [f"plan-item-{item.pk}@{uid_domain()}"]


def _etag(client, program):
    return _feed(client, program).headers["ETag"]


@pytest.mark.parametrize("change", [
    "status", "person_renamed", "organisation_renamed", "form_renamed", "program_dates", "added",
    "deleted", "moved_to_other_program",
])
def test_feed_etag_covers_every_item_input(client, imported, spassky_curator, spassky_people,
                                           change):
    from events.models import EventForm, Program
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(municipality=imported.municipality, short_name="МБОУ СОШ №8")
    form = EventForm.objects.create(name="мониторинг")
    item = PlanItem.objects.get(program=imported, number=4)
    services.update_item(item, by=spassky_curator, form=form, responsible=[
        services.Responsible(person=spassky_people["Буглак"]),
        services.Responsible(organisation=organisation)])
    before = _etag(client, imported)
    assert client.get(reverse("calendar:program", args=[imported.pk]),
                      HTTP_IF_NONE_MATCH=before).status_code == 304

    if change == "status":
        services.set_status(item, "done", by=spassky_curator)
    elif change == "person_renamed":
        person = spassky_people["Буглак"]
        person.first_name = "Снежана"
        person.save()
    elif change == "organisation_renamed":
        organisation.short_name = "МБОУ «СОШ № 8» с. Спасское"
        organisation.save()
    elif change == "form_renamed":
        form.name = "мониторинг реализации"
        form.save()
    elif change == "program_dates":  # «весь период» (item 6) follows the program
        Program.objects.filter(pk=imported.pk).update(end_date=datetime.date(2023, 8, 31))
    elif change == "added":
        services.create_item(imported, by=spassky_curator, title="Новый пункт",
                             period_kind="whole")
    elif change == "deleted":
        services.delete_item(PlanItem.objects.get(program=imported, number=16),
                             by=spassky_curator)
    elif change == "moved_to_other_program":
        PlanItem.objects.filter(pk=item.pk).update(
            program=Program.objects.create(municipality=imported.municipality, name="Другая",
                                           start_date=imported.start_date,
                                           end_date=imported.end_date))

    response = client.get(reverse("calendar:program", args=[imported.pk]),
                          HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response.headers["ETag"] != before


@pytest.mark.parametrize("size", [1, 3])
def test_program_feed_with_items_queries_do_not_grow(client, spassky_program, spassky_curator,
                                                     spassky_people, size,
                                                     django_assert_num_queries):
    for number in range(size):
        services.create_item(spassky_program, by=spassky_curator, number=number + 1,
                             title=f"Пункт {number}", period_kind="month",
                             starts_on=datetime.date(2022, 10, 1), responsible=[
                                 services.Responsible(person=spassky_people["Буглак"]),
                                 services.Responsible(text="МК")])
    url = reverse("calendar:program", args=[spassky_program.pk])
    # The program, the events' aggregate, the items' state; the events, the items, their
    # responsible people.
    with django_assert_num_queries(6):
        etag = client.get(url).headers["ETag"]
    with django_assert_num_queries(3):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_deleting_the_newest_item_moves_last_modified_forward(client, imported,
                                                              spassky_curator):
    newest = PlanItem.objects.get(program=imported, number=16)
    services.set_status(newest, "done", by=spassky_curator)
    before = _feed(client, imported).headers["Last-Modified"]

    time.sleep(1.1)  # Last-Modified has one-second resolution
    services.delete_item(newest, by=spassky_curator)

    response = client.get(reverse("calendar:program", args=[imported.pk]),
                          HTTP_IF_MODIFIED_SINCE=before)
    assert response.status_code == 200
    assert response.headers["Last-Modified"] != before


# --- the personal feed of the people responsible -------------------------------------------

def _person_feed_body(person, now):
    from events import calendar

    return calendar.feed_ics(calendar.person_feed(person, now=now))


def test_person_feed_of_a_responsible_carries_their_items_both_parsers_agree(
        imported, spassky_people):
    buglak = spassky_people["Буглак"]
    body = _person_feed_body(buglak, now=datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC))
    by_icalendar, by_vobject = _item_entries_icalendar(body), _item_entries_vobject(body)
    mine = (PlanItem.objects.filter(program=imported, responsibles__person=buglak)
            .select_related("program"))
    others = PlanItem.objects.filter(program=imported).exclude(pk__in=mine.values("pk"))

    assert mine.count() == 13 and others.exists()
    assert set(by_icalendar) == set(by_vobject) == {
        f"plan-item-{item.pk}@{uid_domain()}" for item in mine}
    kinds = set()
    for item in mine:
        uid = f"plan-item-{item.pk}@{uid_domain()}"
        first, after_last = item.start, item.end + datetime.timedelta(days=1)
        entry, other = by_icalendar[uid], by_vobject[uid]
        assert entry["DTSTART"].params.get("VALUE") == "DATE"
        assert type(entry["DTSTART"].dt) is type(other.dtstart.value) is datetime.date
        assert (entry["DTSTART"].dt, entry["DTEND"].dt) == (first, after_last)
        assert (other.dtstart.value, other.dtend.value) == (first, after_last)
        kinds.add(item.period_kind)
    # Multi-day ranges, months, a deadline and single days are all among them.
    assert {"range", "month", "deadline", "day"} <= kinds
    deadline = mine.get(number=3)
    entry = by_icalendar[f"plan-item-{deadline.pk}@{uid_domain()}"]
    assert (entry["DTSTART"].dt, entry["DTEND"].dt) == (datetime.date(2022, 9, 15),
                                                        datetime.date(2022, 9, 16))
    assert str(entry["SUMMARY"]).startswith("Срок: ")


def test_person_feed_leaves_out_items_kept_as_text_and_others_people(imported, spassky_people):
    # Кузьменко Е.А. is not in the registry: item 16 keeps her as text, and nobody's feed
    # gains an entry from a text.
    korol = spassky_people["Король"]
    body = _person_feed_body(korol, now=datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC))
    numbers = set(PlanItem.objects.filter(responsibles__person=korol)
                  .values_list("number", flat=True))

    assert numbers == {3, 12}
    assert set(_item_entries_icalendar(body)) == {
        f"plan-item-{pk}@{uid_domain()}"
        for pk in PlanItem.objects.filter(number__in=numbers).values_list("pk", flat=True)}


def test_person_feed_over_http_shows_a_current_item_and_follows_changes(
        client, spassky_program, spassky_people, spassky_curator):
    from events import services as event_services

    buglak = spassky_people["Буглак"]
    today = datetime.date.today()
    item = services.create_item(
        spassky_program, by=spassky_curator, title="Мониторинг", period_kind="range",
        starts_on=today, ends_on=today + datetime.timedelta(days=9),
        responsible=[services.Responsible(person=buglak)])
    url = reverse("calendar:person", args=[event_services.feed_for(buglak).token])
    first = client.get(url)
    entries = _item_entries_icalendar(first.content)
    other = _item_entries_vobject(first.content)
    uid = f"plan-item-{item.pk}@{uid_domain()}"

    assert (entries[uid]["DTSTART"].dt, entries[uid]["DTEND"].dt) == (
        today, today + datetime.timedelta(days=10)) == (other[uid].dtstart.value,
                                                         other[uid].dtend.value)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    time.sleep(1.1)  # Last-Modified has one-second resolution
    services.update_item(item, by=spassky_curator,
                         responsible=[services.Responsible(text="МК")])

    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert uid not in _item_entries_icalendar(second.content)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_an_item_a_year_past_leaves_the_person_feed_and_moves_its_validators(
        spassky_program, spassky_people, spassky_curator):
    from events import calendar

    buglak = spassky_people["Буглак"]
    item = services.create_item(
        spassky_program, by=spassky_curator, title="Отчёт", period_kind="deadline",
        starts_on=datetime.date(2022, 12, 20), responsible=[services.Responsible(person=buglak)])
    inside = datetime.datetime(2023, 12, 20, 12, tzinfo=datetime.UTC)
    outside = datetime.datetime(2023, 12, 21, 12, tzinfo=datetime.UTC)
    uid = f"plan-item-{item.pk}@{uid_domain()}"
    # Every other change time before both moments, so that only the leaving can move them.
    long_ago = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    PlanItem.objects.filter(pk=item.pk).update(updated_at=long_ago)
    type(buglak).objects.filter(pk=buglak.pk).update(updated_at=long_ago)
    type(spassky_program.municipality).objects.filter(
        pk=spassky_program.municipality_id).update(updated_at=long_ago)
    buglak.refresh_from_db()

    kept = calendar.feed_state(calendar.person_feed(buglak, now=inside))
    left = calendar.feed_state(calendar.person_feed(buglak, now=outside))

    assert uid in _item_entries_icalendar(_person_feed_body(buglak, inside))
    assert uid not in _item_entries_icalendar(_person_feed_body(buglak, outside))
    assert left.etag != kept.etag
    assert kept.last_modified == long_ago
    # It left at the end of the day a year after its due date.
    assert left.last_modified == datetime.datetime(2023, 12, 21, tzinfo=datetime.UTC)


@pytest.mark.parametrize("size", [1, 3])
def test_person_feed_with_items_queries_do_not_grow(client, spassky_program, spassky_curator,
                                                    spassky_people, size,
                                                    django_assert_num_queries):
    from events import services as event_services

    buglak = spassky_people["Буглак"]
    today = datetime.date.today()
    for number in range(size):
        services.create_item(spassky_program, by=spassky_curator, number=number + 1,
                             title=f"Пункт {number}", period_kind="day", starts_on=today,
                             responsible=[services.Responsible(person=buglak),
                                          services.Responsible(text="МК")])
    url = reverse("calendar:person", args=[event_services.feed_for(buglak).token])
    # The token, the events' aggregate, the items' state; the events, the items, their people.
    with django_assert_num_queries(6):
        response = client.get(url)
    with django_assert_num_queries(3):
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert len(_item_entries_icalendar(response.content)) == size


def test_plan_items_are_written_byte_for_byte_as_icalendar_writes_them(imported, monkeypatch,
                                                                       spassky_curator):
    # All-day, multi-day and timed items: events.ics against icalendar, item by item and as a feed.
    from events import calendar, fragments, ics
    from events.plan import calendar as plan_calendar

    services.create_item(imported, by=spassky_curator, title="Открытый урок; «=HYPERLINK()»",
                         period_kind="day", starts_on=datetime.date(2022, 12, 16),
                         at_time=datetime.time(14, 0))
    items = list(plan_calendar.loaded(plan_calendar.program_items(imported)))
    properties = [plan_calendar.properties(item, host="school.example") for item in items]
    feed = calendar.program_feed(imported)
    fast = calendar.feed_ics(feed)
    fragments.clear()
    monkeypatch.setattr(ics, "vevent", lambda values: calendar.component(values).to_ical())

    by_icalendar = calendar.feed_ics(feed)

    assert any(isinstance(p["DTSTART"], datetime.datetime) for p in properties)
    assert any(type(p["DTSTART"]) is datetime.date
               and p["DTEND"] - p["DTSTART"] > datetime.timedelta(days=1) for p in properties)
    for item, values in zip(items, properties, strict=True):
        assert ics.vevent(values) == plan_calendar.component(
            item, host="school.example").to_ical()
    assert fast == by_icalendar
