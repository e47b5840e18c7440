"""The django-q2 schedules of planning, created in code so that every install has them."""

# Schedule.HOURLY is "H"; spelled out so that a migration's historical model can use it too.
HOURLY = "H"

SCHEDULES = {
    # A closed round's answers are summed once, so the themes page reads a few hundred rows
    # instead of every answer; a summary found stale at a read is read live until this runs.
    "planning: summarise closed difficulty rounds": {
        "func": "planning.tasks.summarise_closed_rounds", "schedule_type": HOURLY},
}


def ensure_schedules(schedule_model=None):
    """Create or update these schedules by name; safe to run any number of times."""
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    for name, spec in SCHEDULES.items():
        schedule_model.objects.update_or_create(name=name, defaults={**spec, "repeats": -1})
    return list(SCHEDULES)
