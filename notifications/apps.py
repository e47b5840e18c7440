from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Уведомления"

    def ready(self):
        from notifications.privacy import forget_person
        from participants import erasure

        erasure.register(forget_person)
