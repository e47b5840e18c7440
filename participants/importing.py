"""Roster import: read a CSV or XLSX of teachers, plan the changes, apply them all or nothing."""

import csv
import dataclasses
import datetime
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

import charset_normalizer
import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.text_input import clean_line
from participants.errors import Conflict, ImportFailed, Invalid
from participants.models import ImportBatch, Municipality, Organisation, Person, fold
from participants.roles import ensure_can_manage
from participants.services import _clean_text, normalise_email, normalise_phone

# Header spellings met in real rosters, compared after _header_key.
COLUMNS = {
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "patronymic": ("отчество",),
    "full_name": ("фио", "ф.и.о.", "фамилия имя отчество", "фамилия, имя, отчество"),
    # «е-mail» with a Cyrillic «е» is a common typing slip.
    "email": ("e-mail", "е-mail", "email", "электронная почта", "эл. почта", "почта"),
    "phone": ("телефон", "контактный телефон", "мобильный телефон"),
    "organisation": ("организация", "школа", "оо", "образовательная организация"),
    "position": ("должность",),
    "subject": ("предмет", "преподаваемый предмет"),
    "category": ("категория", "квалификационная категория"),
    "experience_years": ("стаж", "педагогический стаж", "педагогический стаж, лет", "стаж, лет"),
}
HEADER_FIELDS = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}

# Category cells are matched by the start of the folded text: «высшая (квалификационная)»…
CATEGORY_PREFIXES = (
    ("высш", Person.Category.HIGHEST),
    ("перв", Person.Category.FIRST),
    ("соответ", Person.Category.CONFORMITY),
    ("сзд", Person.Category.CONFORMITY),
    ("без категории", Person.Category.NONE),
    ("нет", Person.Category.NONE),
)
EXPERIENCE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(?:год|года|лет|г|л)?\.?$")
MAX_EXPERIENCE = 70
TEXT_FIELDS = ("last_name", "first_name", "patronymic", "position", "subject")

# Bounds that keep a hostile or mistaken file from taking the server's memory and time. A
# municipality's roster is hundreds of teachers, a large city's a few thousand.
MAX_UNPACKED_BYTES = 50 * 2**20  # an XLSX of 10,000 full rows unpacks to about 10 MB
MAX_ROWS = 10_000  # data rows, the header not counted
MAX_COLUMNS = 50
MAX_ERRORS = 100  # reported in full; the rest are only counted
QUOTED = 80  # characters of a cell quoted back in an error message


@dataclass
class RowError:
    row: int  # as a person sees it in Excel: the header is row 1
    message: str


@dataclass
class ImportPlan:
    creates: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    unchanged: int = 0
    organisations_to_create: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self):
        return {"creates": len(self.creates), "updates": len(self.updates),
                "unchanged": self.unchanged, "errors": len(self.errors)}

    def as_dict(self):
        """Plain JSON for ImportBatch.summary and API responses: the first MAX_ERRORS errors."""
        data = dataclasses.asdict(dataclasses.replace(self, errors=self.errors[:MAX_ERRORS]))
        return {**data, "counts": self.counts()}

    @property
    def ok(self):
        return not self.errors


# --- reading ---------------------------------------------------------------------------------

def read_rows(content, file_name):
    """The non-empty data rows of a roster as (Excel row number, {field: cleaned text})."""
    filled = read_table(content, file_name)
    if not filled:
        raise ImportFailed(_("Файл пуст."))
    (_header_row, header), data = filled[0], filled[1:]
    columns = _columns(header)
    return [(number, _row_values(columns, cells)) for number, cells in data]


def read_table(content, file_name):
    """The non-empty rows of a CSV or XLSX file as (Excel row number, cleaned cell texts),
    within this module's bounds on size, rows and columns; other imports reuse it."""
    content = bytes(content)  # a BinaryField may hand back a memoryview
    return _xlsx_table(content) if _is_xlsx(content, file_name) else _csv_table(content)


def _is_xlsx(content, file_name):
    extension = os.path.splitext(file_name or "")[1].lower()
    if extension in {".xlsx", ".xlsm"}:
        return True
    if extension == ".xls" or content.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary Excel
        raise ImportFailed(_("Формат XLS не поддерживается: сохраните файл как XLSX или CSV."))
    if extension in {".csv", ".txt"}:
        return False
    return content.startswith(b"PK")  # an XLSX is a zip archive


def _filled(table):
    """The non-empty rows of (number, cells) as (number, cleaned texts), within the bounds."""
    filled = []
    for number, cells in table:
        texts = [_cell_text(value) for value in cells[:MAX_COLUMNS]]
        if any(value not in (None, "") and _cell_text(value) for value in cells[MAX_COLUMNS:]):
            raise ImportFailed(_("В файле колонок больше %(limit)s: оставьте только нужные.")
                               % {"limit": MAX_COLUMNS})
        if not any(texts):
            continue
        if len(filled) > MAX_ROWS:  # the header and MAX_ROWS rows are in already
            raise ImportFailed(_("В файле строк больше %(limit)s: разделите его на части.")
                               % {"limit": f"{MAX_ROWS:,}".replace(",", "\u00a0")})
        filled.append((number, texts))
    return filled


def _check_archive(content):
    """Refuse an XLSX that unpacks beyond MAX_UNPACKED_BYTES or carries a DTD.

    Sizes are those the archive declares: zipfile never unpacks a member past its declared
    size, so they bound the work. Legitimate XLSX parts never declare a DTD; one that does is
    an entity bomb or an external-entity probe (defusedxml refuses it too, but this way the
    message is clear and nothing is parsed).
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            raise ImportFailed(_("Файл XLSX в распакованном виде больше %(limit)s МБ.")
                               % {"limit": MAX_UNPACKED_BYTES // 2**20})
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    prolog = part.read(4096)
                if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                    raise _entities_refused()


def _entities_refused():
    return ImportFailed(_("Файл XLSX объявляет сущности XML (DTD): такие файлы не принимаются. "
                          "Сохраните список заново в Excel или как CSV."))


def _xlsx_table(content):
    try:
        _check_archive(content)
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # A declared A1:XFD1048576 would pad every row and the sheet to that size.
            sheet.reset_dimensions()
            return _filled(enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True),
                                     start=1))
        finally:
            book.close()
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a broken or hostile file makes openpyxl raise
        if _caused_by(exc, DefusedXmlException):  # openpyxl wraps it in a ValueError
            raise _entities_refused() from exc
        raise ImportFailed(_("Не удалось прочитать файл XLSX.")) from exc


def _caused_by(exc, kind):
    for _step in range(20):  # a chain can loop
        if exc is None or isinstance(exc, kind):
            return exc is not None
        exc = exc.__cause__ or exc.__context__
    return False


def _csv_table(content):
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel writes ';' where the decimal separator is a comma (Russia), ',' elsewhere.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return _filled(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                                 start=1))
    except csv.Error as exc:
        raise ImportFailed(_("Не удалось прочитать CSV: %(error)s") % {"error": exc}) from exc


def _decode(content):
    # Strict UTF-8 first: text that decodes as UTF-8 almost never is anything else.
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content, cp_isolation=["cp1251", "utf_8"]).best()
    if best is None:
        raise ImportFailed(
            _("Не удалось определить кодировку файла: сохраните его как CSV (UTF-8) или XLSX.")
        )
    return str(best)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps phones and years typed as numbers as floats
    elif hasattr(value, "strftime"):
        value = value.strftime("%d.%m.%Y")
    # The one cleaning of text that enters (NUL, controls, bidi overrides), then one spacing.
    return _clean_text(clean_line(str(value)))


def _quoted(raw):
    """A cell as an error message quotes it: a long one shortened."""
    return raw if len(raw) <= QUOTED else raw[:QUOTED - 1] + "…"


def _header_key(text):
    return fold(text).strip(" :*")


def _columns(header):
    """Field name by column index; the first column of a field wins."""
    columns = {}
    for index, title in enumerate(header):
        name = HEADER_FIELDS.get(_header_key(title))
        if name and name not in columns.values():
            columns[index] = name
    found = set(columns.values())
    if not ({"last_name", "first_name"} <= found or "full_name" in found):
        raise ImportFailed(
            _("В файле нет обязательных колонок «Фамилия» и «Имя» (или одной колонки «ФИО»)."),
            details={"header": [title for title in header if title]},
        )
    return columns


def _row_values(columns, cells):
    values = {name: cells[index] if index < len(cells) else "" for index, name in columns.items()}
    full_name = values.pop("full_name", "")
    if full_name and not values.get("last_name") and not values.get("first_name"):
        parts = full_name.split()
        values["last_name"] = parts[0]
        values["first_name"] = parts[1] if len(parts) > 1 else ""
        values["patronymic"] = " ".join(parts[2:])  # «Аликпер оглы» stays whole
    return values


# --- one row ---------------------------------------------------------------------------------

def _parse(values):
    """Model values of one row (None where the cell gave nothing) and the row's problems."""
    parsed, problems = {}, []
    for name in TEXT_FIELDS:
        parsed[name] = values.get(name) or None
        limit = Person._meta.get_field(name).max_length
        if parsed[name] and len(parsed[name]) > limit:
            problems.append(_("«%(column)s» длиннее %(limit)s символов.") % {
                "column": Person._meta.get_field(name).verbose_name, "limit": limit})
    if not parsed["last_name"]:
        problems.append(_("Не указана фамилия."))
    if not parsed["first_name"]:
        problems.append(_("Не указано имя."))
    for name, parser in (("email", _parse_email), ("phone", normalise_phone),
                         ("category", _parse_category), ("experience_years", _parse_experience)):
        raw = values.get(name) or ""
        try:
            parsed[name] = parser(raw) if raw else None
        except Invalid as exc:
            problems.append(exc.message.replace(raw, _quoted(raw)))
    organisation = values.get("organisation") or None
    if organisation and len(organisation) > Organisation._meta.get_field("name").max_length:
        problems.append(_("Название организации слишком длинное."))
    return parsed, organisation, problems


def _parse_email(raw):
    email = normalise_email(raw)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid(_("E-mail «%(email)s» записан с ошибкой.") % {"email": raw}) from exc
    return email


def _parse_category(raw):
    text = fold(raw)
    for prefix, category in CATEGORY_PREFIXES:
        if text.startswith(prefix):
            return category.value
    raise Invalid(_("Категория «%(value)s» не распознана: ожидается «высшая», «первая», "
                    "«соответствие занимаемой должности» или пусто.") % {"value": raw})


def _parse_experience(raw):
    match = EXPERIENCE.match(fold(raw))
    if not match or int(match.group(1)) > MAX_EXPERIENCE:
        raise Invalid(_("Стаж «%(value)s» должен быть целым числом лет.") % {"value": raw})
    return int(match.group(1))


# --- planning --------------------------------------------------------------------------------

def _name_key(last_name, first_name, patronymic, organisation_key):
    return (fold(last_name), fold(first_name), fold(patronymic), organisation_key)


class _Register:
    """The municipality's people and organisations, indexed the ways a row can name them."""

    def __init__(self, municipality):
        self.municipality = municipality
        self.organisations = {}
        for organisation in Organisation.objects.filter(municipality=municipality):
            for name in (organisation.short_name, organisation.name):
                if name:
                    self.organisations.setdefault(fold(_clean_text(name)), organisation)
        self.new_organisations = {}
        self.by_email, self.by_name = {}, {}
        # Anonymised people are out of reach: nothing may re-identify them.
        for person in Person.objects.filter(municipality=municipality, is_anonymised=False):
            if person.email:
                self.by_email[normalise_email(person.email)] = person
            key = _name_key(person.last_name, person.first_name, person.patronymic,
                            person.organisation_id)
            self.by_name.setdefault(key, []).append(person)

    def organisation(self, name):
        """The organisation a cell names; an unknown name gets one new, unsaved organisation."""
        if not name:
            return None
        key = fold(name)
        found = self.organisations.get(key) or self.new_organisations.get(key)
        if found is None:
            found = self.new_organisations[key] = Organisation(
                municipality=self.municipality, name=name)
        return found

    def match(self, parsed, organisation):
        """The existing person a row means, or None; raises Invalid when a row is ambiguous."""
        email = parsed["email"]
        person = self.by_email.get(email) if email else None
        if person is not None:
            if (fold(person.last_name) != fold(parsed["last_name"])
                    and fold(person.first_name) != fold(parsed["first_name"])):
                raise Invalid(_("E-mail %(email)s принадлежит другому участнику: %(name)s.")
                              % {"email": email, "name": person.full_name})
            return person
        if organisation is not None and organisation.pk is None:
            return None  # nobody works yet in an organisation the import creates
        key = _name_key(parsed["last_name"], parsed["first_name"], parsed["patronymic"] or "",
                        organisation.pk if organisation else None)
        # A row with an e-mail may add it to a namesake who has none, never take another's.
        candidates = [p for p in self.by_name.get(key, []) if not (email and p.email)]
        if len(candidates) > 1:
            raise Invalid(_("В организации несколько участников с такими ФИО: укажите e-mail."))
        return candidates[0] if candidates else None


@dataclass
class _Work:
    plan: ImportPlan
    register: _Register
    new_people: list = field(default_factory=list)
    changed_people: list = field(default_factory=list)
    changed_fields: set = field(default_factory=set)


def _build(municipality, rows):
    """Plan every row against the current data; the model objects to write ride along."""
    work = _Work(plan=ImportPlan(), register=_Register(municipality))
    seen = {}  # what a row claimed (an e-mail, a person, a new person's name) → its row number
    for number, values in rows:
        parsed, organisation_name, problems = _parse(values)
        organisation = work.register.organisation(organisation_name)
        if not problems:
            try:
                _plan_row(work, number, parsed, organisation, seen)
            except Invalid as exc:
                problems.append(exc.message)
        work.plan.errors.extend(RowError(number, problem) for problem in problems)
    work.plan.organisations_to_create = [
        o.name for o in work.register.new_organisations.values()]
    return work


def _claim(seen, key, number, message, **params):
    if key in seen:
        raise Invalid(message % {"row": seen[key], **params})
    seen[key] = number


def _plan_row(work, number, parsed, organisation, seen):
    person = work.register.match(parsed, organisation)
    if parsed["email"]:
        _claim(seen, ("email", parsed["email"]), number,
               _("E-mail %(email)s уже указан в строке %(row)s."), email=parsed["email"])
    if person is None:
        person = Person(municipality=work.register.municipality, organisation=organisation,
                        awaits_consent=True,
                        **{name: value for name, value in parsed.items() if value is not None})
        if not parsed["email"]:
            key = _name_key(person.last_name, person.first_name, person.patronymic,
                            fold(organisation.name) if organisation else None)
            _claim(seen, ("name", key), number,
                   _("Участник с такими ФИО и организацией уже указан в строке %(row)s."))
        work.new_people.append(person)
        work.plan.creates.append({"row": number, "name": person.full_name, "email": person.email})
        return
    _claim(seen, ("person", person.pk), number,
           _("Этот участник уже указан в строке %(row)s."))
    name = person.full_name  # as the curator knows the person now, before any renaming
    changes = _apply_changes(person, parsed, organisation)
    if not changes:
        work.plan.unchanged += 1
        return
    work.changed_people.append(person)
    work.changed_fields.update(changes)
    work.plan.updates.append({"row": number, "name": name, "changes": changes})


def _apply_changes(person, parsed, organisation):
    """Set what differs on the person (in memory) and return {field: [old, new]}."""
    changes = {}
    if organisation is not None and (organisation.pk is None
                                     or organisation.pk != person.organisation_id):
        old = person.organisation
        changes["organisation"] = [str(old) if old else None, str(organisation)]
        person.organisation = organisation
    for name, new in parsed.items():
        old = getattr(person, name)
        same = normalise_email(old) == new if name == "email" else old == new
        if new is None or same:
            continue  # an empty cell never blanks out what is known
        changes[name] = [old, new]
        setattr(person, name, new)
    return changes


# --- writing ---------------------------------------------------------------------------------

def _write(work):
    Organisation.objects.bulk_create(work.register.new_organisations.values())
    for person in work.new_people:
        person.refresh_search_text()  # bulk_create bypasses Person.save()
    Person.objects.bulk_create(work.new_people, batch_size=500)
    if work.changed_people:
        now = timezone.now()
        for person in work.changed_people:
            person.refresh_search_text()
            person.updated_at = now  # auto_now is not applied by bulk_update
        fields = [*work.changed_fields, "search_text", "updated_at"]
        Person.objects.bulk_update(work.changed_people, fields, batch_size=500)


def plan_import(municipality, content, file_name):
    """What importing the file would change; reads only."""
    return _build(municipality, read_rows(content, file_name)).plan


def apply_import(municipality, content, file_name, *, by=None):
    """Import the file all or nothing; any bad row raises ImportFailed and writes nothing."""
    ensure_can_manage(by, municipality)
    rows = read_rows(content, file_name)
    try:
        with transaction.atomic():
            # One import of a municipality at a time on PostgreSQL: the plan stays true until
            # written. (SQLite's immediate transactions serialise writers anyway.)
            Municipality.objects.select_for_update().get(pk=municipality.pk)
            work = _build(municipality, rows)
            if not work.plan.ok:
                raise ImportFailed(
                    _("В файле есть ошибки (строк: %(count)s); ничего не записано.")
                    % {"count": len({e.row for e in work.plan.errors})},
                    details=work.plan.as_dict(),
                )
            _write(work)
    except IntegrityError as exc:  # someone wrote the same e-mail between our read and write
        raise ImportFailed(
            _("Данные участников изменились во время импорта; повторите импорт.")
        ) from exc
    return work.plan


def create_batch(municipality, *, file_name, content, by=None):
    """Store an uploaded roster with its preview, to be applied later."""
    ensure_can_manage(by, municipality)
    plan = plan_import(municipality, content, file_name)
    return ImportBatch.objects.create(
        municipality=municipality, file_name=os.path.basename(file_name or "")[:255],
        content=content, created_by=by if by is not None and by.is_authenticated else None,
        summary=plan.as_dict(),
    )


def apply_batch(batch, *, by=None):
    """Apply a stored roster once; its summary becomes what was actually done."""
    ensure_can_manage(by, batch.municipality)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.applied_at is not None:
                raise Conflict(_("Этот импорт уже применён %(when)s.") % {
                    "when": timezone.localtime(locked.applied_at).strftime("%d.%m.%Y %H:%M")})
            plan = apply_import(locked.municipality, bytes(locked.content), locked.file_name,
                                by=by)
            # The file and the lists of names are personal data; what was done stays as counts.
            locked.applied_at, locked.summary = timezone.now(), retained_summary(plan.as_dict())
            locked.content = None
            locked.save(update_fields=["applied_at", "summary", "content"])
    except ImportFailed as exc:
        if exc.details.get("errors"):  # data changed since the preview: keep the fresh one
            ImportBatch.objects.filter(pk=batch.pk, applied_at__isnull=True).update(
                summary=exc.details)
            batch.summary = exc.details
        raise
    batch.applied_at, batch.summary, batch.content = locked.applied_at, locked.summary, None
    return plan


def retained_summary(summary):
    """What an applied batch keeps: counts and the new organisations, nobody's name or contacts."""
    counts = summary.get("counts") or {
        key: len(summary.get(key) or []) for key in ("creates", "updates", "errors")}
    counts.setdefault("unchanged", summary.get("unchanged", 0))
    return {"counts": counts,
            "organisations_to_create": summary.get("organisations_to_create", [])}


def purge_batches(*, now=None):
    """Delete uploads not applied within IMPORT_BATCH_RETENTION_DAYS; scrub applied ones that
    still hold a file (applied before this rule). Safe to run any number of times."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_BATCH_RETENTION_DAYS)
    deleted, _by_model = ImportBatch.objects.filter(
        applied_at__isnull=True, created_at__lt=cutoff).delete()
    scrubbed = 0
    for batch in ImportBatch.objects.filter(applied_at__isnull=False, content__isnull=False):
        batch.content, batch.summary = None, retained_summary(batch.summary or {})
        batch.save(update_fields=["content", "summary"])
        scrubbed += 1
    return {"deleted": deleted, "scrubbed": scrubbed}
