"""`manage.py healthcheck`: what /healthz answers, for cron or a timer; exit 1 when unhealthy."""

import json

from django.core.management.base import BaseCommand

from operations.health import report


class Command(BaseCommand):
    help = ("Проверяет базу, брокер задач, живой обработчик и очередь писем; печатает JSON. "
            "Код выхода 0 — всё в порядке, 1 — есть сбой.")

    def handle(self, *args, **options):
        result = report()
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if result["status"] != "ok":
            raise SystemExit(1)
