"""Operations on practices: create (from a personal program or from scratch), edit the card,
attach materials, record the author's consent to show contacts, submit, accept, return."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Conflict, Forbidden, Invalid
from config.text_input import clean_line, clean_text
from notifications.models import Kind
from notifications.services import Message, enqueue
from participants.models import MentoringGroup, Organisation, Person, Topic
from participants.services import normalise_phone
from practices import access, materials
from practices.models import Level, Material, Practice, Review

# The wording the author agrees to; kept on the practice with the date (the consent record).
CONTACTS_CONSENT_TEXT = _(
    "Я согласен(на), чтобы мои e-mail и телефон были опубликованы в открытом банке "
    "наставнических практик вместе с этой практикой. Согласие можно отозвать в любой момент.")

LINE_FIELDS = {"title": 500, "author_name": 500, "position": 255}
TEXT_FIELDS = ("goal", "plan", "result", "note", "content")
CHOICE_FIELDS = {"form": MentoringGroup.Form, "role_model": MentoringGroup.RoleModel}
CARD_FIELDS = (*LINE_FIELDS, *TEXT_FIELDS, *CHOICE_FIELDS, "author_email", "author_phone",
               "years_in_position", "organisation", "topic")
# What a practice must say before it goes to review (the information card of seed 001).
REQUIRED_TO_SUBMIT = ("title", "author_name", "note", "content")
MAX_TEXT = 20_000


# --- the card ----------------------------------------------------------------------------------

def _clean_card(practice, data):
    """Clean and check the given card fields onto the practice; raise Invalid on the first bad."""
    for name, value in data.items():
        if name not in CARD_FIELDS:
            raise Invalid(_("Неизвестное поле: %(name)s.") % {"name": name},
                          details={"field": name})
        if name in LINE_FIELDS:
            value = clean_line(value or "")
            if len(value) > LINE_FIELDS[name]:
                raise Invalid(_("Не длиннее %(n)s символов.") % {"n": LINE_FIELDS[name]},
                              details={"field": name})
        elif name in TEXT_FIELDS:
            value = clean_text(value or "").strip()
            if len(value) > MAX_TEXT:
                raise Invalid(_("Не длиннее %(n)s символов.") % {"n": MAX_TEXT},
                              details={"field": name})
        elif name in CHOICE_FIELDS:
            value = value or ""
            if value and value not in CHOICE_FIELDS[name].values:
                raise Invalid(_("Нет такого значения: %(value)s.") % {"value": value},
                              details={"field": name})
        elif name == "author_email":
            value = clean_line(value or "").lower()
            if value:
                try:
                    validate_email(value)
                except ValidationError as exc:
                    raise Invalid(_("E-mail записан с ошибкой."),
                                  details={"field": name}) from exc
        elif name == "author_phone":
            try:
                value = normalise_phone(clean_line(value or ""))
            except Invalid as exc:
                raise Invalid(exc.message, details={"field": name}) from exc
        elif name == "years_in_position":
            if value is not None and (not isinstance(value, int) or not 0 <= value <= 80):
                raise Invalid(_("Стаж в должности — число лет от 0 до 80."),
                              details={"field": name})
        elif name == "organisation":
            value = _organisation(practice, value)
        elif name == "topic":
            value = _topic(value)
        setattr(practice, name, value)
    if not practice.title:
        raise Invalid(_("Укажите тему практики."), details={"field": "title"})
    if not practice.author_name:
        raise Invalid(_("Укажите Ф. И. О. автора."), details={"field": "author_name"})


def _organisation(practice, value):
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Organisation) else value
    found = Organisation.objects.filter(pk=pk, municipality_id=practice.municipality_id).first()
    if found is None:
        raise Invalid(_("Школа не найдена в муниципалитете."), details={"field": "organisation"})
    return found


def _topic(value):
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Topic) else value
    found = Topic.objects.filter(pk=pk).first()
    if found is None:
        raise Invalid(_("Тема не найдена."), details={"field": "topic"})
    return found


def _card_of(person):
    return {"author_name": person.full_name, "author_email": person.email,
            "author_phone": person.phone, "organisation": person.organisation_id,
            "position": person.position}


def create_practice(author, *, by, data=None):
    """A practice from scratch: the author's card from their person record, then `data`."""
    if not (access.is_curator_of(by, author.municipality_id) or author.user_id == by.pk):
        raise Forbidden(_("Практику создаёт её автор или куратор."))
    with transaction.atomic():
        practice = Practice(municipality_id=author.municipality_id, author=author, created_by=by)
        _clean_card(practice, {**_card_of(author), **(data or {})})
        practice.save()
    return practice


def _plan_text(program):
    lines = []
    for number, item in enumerate(program.items.all(), start=1):
        due = f" — {item.due_date:%d.%m.%Y}" if item.due_date else ""
        done = _(" (выполнено)") if item.is_done else ""
        lines.append(f"{number}. {item.title}{due}{done}")
    return "\n".join(lines)


def program_is_finished(program, *, today=None):
    """Finished: its end date has passed, or every item of its plan is done."""
    today = today or timezone.localdate()
    items = list(program.items.all())
    return program.end_date <= today or (bool(items) and all(i.is_done for i in items))


def create_from_program(program, *, by):
    """Package a finished personal program into a practice (seed 001: «упаковка»), prefilled."""
    group = program.group
    mentor = group.mentor
    if not (access.is_curator_of(by, group.municipality_id) or mentor.user_id == by.pk):
        raise Forbidden(_("Упаковать программу в практику может её наставник или куратор."))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=mentor.pk).first()
        if Practice.objects.filter(program=program).exists():
            raise Conflict(_("Из этой программы уже подготовлена практика."),
                           details={"field": "program"})
        if not program_is_finished(program):
            raise Invalid(_("Программа ещё не завершена: упаковать в практику можно завершённую "
                            "программу (срок окончания прошёл или выполнен весь план)."),
                          details={"field": "program"})
        practice = Practice(municipality_id=group.municipality_id, author=mentor,
                            program=program, created_by=by)
        goal = clean_line(program.goal)
        _clean_card(practice, {
            **_card_of(mentor), "title": goal[:500], "goal": program.goal,
            "plan": _plan_text(program), "result": program.expected_result,
            "form": group.form, "role_model": group.role_model,
            "note": _("Цель: %(goal)s\nРолевая модель: %(model)s\nРезультат: %(result)s") % {
                "goal": program.goal, "model": group.get_role_model_display(),
                "result": program.expected_result or "—"},
        })
        practice.save()
        practice.mentees.set(group.mentees.all())
    return practice


def _locked(practice):
    return Practice.objects.select_for_update().select_related("author").get(pk=practice.pk)


def update_card(practice, *, by, data):
    """Change fields of the information card."""
    with transaction.atomic():
        practice = _locked(practice)
        access.ensure_may_edit(by, practice)
        _clean_card(practice, data)
        practice.save()
    return practice


def set_contacts_consent(practice, *, by, agreed):
    """The author agrees to show (or withdraws) their e-mail and phone in the public bank."""
    with transaction.atomic():
        practice = _locked(practice)
        if agreed:
            if not access.is_author(by, practice):
                raise Forbidden(_("Согласие на публикацию контактов даёт только сам автор."))
            if practice.contacts_consent_at is None:
                practice.contacts_consent_at = timezone.now()
                practice.contacts_consent_text = str(CONTACTS_CONSENT_TEXT)
        else:
            if not (access.is_author(by, practice)
                    or access.is_curator_of(by, practice.municipality_id)):
                raise Forbidden(_("Нет прав на изменение этой практики."))
            practice.contacts_consent_at = None
            practice.contacts_consent_text = ""
        practice.save(update_fields=["contacts_consent_at", "contacts_consent_text",
                                     "updated_at"])
    return practice


# --- materials ---------------------------------------------------------------------------------

def _material_fields(kind, title, default_title):
    if kind not in Material.Kind.values:
        raise Invalid(_("Нет такого вида материала: %(kind)s.") % {"kind": kind},
                      details={"field": "kind"})
    title = clean_line(title or "") or clean_line(default_title)[:255]
    if not title:
        raise Invalid(_("Укажите название материала."), details={"field": "title"})
    if len(title) > 255:
        raise Invalid(_("Название не длиннее 255 символов."), details={"field": "title"})
    return kind, title


def add_material(practice, *, by, kind, title="", upload=None, url=""):
    """Attach a file (checked before it is stored) or a link to the mentor's case."""
    if (upload is None) == (not url):
        raise Invalid(_("Приложите файл или укажите ссылку (что-то одно)."),
                      details={"field": "file"})
    with transaction.atomic():
        practice = _locked(practice)
        access.ensure_may_edit(by, practice)
        if practice.materials.count() >= materials.MAX_MATERIALS:
            raise Invalid(_("У практики не больше %(n)s материалов.")
                          % {"n": materials.MAX_MATERIALS}, details={"field": "file"})
        if upload is None:
            link = materials.check_link(url)
            kind, title = _material_fields(kind, title, link)
            return Material.objects.create(practice=practice, kind=kind, title=title, url=link,
                                           position=practice.materials.count())
        extension = materials.check_upload(upload)
        kind, title = _material_fields(kind, title, upload.name)
        material = Material(practice=practice, kind=kind, title=title, file_size=upload.size,
                            position=practice.materials.count())
        material.file.save(materials.stored_name(practice, extension), upload, save=False)
        name, storage = material.file.name, material.file.storage
        try:
            material.save()
        except Exception:
            # Storage is outside the transaction: a row that fails takes its file with it.
            storage.delete(name)
            raise
    return material


def remove_material(material, *, by):
    with transaction.atomic():
        practice = _locked(material.practice)
        access.ensure_may_edit(by, practice)
        name, storage = material.file.name, material.file.storage
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


# --- the review workflow -----------------------------------------------------------------------

def next_level(practice):
    """The level the practice goes to next, or None once accepted at the highest."""
    rank = Level.rank(practice.accepted_level)
    values = list(Level.values)
    return values[rank + 1] if rank + 1 < len(values) else None


def submit(practice, *, by):
    """Send the practice to the next level's review: by its author, or by a curator recommending
    it further (seed 001: «рекомендуются к распространению на муниципальном и региональном
    уровнях»)."""
    with transaction.atomic():
        practice = _locked(practice)
        if not (access.is_author(by, practice)
                or access.is_curator_of(by, practice.municipality_id)):
            raise Forbidden(_("Подать практику на рассмотрение может её автор или куратор."))
        return _open_review(practice, by=by)


def _open_review(practice, *, by):
    if practice.status == Practice.Status.SUBMITTED:
        raise Conflict(_("Практика уже на рассмотрении."), details={"field": "status"})
    level = next_level(practice)
    if level is None:
        raise Conflict(_("Практика уже принята на региональном уровне."),
                       details={"field": "status"})
    missing = [name for name in REQUIRED_TO_SUBMIT if not getattr(practice, name)]
    if missing:
        raise Invalid(_("Заполните информационную карту: %(fields)s.") % {"fields": ", ".join(
            str(Practice._meta.get_field(name).verbose_name) for name in missing)},
            details={"field": missing[0]})
    review = Review.objects.create(practice=practice, level=level, submitted_at=timezone.now(),
                                   submitted_by=by)
    practice.status = Practice.Status.SUBMITTED
    practice.save(update_fields=["status", "updated_at"])
    return review


def _pending_review(practice):
    review = practice.reviews.pending().first()
    if review is None:
        raise Conflict(_("Практика не на рассмотрении."), details={"field": "status"})
    return review


def accept(practice, *, by, comment="", forward=False):
    """Accept the practice at the level it was submitted to; `forward` sends it on to the next."""
    with transaction.atomic():
        practice = _locked(practice)
        review = _pending_review(practice)
        access.ensure_may_review(by, practice, review.level)
        now = timezone.now()
        review.outcome, review.decided_at, review.reviewer = Review.Outcome.ACCEPTED, now, by
        review.comment = clean_text(comment or "").strip()[:MAX_TEXT]
        review.save()
        practice.accepted_level = review.level
        practice.published_at = practice.published_at or now
        practice.status = Practice.Status.ACCEPTED
        practice.save(update_fields=["accepted_level", "published_at", "status", "updated_at"])
        _tell_author(practice, review, Kind.PRACTICE_ACCEPTED)
        if forward and next_level(practice) is not None:
            _open_review(practice, by=by)
    return review


def return_practice(practice, *, by, comment):
    """Return the practice to its author with the reviewer's comment (mailed to the author)."""
    comment = clean_text(comment or "").strip()
    if not comment:
        raise Invalid(_("Напишите автору, что доработать."), details={"field": "comment"})
    with transaction.atomic():
        practice = _locked(practice)
        review = _pending_review(practice)
        access.ensure_may_review(by, practice, review.level)
        review.outcome, review.decided_at, review.reviewer = (
            Review.Outcome.RETURNED, timezone.now(), by)
        review.comment = comment[:MAX_TEXT]
        review.save()
        practice.status = Practice.Status.RETURNED
        practice.save(update_fields=["status", "updated_at"])
        _tell_author(practice, review, Kind.PRACTICE_RETURNED)
    return review


def _tell_author(practice, review, kind):
    enqueue([Message(
        recipient_id=practice.author_id, kind=kind, template=kind,
        dedup_key=f"practice-review:{review.pk}:{kind}",
        subject_key=f"practice:{practice.pk}",
        context={"title": practice.title, "level": str(Level(review.level).label),
                 "comment": review.comment,
                 "practice_url": reverse("practice_edit", args=[practice.pk]),
                 "public_url": reverse("bank_practice", args=[practice.pk])
                 if kind == Kind.PRACTICE_ACCEPTED else ""},
    )])
