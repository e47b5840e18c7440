"""The django-q2 schedules of participants, created in code so that every install has them."""

# Schedule.DAILY is "D"; spelled out so that a migration's historical model can use it too.
DAILY = "D"

SCHEDULES = {
    # Uploaded rosters hold names, e-mails and phones: unapplied ones expire.
    "participants: purge import batches": {"func": "participants.tasks.purge_import_batches",
                                           "schedule_type": DAILY},
}


def ensure_schedules(schedule_model=None):
    """Create or update these schedules by name; safe to run any number of times."""
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    for name, spec in SCHEDULES.items():
        schedule_model.objects.update_or_create(name=name, defaults={**spec, "repeats": -1})
    return list(SCHEDULES)
