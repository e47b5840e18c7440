"""The django-q2 schedules that drive delivery, created in code so that every install has them."""

# Schedule.MINUTES is "I"; spelled out so that a migration's historical model can use it too.
MINUTES = "I"

SCHEDULES = {
    # Name → what to run and how often. Delivery is also started right after each commit that
    # writes due messages; the minute schedule picks up reminders as they fall due and retries.
    "notifications: deliver due": {"func": "notifications.tasks.deliver_due", "minutes": 1},
    # Rows left "sending" by a worker that died (its 30-second lease ran out); see
    # notifications.delivery.recover_stuck. Each new worker process also looks at once.
    "notifications: recover stuck": {"func": "notifications.tasks.recover_stuck", "minutes": 1},
}


def ensure_schedules(schedule_model=None):
    """Create or update the delivery schedules by name; safe to run any number of times."""
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    for name, spec in SCHEDULES.items():
        schedule_model.objects.update_or_create(
            name=name,
            defaults={"func": spec["func"], "schedule_type": MINUTES, "minutes": spec["minutes"],
                      "repeats": -1},
        )
    return list(SCHEDULES)
