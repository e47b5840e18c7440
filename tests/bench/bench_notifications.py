"""Benchmark: 20,000 reminders into the outbox, and delivery to a local SMTP server.

1. Enqueue: 10,000 people (bulk), then their day-before and hour-before reminders — 20,000
   outbox rows with an event snapshot each — by notifications.services.enqueue in one
   transaction, as the events service does for a program. Target ≤ 1 s. Baseline in the same
   run: the former way, model instances through bulk_create(ignore_conflicts=True).
2. Delivery: deliver_due, what the django-q2 worker runs, over real SMTP to an aiosmtpd sink in
   a process of its own, which counts letters by Message-ID: lost and doubled. Two worker
   processes side by side (target ≥ 500 letters/s, 0 lost, 0 doubled), and one as baseline.

`run()` deletes its data at the end.
"""

import copy
import datetime
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone

from notifications.delivery import deliver_due
from notifications.models import Notification, Preference
from notifications.rendering import message_id
from notifications.services import Message, enqueue
from participants.models import Municipality, Person
from tests.notifications.smtp import free_port

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "notifications" / "templates"
ROOT = Path(__file__).resolve().parents[2]
REGISTRATIONS = 10_000
DELIVERED = 2_000  # letters per delivery run
ENQUEUE_TARGET = 1.0
DELIVERY_TARGET = 500


def _people(municipality, count, *, prefix="bench"):
    people = [Person(municipality=municipality, last_name=f"Учитель{n}", first_name="Анна",
                     patronymic="Сергеевна", email=f"{prefix}{n}@school.example")
              for n in range(count)]
    for person in people:
        person.refresh_search_text()
    return Person.objects.bulk_create(people, batch_size=1000)


def _reminders(people, starts_at, *, key, kind="event_reminder"):
    context = {"event_id": 1, "title": "Семинар-практикум «Современный урок»",
               "when": "14 апреля 2026, 15:00–17:00 (Владивосток, UTC+10)",
               "starts": "14 апреля в 15:00 (Владивосток)",
               "place": "МБОУ СОШ № 1, с. Камень-Рыболов, ул. Кирова, 8, каб. 12",
               "online_url": "", "event_url": "/events/1/"}
    for offset, name in ((datetime.timedelta(days=1), "day"), (datetime.timedelta(hours=1),
                                                                  "hour")):
        for person in people:
            yield Message(recipient_id=person.pk, kind=kind, template="test_notice",
                          dedup_key=f"{key}:reminder:{name}:person:{person.pk}",
                          subject_key="event:1", context=context,
                          scheduled_at=starts_at - offset, expires_at=starts_at)


def _enqueue_by_orm(messages):
    """The former enqueue: a model instance per row, bulk_create ignoring conflicts."""
    now = timezone.now()
    rows = [Notification(recipient_id=m.recipient_id, kind=m.kind, dedup_key=m.dedup_key,
                         template=m.template, context=m.context, subject_key=m.subject_key,
                         scheduled_at=m.scheduled_at or now, expires_at=m.expires_at)
            for m in messages]
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _timed_enqueue(people, write, key):
    starts_at = timezone.now() + datetime.timedelta(days=30)
    started = time.perf_counter()
    with transaction.atomic():
        written = write(_reminders(people, starts_at, key=key))
    return written, time.perf_counter() - started


def _worker(limit):
    connections.close_all()  # a fresh connection in the forked process
    sent = 0
    while True:
        outcome = deliver_due(limit=limit, budget=600)
        sent += outcome.sent
        if not outcome.handled:
            break
    connections.close_all()
    return sent


def _sink(port, out):
    process = subprocess.Popen([sys.executable, "-m", "tests.notifications.smtp_sink",
                                str(port), str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def _deliver(people, *, workers, key):
    """Letters to `people` (two each) sent by `workers` processes: (sent, lost, doubled, s)."""
    enqueue(_reminders(people, timezone.now() + datetime.timedelta(minutes=30), key=key))
    expected = {message_id(row) for row in Notification.objects.filter(
        dedup_key__startswith=f"{key}:").only("dedup_key")}
    port = free_port()
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    with tempfile.TemporaryDirectory() as tmp, override_settings(
            TEMPLATES=templates, EMAIL_BACKEND="notifications.smtp_backend.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False, NOTIFICATIONS_BATCH_SIZE=50):
        sink = _sink(port, Path(tmp) / "ids.json")
        _warm_up()
        connections.close_all()
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            sent = sum(pool.map(_worker, [len(expected)] * workers))
        elapsed = time.perf_counter() - started
        sink.terminate()
        sink.wait()
        received = json.loads((Path(tmp) / "ids.json").read_text())
    lost = len(expected - set(received))
    doubled = sum(count - 1 for count in received.values())
    return sent, lost, doubled, elapsed


def _warm_up():
    """What a worker has loaded before its first letter (URL patterns, templates)."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("notifications:preferences", args=["x"])
    for name in ("subject.txt", "body.txt", "body.html"):
        get_template(f"notifications/test_notice/{name}")


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    municipality = Municipality.objects.create(name="Бенчмарк уведомлений")
    try:
        people = _people(municipality, REGISTRATIONS)
        base_written, base_seconds = _timed_enqueue(people, _enqueue_by_orm, "orm")
        written, enqueue_seconds = _timed_enqueue(people, enqueue, "bench")
        Notification.objects.filter(recipient__municipality=municipality).delete()
        one = _deliver(people[:DELIVERED // 2], workers=1, key="one")
        two = _deliver(people[DELIVERED // 2:DELIVERED], workers=2, key="two")
    finally:
        Notification.objects.filter(recipient__municipality=municipality).delete()
        Preference.objects.filter(person__municipality=municipality).delete()
        Person.objects.filter(municipality=municipality).delete()
        municipality.delete()
    one_rate, two_rate = one[0] / one[3], two[0] / two[3]
    return [
        ("notifications: reminders enqueued (10,000 registrations × 2)", str(written)),
        (f"notifications: enqueue time, target ≤ {ENQUEUE_TARGET:g} (s)",
         f"{enqueue_seconds:.2f}"),
        ("notifications: enqueue time, baseline: model instances + bulk_create (s)",
         f"{base_seconds:.2f}"),
        ("notifications: enqueue, baseline / now (×)", f"{base_seconds / enqueue_seconds:.1f}"),
        ("notifications: enqueue meets its target", "yes" if enqueue_seconds <= ENQUEUE_TARGET
         else "NO"),
        (f"notifications: delivery, 2 workers, target ≥ {DELIVERY_TARGET} (letters/s)",
         f"{two_rate:.0f}"),
        ("notifications: delivery, 1 worker, baseline (letters/s)", f"{one_rate:.0f}"),
        ("notifications: delivery, 2 workers: sent / lost / doubled",
         f"{two[0]} / {two[1]} / {two[2]}"),
        ("notifications: delivery, 1 worker: sent / lost / doubled",
         f"{one[0]} / {one[1]} / {one[2]}"),
        ("notifications: delivery meets its target",
         "yes" if two_rate >= DELIVERY_TARGET and not two[1] and not two[2] else "NO"),
    ]
