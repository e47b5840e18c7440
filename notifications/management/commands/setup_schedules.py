from django.core.management.base import BaseCommand

from notifications.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Создаёт или обновляет расписания django-q2 для отправки уведомлений."

    def handle(self, *args, **options):
        for name in ensure_schedules():
            self.stdout.write(f"расписание «{name}» на месте")
