"""The delivery schedules exist after migrate and are restored by setup_schedules."""

import pytest
from django.core.management import call_command
from django_q.models import Schedule

pytestmark = pytest.mark.django_db


def test_migrations_create_delivery_schedules():
    schedules = {s.func: s for s in Schedule.objects.filter(func__startswith="notifications.")}

    assert schedules["notifications.tasks.deliver_due"].minutes == 1
    assert schedules["notifications.tasks.recover_stuck"].minutes == 1
    assert all(s.schedule_type == Schedule.MINUTES and s.repeats == -1
               for s in schedules.values())


def test_setup_schedules_restores_and_does_not_duplicate():
    Schedule.objects.filter(func="notifications.tasks.recover_stuck").delete()
    Schedule.objects.filter(func="notifications.tasks.deliver_due").update(minutes=30)

    call_command("setup_schedules", stdout=None)
    call_command("setup_schedules", stdout=None)

    assert Schedule.objects.filter(func="notifications.tasks.recover_stuck").count() == 1
    assert Schedule.objects.get(func="notifications.tasks.deliver_due").minutes == 1
