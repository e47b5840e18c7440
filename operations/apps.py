from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: the health check, log hygiene, backups. No models, no domain rules:
    it reads the other apps' tables and imports nothing from their internals."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"
    verbose_name = "Эксплуатация"
