"""Benchmark: reminders for 10,000 registrations into the outbox, and delivery to SMTP.

1. 10,000 people (bulk), then their day-before and hour-before reminders — 20,000 outbox rows
   with an event snapshot each — written by notifications.services.enqueue in one transaction,
   as the events service does when it schedules a program's reminders. Target: ≤ 5 s.
2. deliver_due, what the django-q2 worker runs, sending due messages over real SMTP to an
   aiosmtpd server on localhost: messages per second, rendering and bookkeeping included.

`run()` deletes its data at the end.
"""

import copy
import datetime
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications.delivery import deliver_due
from notifications.models import Notification, Preference
from notifications.services import Message, enqueue
from participants.models import Municipality, Person
from tests.notifications.smtp import LocalSMTPServer

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "notifications" / "templates"
REGISTRATIONS = 10_000
DELIVERED = 500


def _people(municipality, count):
    people = [Person(municipality=municipality, last_name=f"Учитель{n}", first_name="Анна",
                     patronymic="Сергеевна", email=f"bench{n}@school.example")
              for n in range(count)]
    for person in people:
        person.refresh_search_text()
    return Person.objects.bulk_create(people, batch_size=1000)


def _reminders(people, starts_at, *, key, kind="event_reminder"):
    context = {"event_id": 1, "title": "Семинар-практикум «Современный урок»",
               "when": "14 апреля 2026, 15:00–17:00 (Владивосток, UTC+10)",
               "starts": "14 апреля в 15:00 (Владивосток)",
               "place": "МБОУ СОШ № 1, с. Камень-Рыболов, ул. Кирова, 8, каб. 12",
               "online_url": "", "event_url": f"{settings.SITE_URL}/events/1/"}
    for offset, name in ((datetime.timedelta(days=1), "day"), (datetime.timedelta(hours=1),
                                                                  "hour")):
        for person in people:
            yield Message(recipient_id=person.pk, kind=kind, template="test_notice",
                          dedup_key=f"{key}:reminder:{name}:person:{person.pk}",
                          subject_key="event:1", context=context,
                          scheduled_at=starts_at - offset)


def _enqueue_reminders(people):
    starts_at = timezone.now() + datetime.timedelta(days=30)
    started = time.perf_counter()
    with transaction.atomic():
        written = enqueue(_reminders(people, starts_at, key="bench"))
    return written, time.perf_counter() - started


def _deliver(people):
    # An event in half an hour: both of each person's reminders are already due.
    enqueue(_reminders(people, timezone.now() + datetime.timedelta(minutes=30), key="now"))
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    with LocalSMTPServer() as server, override_settings(TEMPLATES=templates,
                                                        **server.django_settings()):
        started = time.perf_counter()
        sent = 0
        while True:
            outcome = deliver_due(limit=10_000)
            sent += outcome.sent
            if not outcome.more:
                break
        elapsed = time.perf_counter() - started
        received = len(server.mailbox.messages)
    return sent, received, elapsed


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    municipality = Municipality.objects.create(name="Бенчмарк уведомлений")
    try:
        people = _people(municipality, REGISTRATIONS)
        written, enqueue_seconds = _enqueue_reminders(people)
        sent, received, deliver_seconds = _deliver(people[:DELIVERED // 2])
    finally:
        Notification.objects.filter(recipient__municipality=municipality).delete()
        Preference.objects.filter(person__municipality=municipality).delete()
        Person.objects.filter(municipality=municipality).delete()
        municipality.delete()
    return [
        ("notifications: reminders enqueued (10,000 registrations × 2)", str(written)),
        ("notifications: enqueue time, target ≤ 5 (s)", f"{enqueue_seconds:.2f}"),
        ("notifications: delivered to local SMTP / received", f"{sent} / {received}"),
        ("notifications: delivery throughput (messages/s)", f"{sent / deliver_seconds:.0f}"),
    ]
