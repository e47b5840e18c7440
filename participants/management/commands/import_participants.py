"""python manage.py import_participants FILE [--municipality NAME] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from participants.errors import ImportFailed
from participants.importing import apply_import, plan_import
from participants.models import Municipality, Person


class Command(BaseCommand):
    help = "Импорт педагогов из CSV или XLSX: всё или ничего; --dry-run только показывает."

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл CSV или XLSX")
        parser.add_argument("--municipality", help="название муниципалитета")
        parser.add_argument("--dry-run", action="store_true",
                            help="показать изменения, ничего не записывая")

    def handle(self, *args, file, municipality, dry_run, **options):
        place = _municipality(municipality)
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Не удалось открыть файл: %(error)s") % {"error": exc}) from exc
        try:
            if dry_run:
                summary = plan_import(place, content, path.name).as_dict()
            else:
                summary = apply_import(place, content, path.name).as_dict()
        except ImportFailed as exc:
            if exc.details.get("errors"):
                self._report(summary=exc.details, applied=False)
            raise CommandError(exc.message) from exc
        self._report(summary=summary, applied=not dry_run)
        if summary["errors"]:
            raise CommandError(_("В файле есть ошибки; при импорте ничего не будет записано."))

    def _report(self, *, summary, applied):
        counts = {
            "creates": len(summary["creates"]), "updates": len(summary["updates"]),
            "unchanged": summary["unchanged"],
            "organisations": len(summary["organisations_to_create"]),
        }
        if applied:
            line = _("Создано: %(creates)s, изменено: %(updates)s, без изменений: %(unchanged)s, "
                     "новых организаций: %(organisations)s.")
        else:
            line = _("Будет создано: %(creates)s, изменено: %(updates)s, без изменений: "
                     "%(unchanged)s, новых организаций: %(organisations)s.")
        self.stdout.write(line % counts)
        for name in summary["organisations_to_create"]:
            self.stdout.write(_("Новая организация: %(name)s") % {"name": name})
        for item in summary["creates"]:
            email = f" <{item['email']}>" if item["email"] else ""
            self.stdout.write(_("Строка %(row)s: новый участник %(name)s%(email)s") % {
                "row": item["row"], "name": item["name"], "email": email})
        for item in summary["updates"]:
            changes = "; ".join(
                f"{_label(field)}: {_shown(field, old)} → {_shown(field, new)}"
                for field, (old, new) in item["changes"].items()
            )
            self.stdout.write(_("Строка %(row)s: %(name)s — %(changes)s") % {
                "row": item["row"], "name": item["name"], "changes": changes})
        for error in summary["errors"]:
            self.stdout.write(_("Строка %(row)s: %(message)s") % error)


def _municipality(name):
    if name:
        found = Municipality.objects.filter(name__iexact=name.strip()).first()
        if found is None:
            raise CommandError(_("Муниципалитет «%(name)s» не найден. Есть: %(names)s") % {
                "name": name, "names": _names()})
        return found
    only = list(Municipality.objects.all()[:2])
    if len(only) != 1:
        raise CommandError(_("Укажите --municipality. Есть: %(names)s") % {"names": _names()})
    return only[0]


def _names():
    return ", ".join(Municipality.objects.values_list("name", flat=True)) or "—"


def _label(field):
    return str(Person._meta.get_field(field).verbose_name)


def _shown(field, value):
    if value in (None, ""):
        return "—"
    if field == "category":
        return str(Person.Category(value).label)
    return str(value)
