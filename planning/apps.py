from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planning and matching: a read/decision model over participants, surveys and events.

    An app of its own because it combines all three and sits above them in the import chain;
    nothing below imports it.
    """

    name = "planning"
    verbose_name = "Планирование и подбор наставников"
    default_auto_field = "django.db.models.BigAutoField"
