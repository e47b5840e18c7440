"""What the load run hits: a popular seminar and its 500 teachers with API tokens, 2,000 feed
tokens, 1,000 open survey invitations; written to a JSON file for the locust processes."""

import datetime

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from events import calendar
from events.models import CalendarFeed, Event, EventForm, Registration
from participants import roles
from participants.models import Municipality, Person
from participants.services import issue_api_token
from surveys.models import Invitation, Question, Questionnaire, Round

SEMINAR_TITLE = "Нагрузка: семинар «Анализ современного урока»"


def _teachers(municipality, count):
    participants = Group.objects.get(name=roles.PARTICIPANT)
    people, tokens = [], []
    for n in range(count):
        user = User.objects.create(username=f"load-teacher-{n}")
        user.groups.add(participants)
        person = Person(municipality=municipality, last_name="Нагрузова", first_name=str(n),
                        patronymic="Тестовна", email=f"load-{n}@region.test", user=user)
        person.save()
        people.append(person)
        tokens.append(issue_api_token(user, name="нагрузочный тест")[1])
    return tokens


def _answers(questionnaire):
    values = {}
    for question in Question.objects.filter(questionnaire=questionnaire):
        name = f"q{question.pk}"
        if question.kind == Question.Kind.MATRIX:
            values.update({f"{name}-t{topic.pk}": "3" for topic in question.topics.all()})
        elif question.kind == Question.Kind.SCALE_5:
            values[name] = "4"
        elif question.kind == Question.Kind.SCALE_10:
            values[name] = "8"
        elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            values[name] = question.choices[0]
        elif question.kind == Question.Kind.NUMBER:
            values[name] = "3"
        else:
            values[name] = "Полезный семинар, спасибо."
    return values


@transaction.atomic
def prepare(*, teachers=500, feeds=2000, invitations=1000, capacity=100):
    """Create the subjects in the generated region; returns the dict for locust."""
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        raise ValueError("Сначала manage.py generate_region.")
    now = timezone.now()
    starts = now + datetime.timedelta(days=7)
    seminar = Event.objects.create(
        municipality=municipality, title=SEMINAR_TITLE, form=EventForm.objects.first(),
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), capacity=capacity,
        registration_opens_at=now - datetime.timedelta(hours=1))
    # The region's own event questionnaire (generate_region), not one a migration seeded.
    questionnaire = Questionnaire.objects.filter(
        is_current=True, purpose=Questionnaire.Purpose.EVENT_SATISFACTION).order_by("-pk").first()
    round = Round.objects.create(
        municipality=municipality, questionnaire=questionnaire, title="Нагрузка: опрос",
        audience=Round.Audience.HAND_PICKED, opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7))
    people = Person.objects.filter(user__isnull=True).order_by("pk")[:invitations]
    invited = Invitation.objects.bulk_create(Invitation(round=round, person=p) for p in people)
    feed_rows = CalendarFeed.objects.filter(
        person__in=Registration.objects.values("person")).select_related(
        "person__municipality").order_by("pk")[:feeds]
    return {
        "event_id": seminar.pk, "capacity": capacity, "round_id": round.pk,
        "api_tokens": _teachers(municipality, teachers),
        # Clients that subscribed earlier: each knows its feed's current ETag.
        "feeds": [[row.token, calendar.feed_state(calendar.person_feed(row.person)).etag]
                  for row in feed_rows],
        "invitations": [invitation.token for invitation in invited],
        "answers": _answers(questionnaire),
    }


def outcome(event_id, round_id):
    """What the database holds after the run: seats, duplicates, answers, outbox rows."""
    from django.db.models import Count

    from notifications.models import Notification

    event = Event.objects.get(pk=event_id)
    registrations = Registration.objects.filter(event=event)
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED).count()
    duplicates = (registrations.values("person").annotate(n=Count("id")).filter(n__gt=1)
                  .count())
    return {
        "capacity": event.capacity, "confirmed": confirmed,
        "waitlisted": registrations.filter(status=Registration.Status.WAITLISTED).count(),
        "overbooked": max(confirmed - event.capacity, 0), "duplicate_registrations": duplicates,
        "survey_answered": Invitation.objects.filter(round_id=round_id,
                                                     answered_at__isnull=False).count(),
        "outbox_rows_of_the_seminar": Notification.objects.filter(
            subject_key=f"event:{event_id}").count(),
    }
