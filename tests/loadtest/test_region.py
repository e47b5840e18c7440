"""`manage.py generate_region`: a small region whose parts hold together, made once."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from events.models import Attendance, CalendarFeed, Event, Registration
from participants.models import GroupMembership, MentorProfile, Municipality, Person
from surveys.models import Answer, Invitation, Response

pytestmark = pytest.mark.django_db


def test_generated_region_is_consistent_and_scaled(capsys):
    call_command("generate_region", scale=0.004, municipalities=2)

    teachers = Person.objects.filter(user__isnull=True)
    assert Municipality.objects.count() == 2
    assert teachers.count() == 200  # 50,000 × 0.004
    assert Event.objects.count() == 20
    assert CalendarFeed.objects.count() == teachers.count()
    assert MentorProfile.objects.exists() and GroupMembership.objects.exists()
    # Nobody holds more seats than an event has.
    overbooked = Event.objects.filter(capacity__isnull=False).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    ).filter(confirmed__gt=F("capacity")).count()
    assert overbooked == 0
    # Attendance only of confirmed registrations; a response only from an invitation answered.
    confirmed = set(Registration.objects.filter(status=Registration.Status.CONFIRMED)
                    .values_list("event_id", "person_id"))
    attended = set(Attendance.objects.values_list("event_id", "person_id"))
    assert attended and attended <= confirmed
    assert Response.objects.count() == Invitation.objects.filter(answered_at__isnull=False).count()
    assert Answer.objects.count() >= Response.objects.count() * 5
    assert f"answers: {Answer.objects.count()}" in capsys.readouterr().out


def test_a_second_region_in_the_same_database_is_refused():
    call_command("generate_region", scale=0.002, municipalities=1)
    people = Person.objects.count()

    with pytest.raises(CommandError, match="уже есть"):
        call_command("generate_region", scale=0.002, municipalities=1)

    assert Person.objects.count() == people
    assert Registration.objects.exists()

