from django.apps import AppConfig


class LoadtestConfig(AppConfig):
    """A synthetic region and the load it carries (benchmarks, locust); nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "loadtest"
    verbose_name = "Нагрузочные испытания"
