"""`manage.py import_plan FILE --program ID [--dry-run]`: a plan table into a program's plan."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from events.models import Program
from events.plan import importing


class Command(BaseCommand):
    help = "Импорт плана мероприятий из таблицы DOCX, XLSX или CSV: всё или ничего."

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к таблице плана")
        parser.add_argument("--program", type=int, required=True, help="id программы")
        parser.add_argument("--dry-run", action="store_true",
                            help="только показать, что изменится")

    def handle(self, *args, file, program, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        if path.stat().st_size > importing.MAX_FILE_BYTES:
            raise CommandError("Файл больше 5 МБ.")
        found = Program.objects.select_related("municipality").filter(pk=program).first()
        if found is None:
            raise CommandError(f"Программа {program} не найдена.")
        content = path.read_bytes()
        try:
            if dry_run:
                preview = importing.preview_import(found, content, path.name)
            else:
                preview = importing.apply_import(found, content, path.name)
        except DomainError as exc:
            for error in exc.details.get("errors", []):
                self.stderr.write(f"строка {error['row']}: {error['message']}")
            raise CommandError(exc.message) from exc
        for row in preview.rows:
            people = "; ".join(r["name"] for r in row["responsible"]) or "—"
            self.stdout.write(f"{row['row']:>4}  №{row['number'] or '—'}  {row['action']:<9}  "
                              f"{row['period']['label']:<25}  {people}  {row['title'][:60]}")
        for error in preview.errors:
            self.stderr.write(f"строка {error['row']}: {error['message']}")
        counts = preview.counts()
        verb = "Будет" if dry_run else "Сделано"
        self.stdout.write(f"{verb}: создать {counts['creates']}, изменить {counts['updates']}, "
                          f"без изменений {counts['unchanged']}, строк с ошибками "
                          f"{counts['errors']}." + (" Ничего не записано." if dry_run else ""))
        if preview.errors:
            raise CommandError("В таблице есть ошибки; ничего не записано.")
