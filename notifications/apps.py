from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Уведомления"

    def ready(self):
        from django_q.signals import post_spawn

        from notifications.worker import on_worker_spawn

        post_spawn.connect(on_worker_spawn, dispatch_uid="notifications.worker")
        from notifications.privacy import forget_person
        from participants import erasure

        erasure.register(forget_person)
