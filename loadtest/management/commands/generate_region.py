"""`manage.py generate_region [--scale 0.1]`: a synthetic region for benchmarks and load tests."""

import time

from django.core.management.base import BaseCommand, CommandError

from loadtest.region import RegionExists, generate


class Command(BaseCommand):
    help = ("Создаёт синтетический регион для замеров: при --scale 1 — 20 муниципалитетов, "
            "1000 школ, 50 000 педагогов, 5000 мероприятий за год, около 1 000 000 ответов "
            "на анкеты. Только для пустой тестовой базы, не для рабочей.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="доля полного размера: 0.1 — десятая часть")
        parser.add_argument("--municipalities", type=int, default=20)
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args, scale, municipalities, seed, **options):
        if not 0 < scale <= 10 or municipalities < 1:
            raise CommandError("Масштаб — от 0 до 10, муниципалитетов — хотя бы один.")
        started = time.perf_counter()
        try:
            region = generate(scale=scale, municipalities=municipalities, seed=seed,
                              log=lambda line: self.stdout.write(f"  {line}"))
        except RegionExists as exc:
            raise CommandError(f"В базе уже есть сгенерированный регион ({exc}).") from exc
        for name, value in region.counts.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(f"готово за {time.perf_counter() - started:.0f} с")
