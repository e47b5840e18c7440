from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Банк практик"
    default_auto_field = "django.db.models.BigAutoField"
