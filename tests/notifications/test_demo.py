"""The demo's letters are kept in the outbox unsent; letters asked for still go."""

import datetime
import io

import pytest
from django.utils import timezone

from notifications import demo, services
from notifications.models import Notification
from notifications.signin import send_signin_link

pytestmark = pytest.mark.django_db


def status(key):
    return Notification.objects.get(dedup_key=key).status


def test_finish_sets_aside_what_was_written_since_and_says_so_in_one_line(person, notice):
    services.enqueue([notice(person, key="before")])
    Notification.objects.filter(dedup_key="before").update(
        created_at=timezone.now() - datetime.timedelta(minutes=5))
    since = timezone.now()
    services.enqueue([notice(person, key="demo:1"), notice(person, key="demo:2",
                                                          kind="survey_invitation")])
    send_signin_link(person.email)
    out = io.StringIO()

    demo.finish(since=since, stdout=out)

    assert status("before") == "pending"
    assert status("demo:1") == status("demo:2") == "skipped"
    assert Notification.objects.get(dedup_key="demo:1").last_error == demo.REASON
    assert Notification.objects.get(kind="signin_link").status == "pending"
    lines = out.getvalue().splitlines()
    assert lines == [
        "Письма демо (2: напоминания о мероприятиях — 1, приглашения ответить на анкету — 1) "
        "сохранены в исходящих и не отправляются; их список — «Уведомления» в управлении: "
        "https://school.example/admin/notifications/notification/?status__exact=skipped"]


def test_finish_with_nothing_new_prints_nothing(person):
    out = io.StringIO()

    demo.finish(since=timezone.now(), stdout=out)

    assert out.getvalue() == ""
