from django.core.management.base import BaseCommand

from notifications.schedules import ensure_schedules
from participants import schedules as participant_schedules


class Command(BaseCommand):
    help = "Создаёт или обновляет расписания django-q2 (уведомления, срок хранения импортов)."

    def handle(self, *args, **options):
        for name in ensure_schedules() + participant_schedules.ensure_schedules():
            self.stdout.write(f"расписание «{name}» на месте")
