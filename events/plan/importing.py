"""Import of a plan table (DOCX, XLSX or CSV): read, preview each row as understood, apply all
or nothing. Importing the same table again changes nothing: a row is the item of the same
program with its number, or with its title when the row has no number.

The bounds on size, rows and columns are the roster import's (participants/importing.py).
"""

import io
import os
import re
from dataclasses import dataclass, field

import docx
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, EventForm, Program
from events.plan import services
from events.plan.models import PlanImport, PlanItem, initials_name
from events.plan.periods import PeriodError, parse_period, period_label
from events.plan.services import Responsible
from participants import importing as roster
from participants.errors import Conflict, ImportFailed, Invalid
from participants.models import Organisation, Person, fold
from participants.roles import ensure_can_manage

MAX_ERRORS = roster.MAX_ERRORS
# A plan is a few pages; the roster import's upload limit is ample.
MAX_FILE_BYTES = 5 * 2**20


def _column(title):
    """The field a header cell names, or None: «№ п/п», «Период (срок реализации)» …"""
    key = re.sub(r"\(.*?\)", "", fold(title)).strip(" :*.")
    if key.startswith("№") or key in {"n", "номер", "п/п", "no"}:
        return "number"
    if "мероприят" in key or key in {"наименование", "содержание", "название"}:
        return "title"
    if key.startswith(("срок", "период", "дата", "время проведения")):
        return "period"
    if key.startswith(("ответствен", "исполнител")):
        return "responsible"
    if key.startswith("форм"):
        return "form"
    if key.startswith(("участник", "целевая аудитория", "для кого", "аудитория")):
        return "audience"
    return None


# --- reading ---------------------------------------------------------------------------------

def read_rows(content, file_name):
    """The data rows of a plan as (row number, {field: text}); the header row is found."""
    content = bytes(content)
    if _is_docx(content, file_name):
        table = _docx_table(content)
    else:
        table = roster.read_table(content, file_name)
    for index, (_number, cells) in enumerate(table[:10]):
        columns = {i: name for i, name in reversed(list(enumerate(map(_column, cells))))
                   if name}
        if {"title", "period"} <= set(columns.values()):
            return [(number, {name: cells[i] if i < len(cells) else ""
                              for i, name in columns.items()})
                    for number, cells in table[index + 1:]]
    raise ImportFailed(_("В таблице нет колонок «Мероприятие» и «Срок» (нужны также «№» и "
                         "«Ответственные»)."))


def _is_docx(content, file_name):
    extension = os.path.splitext(file_name or "")[1].lower()
    if extension == ".doc":
        raise ImportFailed(_("Формат DOC не поддерживается: сохраните документ как DOCX."))
    return extension == ".docx"


def _docx_table(content):
    """The first table of the document that has a plan's header, as (row number, texts)."""
    try:
        roster._check_archive(content)  # the same bounds on unpacked size, no DTDs
        document = docx.Document(io.BytesIO(content))
        tables = []
        for table in document.tables:
            rows = []
            for row in table.rows:
                seen, cells = set(), []
                for cell in row.cells:  # a merged cell repeats: keep it once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                rows.append(cells)
            tables.append(rows)
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a broken file makes python-docx raise
        raise ImportFailed(_("Не удалось прочитать файл DOCX.")) from exc
    for rows in tables:
        if any({"title", "period"} <= set(map(_column, cells)) for cells in rows[:10]):
            return roster._filled(enumerate(rows, start=1))
    raise ImportFailed(_("В документе нет таблицы с колонками «Мероприятие» и «Срок»."))


# --- one row ---------------------------------------------------------------------------------

NAME = re.compile(r"(?P<last>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s*(?P<i1>[А-ЯЁ])\.\s*(?P<i2>[А-ЯЁ])"
                  r"\.?|(?P<j1>[А-ЯЁ])\.\s*(?P<j2>[А-ЯЁ])\.\s*(?P<last2>[А-ЯЁ][а-яё]+)",
                  re.IGNORECASE)
SEPARATORS = re.compile(r"[\n;,]+")
AUDIENCE_WORDS = (
    ("молод", Event.Audience.YOUNG_SPECIALISTS),
    ("наставляем", Event.Audience.MENTEES),
    ("наставник", Event.Audience.MENTORS),
    ("заместител", Event.Audience.DEPUTY_HEADS),
    ("завуч", Event.Audience.DEPUTY_HEADS),
    ("все педагог", Event.Audience.ALL_TEACHERS),
    ("педагоги", Event.Audience.ALL_TEACHERS),
    ("учителя", Event.Audience.ALL_TEACHERS),
)


class _Register:
    """The program's municipality: people by surname and initials, organisations, forms."""

    def __init__(self, program):
        self.people = {}
        people = Person.objects.filter(municipality_id=program.municipality_id,
                                       is_anonymised=False)
        for person in people.only("pk", "last_name", "first_name", "patronymic"):
            key = _name_key(person.last_name, person.first_name[:1], person.patronymic[:1])
            self.people.setdefault(key, []).append(person)
        self.organisations = {}
        for organisation in Organisation.objects.filter(municipality_id=program.municipality_id):
            for name in (organisation.short_name, organisation.name):
                if name:
                    self.organisations.setdefault(_loose(name), organisation)
        self.forms = {fold(form.name): form for form in EventForm.objects.all()}


def _name_key(last_name, first_initial, second_initial):
    return fold(last_name), fold(first_initial), fold(second_initial)


def _loose(text):
    return " ".join(re.sub(r"[«»\"'.,]", " ", fold(text)).split())


def parse_responsible(text, register):
    """Responsible as written («Буглак С.Г.», «МК», «кураторы наставничества в ОО»): people of
    the registry by surname and initials, organisations by name, the rest kept as text."""
    found, problems = [], []
    for part in SEPARATORS.split(text or ""):
        part = part.strip(" .:-")
        if not part:
            continue
        organisation = register.organisations.get(_loose(part))
        if organisation is not None:
            found.append(Responsible(organisation=organisation))
            continue
        position = 0
        for match in NAME.finditer(part):
            _add_text(found, part[position:match.start()])
            position = match.end()
            last = match.group("last") or match.group("last2")
            initials = (match.group("i1"), match.group("i2")) if match.group("last") else (
                match.group("j1"), match.group("j2"))
            people = register.people.get(_name_key(last, *initials), [])
            written = f"{last} {initials[0]}.{initials[1]}."
            if len(people) > 1:
                problems.append(_("«%(name)s»: в реестре несколько участников с такими фамилией "
                                  "и инициалами; укажите ответственного вручную.")
                                % {"name": written})
            elif people:
                found.append(Responsible(person=people[0]))
            else:
                found.append(Responsible(text=written))
        _add_text(found, part[position:])
    return found, problems


def _add_text(found, text):
    text = text.strip(" ,.;:-")
    if text:
        found.append(Responsible(text=text[:300]))


def parse_audience(text):
    """Codes of the audience a cell names; what matches none stays as text."""
    codes, rest = [], []
    for part in re.split(r"[\n;,]+|\s+и\s+", text or ""):
        part = part.strip(" .")
        if not part:
            continue
        folded = fold(part)
        code = next((code for word, code in AUDIENCE_WORDS if word in folded), None)
        if code is None:
            rest.append(part)
        elif code not in codes:
            codes.append(code.value)
    return codes, ", ".join(rest)


def _parse_number(text):
    text = (text or "").strip().rstrip(".")
    if not text:
        return None
    if not text.isdigit() or len(text) > 6:
        raise Invalid(_("Номер «%(value)s» — не целое число.") % {"value": roster._quoted(text)})
    return int(text)


def _parse_row(number, cells, program, register):
    problems = []
    values = {}
    try:
        values["number"] = _parse_number(cells.get("number"))
    except Invalid as exc:
        problems.append(exc.message)
    title = cells.get("title") or ""
    if not title:
        problems.append(_("Не указано мероприятие."))
    elif len(title) > PlanItem._meta.get_field("title").max_length:
        problems.append(_("Название мероприятия длиннее 1000 символов."))
    values["title"] = title
    period_text = cells.get("period") or ""
    values["period_text"] = period_text[:200]
    try:
        period = parse_period(period_text, program_start=program.start_date,
                              program_end=program.end_date)
        values.update(period_kind=period.kind, starts_on=period.starts_on,
                      ends_on=period.ends_on, at_time=period.at_time)
    except PeriodError as exc:
        problems.append(str(exc))
    responsible, responsible_problems = parse_responsible(cells.get("responsible"), register)
    problems += responsible_problems
    values["responsible"] = responsible
    form_name = cells.get("form") or ""
    values["form"] = register.forms.get(fold(form_name)) if form_name else None
    if form_name and values["form"] is None:
        problems.append(_("Форма «%(form)s» не найдена в справочнике форм мероприятий.")
                        % {"form": roster._quoted(form_name)})
    values["audience"], note = parse_audience(cells.get("audience"))
    values["audience_note"] = note[:500]
    return values, problems


def _shown(number, values):
    kind = values.get("period_kind")
    return {
        "row": number, "number": values.get("number"), "title": values.get("title"),
        "period_text": values.get("period_text"),
        "period": None if kind is None else {
            "kind": kind, "label": period_label(kind, values["starts_on"], values["ends_on"],
                                                values["at_time"]),
            "starts_on": values["starts_on"].isoformat() if values["starts_on"] else None,
            "ends_on": values["ends_on"].isoformat() if values["ends_on"] else None,
            "at_time": values["at_time"].strftime("%H:%M") if values["at_time"] else None,
        },
        "responsible": [_shown_responsible(entry) for entry in values.get("responsible", [])],
        "form": values["form"].name if values.get("form") else None,
        "audience": values.get("audience", []), "audience_note": values.get("audience_note"),
    }


def _shown_responsible(entry):
    if entry.person is not None:
        return {"kind": "person", "id": entry.person.pk, "name": initials_name(entry.person)}
    if entry.organisation is not None:
        return {"kind": "organisation", "id": entry.organisation.pk,
                "name": str(entry.organisation)}
    return {"kind": "text", "id": None, "name": entry.text}


# --- planning --------------------------------------------------------------------------------

COMPARED = ("title", "period_text", "period_kind", "starts_on", "ends_on", "at_time", "form",
            "audience", "audience_note")


@dataclass
class PlanPreview:
    rows: list = field(default_factory=list)  # every readable row, as understood
    errors: list = field(default_factory=list)  # {"row", "message"}
    work: list = field(default_factory=list)  # (action, item or None, values)

    def counts(self):
        actions = [row["action"] for row in self.rows]
        return {"creates": actions.count("create"), "updates": actions.count("update"),
                "unchanged": actions.count("unchanged"),
                "errors": len({error["row"] for error in self.errors})}

    def as_dict(self):
        return {"rows": self.rows, "errors": self.errors[:MAX_ERRORS], "counts": self.counts()}

    @property
    def ok(self):
        return not self.errors


def _existing(program):
    items = (PlanItem.objects.filter(program=program).select_related("form")
             .prefetch_related("responsibles__person", "responsibles__organisation"))
    by_number, by_title = {}, {}
    for item in items:
        if item.number is not None:
            by_number[item.number] = item
        by_title.setdefault(fold(item.title), item)
    return by_number, by_title


def _changes(item, values):
    changed = [name for name in COMPARED if getattr(item, name) != values.get(name)]
    if [r.key for r in services.responsible_of(item)] != [r.key for r in values["responsible"]]:
        changed.append("responsible")
    return changed


def build_preview(program, rows):
    """What importing the rows into the program would do; reads only."""
    register = _Register(program)
    by_number, by_title = _existing(program)
    preview, seen = PlanPreview(), {}
    if not rows:
        preview.errors.append({"row": 1, "message": _("В таблице нет ни одной строки плана.")})
    for number, cells in rows:
        values, problems = _parse_row(number, cells, program, register)
        key = ("number", values["number"]) if values.get("number") is not None else (
            "title", fold(values["title"]))
        if values["title"] and key in seen:
            problems.append(_("Пункт с тем же номером или названием уже есть в строке %(row)s.")
                            % {"row": seen[key]})
        seen.setdefault(key, number)
        if problems:
            preview.errors += [{"row": number, "message": problem} for problem in problems]
            continue
        item = by_number.get(values["number"]) if key[0] == "number" else by_title.get(key[1])
        changes = _changes(item, values) if item is not None else []
        action = "create" if item is None else "update" if changes else "unchanged"
        preview.rows.append({**_shown(number, values), "action": action,
                             "item_id": item.pk if item else None, "changes": changes})
        preview.work.append((action, item, values))
    return preview


def preview_import(program, content, file_name):
    """The preview of a file; raises ImportFailed when the file itself cannot be read."""
    return build_preview(program, read_rows(content, file_name))


def apply_import(program, content, file_name, *, by=None):
    """Import the file all or nothing: any unreadable row refuses the whole table."""
    ensure_can_manage(by, program.municipality)
    rows = read_rows(content, file_name)
    with transaction.atomic():
        # One import of a program at a time: the preview stays true until written.
        program = Program.objects.select_for_update().select_related("municipality").get(
            pk=program.pk)
        preview = build_preview(program, rows)
        if not preview.ok:
            raise ImportFailed(
                _("В таблице есть ошибки (строк: %(count)s); ничего не записано.")
                % {"count": preview.counts()["errors"]}, details=preview.as_dict())
        services.create_items(program, [values for action, _item, values in preview.work
                                        if action == "create"], by=by)
        for action, item, values in preview.work:
            if action == "update":
                services.update_item(item, by=by, **values)
    return preview


# --- stored uploads (admin and API: upload → preview → apply) --------------------------------

def create_upload(program, *, file_name, content, by=None):
    """Store an uploaded table with its preview, to be applied later."""
    ensure_can_manage(by, program.municipality)
    preview = preview_import(program, content, file_name)
    return PlanImport.objects.create(
        program=program, file_name=os.path.basename(file_name or "")[:255], content=content,
        summary=preview.as_dict(),
        created_by=by if by is not None and by.is_authenticated else None)


def apply_upload(upload, *, by=None):
    """Apply a stored table once; its summary becomes what was done."""
    ensure_can_manage(by, upload.program.municipality)
    try:
        with transaction.atomic():
            locked = PlanImport.objects.select_for_update().get(pk=upload.pk)
            if locked.applied_at is not None:
                raise Conflict(_("Этот импорт уже применён."))
            preview = apply_import(locked.program, bytes(locked.content), locked.file_name, by=by)
            locked.applied_at, locked.summary, locked.content = (
                timezone.now(), preview.as_dict(), None)
            locked.save(update_fields=["applied_at", "summary", "content"])
    except ImportFailed as exc:
        if exc.details.get("rows") is not None:  # the data changed since the preview
            PlanImport.objects.filter(pk=upload.pk, applied_at__isnull=True).update(
                summary=exc.details)
            upload.summary = exc.details
        raise
    upload.applied_at, upload.summary, upload.content = (
        locked.applied_at, locked.summary, None)
    return preview
