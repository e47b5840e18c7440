"""`manage.py prepare_load --out FILE`: the subjects of the load run, as JSON for locust."""

import json

from django.core.management.base import BaseCommand

from loadtest.subjects import prepare


class Command(BaseCommand):
    help = ("Готовит нагрузочный прогон в сгенерированном регионе: популярный семинар и 500 "
            "педагогов с API-токенами, 2000 личных календарей, 1000 приглашений в открытый "
            "опрос. Токены пишутся в файл --out; только для тестовой базы.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--teachers", type=int, default=500)
        parser.add_argument("--feeds", type=int, default=2000)
        parser.add_argument("--invitations", type=int, default=1000)
        parser.add_argument("--capacity", type=int, default=100)

    def handle(self, *args, out, teachers, feeds, invitations, capacity, **options):
        subjects = prepare(teachers=teachers, feeds=feeds, invitations=invitations,
                           capacity=capacity)
        with open(out, "w", encoding="utf-8") as file:
            json.dump(subjects, file)
        self.stdout.write(f"семинар {subjects['event_id']}: {len(subjects['api_tokens'])} "
                          f"педагогов, {len(subjects['feeds'])} календарей, "
                          f"{len(subjects['invitations'])} приглашений → {out}")
