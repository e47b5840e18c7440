"""The hand-written statements of a registration read and write what the ORM would."""

import datetime
import decimal
import uuid

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from events import registration_sql, services
from events.models import CalendarFeed, Event, Registration
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
)

RELATED = ("municipality", "form", "program", "venue")


def values(instance):
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields}


def by_orm(event):
    return Event.objects.select_related(*RELATED).get(pk=event.pk)


def read(event, **scope):
    with transaction.atomic():
        return registration_sql.event_for_update(event.pk, **scope)


def test_event_reads_as_the_orm_reads_it_with_its_related_rows(municipality):
    event = EventFactory(
        municipality=municipality, program=ProgramFactory(municipality=municipality),
        venue=OrganisationFactory(municipality=municipality), capacity=30,
        registration_opens_at=timezone.now(), academic_hours=decimal.Decimal("1.5"),
        series_id=uuid.uuid4(), audience=["teachers", "mentors"])
    expected, found = by_orm(event), read(event)

    assert values(found) == values(expected)
    assert isinstance(found.starts_at, datetime.datetime) and found.starts_at.tzinfo
    for name in RELATED:
        assert values(getattr(found, name)) == values(getattr(expected, name)), name
    assert found._state.adding is False


def test_event_without_program_or_venue_asks_nothing_more(municipality,
                                                          django_assert_num_queries):
    event = EventFactory(municipality=municipality)
    found = read(event)
    with django_assert_num_queries(0):
        assert (found.program, found.venue, found.form.name) == (None, None, event.form.name)


def test_event_of_another_municipality_is_not_found_there(municipality, other_municipality):
    event = EventFactory(municipality=other_municipality)

    assert read(event, municipality_id=municipality.pk) is None
    assert read(event, municipality_id=other_municipality.pk).pk == event.pk
    assert read(event).pk == event.pk
    with transaction.atomic():
        assert registration_sql.event_for_update(event.pk + 1000) is None


@pytest.mark.django_db(transaction=True)
def test_event_is_locked_only_inside_a_transaction(municipality):
    event = EventFactory(municipality=municipality)
    with pytest.raises(TransactionManagementError):
        registration_sql.event_for_update(event.pk)
    with pytest.raises(TransactionManagementError):
        registration_sql.event_with_standing(event.pk, PersonFactory(municipality=municipality))


def test_feed_reads_as_the_orm_reads_it(municipality):
    person = PersonFactory(municipality=municipality)
    assert registration_sql.feed_of(person) is None
    made = registration_sql.new_feed(person)

    assert values(registration_sql.feed_of(person)) == values(CalendarFeed.objects.get())
    assert values(made)["token"] == CalendarFeed.objects.get().token
    assert registration_sql.new_feed(person) is None  # one feed a person: the first one stays
    assert services.feed_for(person).token == made.token


def test_standing_counts_seats_and_the_line_up_to_the_moment_of_the_registration(municipality):
    event = EventFactory(municipality=municipality)
    now = timezone.now()
    person = PersonFactory(municipality=municipality)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    for minutes in (10, 5, -5):  # the last joined "after" the moment: not ahead of it
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED,
                            queued_at=now - datetime.timedelta(minutes=minutes))
    RegistrationFactory(status=Registration.Status.CONFIRMED)  # another event

    def standing():
        with transaction.atomic():
            return registration_sql.event_with_standing(event.pk, person)[1]

    found = standing()
    assert (found.existing, found.taken, found.waiting) == (None, 2, 2)
    own = RegistrationFactory(event=event, person=person, status=Registration.Status.CANCELLED)
    found = standing()
    assert (found.taken, found.waiting) == (2, 2)
    assert values(found.existing) == values(Registration.objects.get(pk=own.pk))
    assert values(found.feed) == values(services.feed_for(person))


def test_event_with_standing_makes_a_first_feed_and_spends_nothing_after(municipality):
    event = EventFactory(municipality=municipality, capacity=5)
    person, other = PersonFactory.create_batch(2, municipality=municipality)
    RegistrationFactory(event=event)
    with transaction.atomic():
        found, standing = registration_sql.event_with_standing(event.pk, person)
    made = CalendarFeed.objects.get(person=person)

    assert values(found) == values(by_orm(event))
    assert (standing.existing, standing.taken, standing.waiting) == (None, 1, 0)
    assert values(standing.feed) == values(made)
    with transaction.atomic():
        _found, again = registration_sql.event_with_standing(event.pk, person)
    assert values(again.feed) == values(made)
    # The person had a feed: no row, and no key of the sequence spent on one.
    assert services.feed_for(other).pk == made.pk + 1


def test_event_with_standing_finds_no_event_elsewhere_and_its_feed_is_rolled_back(
        municipality, other_municipality):
    event = EventFactory(municipality=other_municipality)
    person = PersonFactory(municipality=municipality)

    with pytest.raises(LookupError), transaction.atomic():
        found, _standing = registration_sql.event_with_standing(
            event.pk, person, municipality_id=municipality.pk)
        assert found is None
        raise LookupError  # what the caller's NotFound does to the transaction
    assert not CalendarFeed.objects.filter(person=person).exists()


def test_event_with_standing_gives_the_moment_of_the_registration(municipality):
    event = EventFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality)
    before = timezone.now()
    with transaction.atomic():
        _found, standing = registration_sql.event_with_standing(event.pk, person)
    assert before <= standing.now <= timezone.now()
    assert standing.now.tzinfo is not None
    # That it is taken after the lock: tests/events/test_concurrency.py (the line's order).


def test_a_new_registration_is_written_as_save_writes_it(municipality):
    from config import rows

    event = EventFactory(municipality=municipality)
    people = PersonFactory.create_batch(2, municipality=municipality)
    fields = {"event": event, "status": Registration.Status.WAITLISTED,
              "queued_at": timezone.now()}
    by_save = Registration(person=people[0], **fields)
    by_save.save()
    by_insert = rows.insert(Registration(person=people[1], **fields))

    stored = {r.pk: values(r) for r in Registration.objects.all()}
    assert values(by_insert) == stored[by_insert.pk]
    ignored = {"id", "person_id", "created_at", "updated_at"}
    assert ({k: v for k, v in stored[by_insert.pk].items() if k not in ignored}
            == {k: v for k, v in stored[by_save.pk].items() if k not in ignored})
    assert by_insert.created_at and by_insert.updated_at  # auto_now_add, auto_now
    assert by_insert._state.adding is False
