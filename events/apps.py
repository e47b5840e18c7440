from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Мероприятия"

    def ready(self):
        from events.privacy import forget_person
        from participants import erasure

        erasure.register(forget_person)
