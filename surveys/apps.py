from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = "Анкеты"

    def ready(self):
        from participants import erasure
        from surveys.privacy import forget_person

        erasure.register(forget_person)
