"""Operations on plan items: create, update, delete, set the execution status with evidence.

Every entry point (admin, API, import, command) writes through these; each checks the user may
change the program's municipality, cleans the text it is given and keeps the period consistent.
"""

import logging
import os
import secrets
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import text_input
from events.errors import Invalid
from events.models import Event, Program, Track
from events.plan.models import PeriodKind, PlanItem, PlanResponsible, month_bounds
from participants import roles
from participants.models import Person

log = logging.getLogger(__name__)

# Evidence is a scan, a photo or an office document of a few pages.
MAX_EVIDENCE_BYTES = 10 * 2**20
# Extension → how the file must start (None: any start); checked on the bytes, not the name.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",), ".ods": (b"PK\x03\x04",),
}


@dataclass(frozen=True)
class Responsible:
    """One responsible as given: exactly one of a person, an organisation or a text."""

    person: object = None
    organisation: object = None
    text: str = ""

    @property
    def key(self):
        """What identifies it, for comparing an item with an imported row."""
        if self.person is not None:
            return ("person", self.person.pk)
        if self.organisation is not None:
            return ("organisation", self.organisation.pk)
        return ("text", self.text)


# --- cleaning --------------------------------------------------------------------------------

def clean_line(value, *, field, limit, required=False):
    """One line of text, cleaned as every input is (config.text_input), length checked."""
    text = " ".join(text_input.clean_line(str(value or "")).split())
    if required and not text:
        raise Invalid(_("Поле «%(field)s» не заполнено.") % {"field": field},
                      details={"field": field})
    if len(text) > limit:
        raise Invalid(_("Поле «%(field)s» длиннее %(limit)s символов.")
                      % {"field": field, "limit": limit}, details={"field": field})
    return text


def clean_note(value, *, field, limit=5000):
    """Several lines of text: line breaks kept as LF, everything else as for one line."""
    lines = text_input.clean_text(str(value or "")).split("\n")
    text = "\n".join(" ".join(line.split()) for line in lines).strip()
    if len(text) > limit:
        raise Invalid(_("Поле «%(field)s» длиннее %(limit)s символов.")
                      % {"field": field, "limit": limit}, details={"field": field})
    return text


def normalised_period(period_kind, starts_on=None, ends_on=None, at_time=None):
    """(kind, starts_on, ends_on, at_time) as stored: a month is its first and last day, a
    deadline its due date on both ends, «весь период» no dates at all."""
    kind = period_kind
    if kind not in PeriodKind.values:
        raise Invalid(_("Неизвестный вид срока: %(kind)s.") % {"kind": kind},
                      details={"field": "period_kind"})
    if kind == PeriodKind.WHOLE:
        return kind, None, None, None
    if kind == PeriodKind.DEADLINE:
        due = ends_on or starts_on
        if due is None:
            raise Invalid(_("Для срока «до» укажите дату."), details={"field": "ends_on"})
        return kind, due, due, None
    if starts_on is None:
        raise Invalid(_("Укажите дату начала."), details={"field": "starts_on"})
    if kind == PeriodKind.MONTH:
        first, last = month_bounds(starts_on.year, starts_on.month)
        return kind, first, last, None
    if kind == PeriodKind.DAY:
        return kind, starts_on, starts_on, at_time
    if ends_on is None or ends_on < starts_on:
        raise Invalid(_("Конец периода должен быть не раньше начала."),
                      details={"field": "ends_on"})
    return kind, starts_on, ends_on, None


def validate_evidence(upload):
    """Refuse an evidence file that is too large or not what its name says."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise Invalid(_("Файл подтверждения больше %(limit)s МБ.")
                      % {"limit": MAX_EVIDENCE_BYTES // 2**20}, details={"field": "evidence_file"})
    extension = os.path.splitext(upload.name or "")[1].lower()
    starts = EVIDENCE_TYPES.get(extension)
    if starts is None:
        raise Invalid(_("Файл подтверждения: допускаются PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT, "
                        "ODS."), details={"field": "evidence_file"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(starts):
        raise Invalid(_("Содержимое файла подтверждения не соответствует расширению %(ext)s.")
                      % {"ext": extension}, details={"field": "evidence_file"})


def clean_evidence_url(value):
    """A proof link as kept: one clean line, http or https, or a Russian 422."""
    url = clean_line(value, field="evidence_url", limit=500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise Invalid(_("Ссылка на подтверждение записана с ошибкой."),
                          details={"field": "evidence_url"}) from exc
    return url


# --- checks against the program --------------------------------------------------------------

def _check_links(program, *, track=None, form=None, events=None, audience=None):
    if track is not None and track.program_id != program.pk:
        raise Invalid(_("Трек относится к другой программе."), details={"field": "track"})
    if form is not None and form.municipality_id not in (None, program.municipality_id):
        raise Invalid(_("Форма «%(form)s» другого муниципалитета.") % {"form": form},
                      details={"field": "form"})
    for event in events or ():
        if event.municipality_id != program.municipality_id:
            raise Invalid(_("Мероприятие «%(title)s» другого муниципалитета.")
                          % {"title": event.title}, details={"field": "events"})
    unknown = [code for code in audience or () if code not in Event.Audience.values]
    if unknown:
        raise Invalid(_("Неизвестные участники: %(codes)s.") % {"codes": ", ".join(unknown)},
                      details={"field": "audience"})


def _check_responsible(program, responsible):
    for entry in responsible:
        given = [entry.person is not None, entry.organisation is not None, bool(entry.text)]
        if sum(given) != 1:
            raise Invalid(_("Ответственный — это участник, организация или текст, что-то одно."),
                          details={"field": "responsible"})
        owner = entry.person or entry.organisation
        if owner is not None and owner.municipality_id != program.municipality_id:
            raise Invalid(_("Ответственный «%(name)s» из другого муниципалитета.")
                          % {"name": owner}, details={"field": "responsible"})


def _responsible_row(item, index, entry):
    text = "" if entry.person or entry.organisation else clean_line(
        entry.text, field="responsible", limit=300, required=True)
    return PlanResponsible(item=item, position=index, person=entry.person,
                           organisation=entry.organisation, text=text)


def _set_responsible(item, responsible):
    before = set(item.responsibles.filter(person__isnull=False).values_list("person_id",
                                                                            flat=True))
    item.responsibles.all().delete()
    PlanResponsible.objects.bulk_create(_responsible_row(item, index, entry)
                                        for index, entry in enumerate(responsible))
    _touch_people(before - {entry.person.pk for entry in responsible if entry.person})


def _touch_people(person_ids):
    """People who no longer answer for an item lose it from their feed: nothing of the item is
    left there to carry the change time, so their own record carries it."""
    if person_ids:
        Person.objects.filter(pk__in=person_ids).update(updated_at=timezone.now())


def responsible_of(item):
    """The item's responsible as Responsible values, in order."""
    return [Responsible(person=r.person, organisation=r.organisation, text=r.text)
            for r in item.responsibles.all()]


# --- operations ------------------------------------------------------------------------------

ITEM_FIELDS = ("number", "title", "track", "period_text", "form", "audience", "audience_note")
PERIOD_FIELDS = ("period_kind", "starts_on", "ends_on", "at_time")


def _cleaned(fields):
    data = dict(fields)
    if "title" in data:
        data["title"] = clean_line(data["title"], field="title", limit=1000, required=True)
    for name, limit in (("period_text", 200), ("audience_note", 500)):
        if name in data:
            data[name] = clean_line(data[name], field=name, limit=limit)
    if "audience" in data:
        data["audience"] = list(dict.fromkeys(data["audience"] or ()))
    return data


def _prepared(program, fields, *, taken):
    """An unsaved item from the fields of create_item, checked; `taken` holds used numbers."""
    fields = dict(fields)
    responsible = list(fields.pop("responsible", ()))
    events = list(fields.pop("events", ()))
    period = {name: fields.pop(name) for name in PERIOD_FIELDS if name in fields}
    if "period_kind" not in period:
        raise Invalid(_("Укажите вид срока."), details={"field": "period_kind"})
    data = _cleaned(fields)
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise Invalid(_("Неизвестные поля: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    _check_links(program, track=data.get("track"), form=data.get("form"), events=events,
                 audience=data.get("audience"))
    _check_responsible(program, responsible)
    kind, start, end, time = normalised_period(**period)
    number = data.get("number")
    if number is not None and number in taken:
        raise Invalid(_("В плане уже есть пункт № %(number)s.") % {"number": number},
                      details={"field": "number"})
    taken.add(number)
    item = PlanItem(program=program, period_kind=kind, starts_on=start, ends_on=end,
                    at_time=time, **data)
    return item, responsible, events


def _taken_numbers(program):
    return set(PlanItem.objects.filter(program=program, number__isnull=False)
               .values_list("number", flat=True))


@transaction.atomic
def create_item(program, *, by=None, **fields):
    """Add an item to a program's plan; `responsible` is a list of Responsible, `events` of
    events of the municipality."""
    roles.ensure_can_manage(by, program.municipality)
    item, responsible, events = _prepared(program, fields, taken=_taken_numbers(program))
    item.save()
    _set_responsible(item, responsible)
    item.events.set(events)
    return item


@transaction.atomic
def create_items(program, entries, *, by=None):
    """Add many items at once (an import): the checks of create_item, written in bulk."""
    roles.ensure_can_manage(by, program.municipality)
    taken = _taken_numbers(program)
    prepared = [_prepared(program, entry, taken=taken) for entry in entries]
    items = PlanItem.objects.bulk_create([item for item, _people, _events in prepared])
    PlanResponsible.objects.bulk_create(
        _responsible_row(item, index, entry)
        for item, (_item, people, _events) in zip(items, prepared, strict=True)
        for index, entry in enumerate(people))
    links = PlanItem.events.through
    links.objects.bulk_create(links(planitem_id=item.pk, event_id=event.pk)
                              for item, (_item, _people, events) in zip(items, prepared,
                                                                         strict=True)
                              for event in events)
    return items


def _check_number(program, number, *, exclude=None):
    taken = PlanItem.objects.filter(program=program, number=number).exclude(pk=exclude)
    if number is not None and taken.exists():
        raise Invalid(_("В плане уже есть пункт № %(number)s.") % {"number": number},
                      details={"field": "number"})


@transaction.atomic
def update_item(item, *, by=None, responsible=None, events=None, **fields):
    """Change an item; the fields not given stay. Calendars see a new SEQUENCE."""
    item = PlanItem.objects.select_for_update().select_related("program__municipality").get(
        pk=item.pk)
    program = item.program
    roles.ensure_can_manage(by, program.municipality)
    period = {name: fields.pop(name) for name in PERIOD_FIELDS if name in fields}
    data = _cleaned(fields)
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise Invalid(_("Неизвестные поля: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    _check_links(program, track=data.get("track"), form=data.get("form"), events=events,
                 audience=data.get("audience"))
    old_track = item.track
    if "number" in data:
        _check_number(program, data["number"], exclude=item.pk)
    if period:
        current = {name: getattr(item, name) for name in PERIOD_FIELDS}
        kind, start, end, time = normalised_period(**{**current, **period})
        data.update(period_kind=kind, starts_on=start, ends_on=end, at_time=time)
    for name, value in data.items():
        setattr(item, name, value)
    if responsible is not None:
        _check_responsible(program, responsible)
        _set_responsible(item, responsible)
    if events is not None:
        item.events.set(events)
    if "track" in data and data["track"] != old_track:
        _touch_left(track_id=old_track and old_track.pk)
    item.sequence += 1
    item.save()
    return item


def _touch_left(*, program_id=None, track_id=None):
    """An item left a feed: its program's or track's change time moves, and with it the
    feed's Last-Modified (a feed's newest item may be the one that left)."""
    now = timezone.now()
    if program_id:
        Program.objects.filter(pk=program_id).update(updated_at=now)
    if track_id:
        Track.objects.filter(pk=track_id).update(updated_at=now)


@transaction.atomic
def delete_item(item, *, by=None):
    """Remove an item from the plan (its events stay); its evidence file goes with it."""
    roles.ensure_can_manage(by, item.program.municipality)
    evidence = item.evidence_file.name
    storage = item.evidence_file.storage
    people = set(item.responsibles.filter(person__isnull=False).values_list("person_id",
                                                                            flat=True))
    item.delete()
    _touch_people(people)
    _touch_left(program_id=item.program_id, track_id=item.track_id)
    if evidence:
        transaction.on_commit(lambda: storage.delete(evidence))


@transaction.atomic
def set_status(item, status, *, by=None, note=None, evidence_url=None, evidence_file=None):
    """Record how an item was carried out: the status, a note, a link or a file as evidence.

    A note, link or file not given stays as it was; an empty string clears it.
    """
    item = PlanItem.objects.select_for_update().select_related("program__municipality").get(
        pk=item.pk)
    roles.ensure_can_manage(by, item.program.municipality)
    if status not in PlanItem.Status.values:
        raise Invalid(_("Неизвестный статус исполнения: %(status)s.") % {"status": status},
                      details={"field": "status"})
    item.status = status
    if note is not None:
        item.status_note = clean_note(note, field="status_note")
    if evidence_url is not None:
        item.evidence_url = clean_evidence_url(evidence_url)
    old_file = None
    if evidence_file is not None:
        old_file = item.evidence_file.name or None
        if evidence_file == "":
            item.evidence_file = ""
        else:
            _store_evidence(item, evidence_file)
    item.sequence += 1
    item.save()
    if old_file and old_file != item.evidence_file.name:
        storage = item.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return item


def _store_evidence(item, upload):
    """Name the file in the row now; write its bytes once the transaction commits, so that a
    rollback (here or in any caller) leaves no file behind."""
    if not isinstance(upload, UploadedFile):
        raise Invalid(_("Файл подтверждения не передан."), details={"field": "evidence_file"})
    validate_evidence(upload)
    extension = os.path.splitext(upload.name)[1].lower()
    # The stored name is ours: a person's file name may carry anything. The random part keeps
    # two uploads of one second apart before either is written.
    field = item.evidence_file.field
    name = field.generate_filename(item, f"item-{item.pk}-{secrets.token_hex(6)}{extension}")
    upload.seek(0)
    content = upload.read()  # at most MAX_EVIDENCE_BYTES
    item.evidence_file.name = name
    transaction.on_commit(partial(_write_evidence, item.pk, name, content))


def _write_evidence(item_id, name, content):
    """After the commit: the bytes under the name the row holds; if storage fails, the row
    loses the name rather than point at nothing."""
    storage = PlanItem._meta.get_field("evidence_file").storage
    try:
        saved = storage.save(name, ContentFile(content), max_length=300)
    except Exception:
        log.exception("Evidence file %s of plan item %s was not stored", name, item_id)
        PlanItem.objects.filter(pk=item_id, evidence_file=name).update(evidence_file="")
        return
    if saved != name:
        PlanItem.objects.filter(pk=item_id, evidence_file=name).update(evidence_file=saved)
