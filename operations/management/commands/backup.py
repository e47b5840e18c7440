"""`manage.py backup [--dir DIR]`: a consistent copy of the SQLite database and the uploads."""

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = ("Резервная копия: база SQLite (онлайн, сайт может работать) и загруженные файлы "
            "в каталог var/backups/backup-<время>/. Для PostgreSQL печатает команду pg_dump.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="куда положить копию (по умолчанию var/backups)")

    def handle(self, *args, dir=None, **options):
        if not backups.is_sqlite():
            dump, restore = backups.pg_commands()
            self.stdout.write("База — PostgreSQL. Копия:\n  " + dump
                              + "\nВосстановление (службы остановлены):\n  " + restore
                              + "\nЗагруженные файлы: скопируйте каталог MEDIA_ROOT.")
            return
        try:
            target = backups.backup(dir)
        except (backups.BackupError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Копия готова и проверена: {target}")
