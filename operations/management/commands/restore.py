"""`manage.py restore DIR --yes`: the database and the uploads from a backup."""

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = ("Восстанавливает базу SQLite и загруженные файлы из копии, сделанной "
            "`manage.py backup`. Текущие данные заменяются. Сначала остановите сайт и "
            "обработчик задач.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="каталог копии (backup-<время>) или файл базы")
        parser.add_argument("--yes", action="store_true",
                            help="подтверждаю: текущие данные будут заменены")

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError("Текущие данные будут заменены копией. Повторите с --yes.")
        try:
            backups.restore(source)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Восстановлено из {source}.")
