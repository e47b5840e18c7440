"""What the school keeps about one person: sections of labelled rows, one builder for the page,
the JSON and the PDF."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from events.certificates.models import Certificate
from events.models import Attendance, Registration
from notifications.models import Notification
from participants.models import Consent, GroupMembership, MentoringGroup
from surveys.models import Invitation


@dataclass
class Section:
    title: str
    head: list
    rows: list = field(default_factory=list)
    widths: tuple = ()  # millimetres per column in the PDF; none: even shares


def _when(value, zone):
    return timezone.localtime(value, zone).strftime("%d.%m.%Y %H:%M") if value else ""


def _day(value):
    return value.strftime("%d.%m.%Y") if value else ""


def _profile(person):
    rows = [
        (_("Фамилия"), person.last_name), (_("Имя"), person.first_name),
        (_("Отчество"), person.patronymic), (_("Муниципалитет"), person.municipality.name),
        (_("Организация"), str(person.organisation or "")), (_("E-mail"), person.email),
        (_("Телефон"), person.phone), (_("Должность"), person.position),
        (_("Предмет"), person.subject),
        (_("Квалификационная категория"), person.get_category_display() if person.category
         else ""),
        (_("Педагогический стаж, лет"), "" if person.experience_years is None
         else str(person.experience_years)),
        (_("Учётная запись"), person.user.get_username() if person.user else ""),
        (_("Внесён в базу"), _when(person.created_at, person.municipality.zone)),
    ]
    return Section(_("Личные данные"), [_("Поле"), _("Значение")], [list(r) for r in rows])


def _roles(person):
    section = Section(_("Наставничество"), [_("Роль"), _("Сведения")])
    profile = getattr(person, "mentor_profile", None)
    if profile is not None:
        topics = ", ".join(t.name for t in profile.topics.all())
        section.rows.append([_("наставник"), "; ".join(filter(None, [topics, profile.can_help]))])
    record = getattr(person, "mentee_record", None)
    if record is not None:
        topics = ", ".join(t.name for t in record.difficulty_topics.all())
        section.rows.append([_("наставляемый"), "; ".join(filter(None, [
            record.get_reason_display(), topics, record.notes]))])
    for group in MentoringGroup.objects.filter(mentor=person).prefetch_related("mentees"):
        names = ", ".join(m.full_name for m in group.mentees.all())
        section.rows.append([_("наставник пары/группы"), f"{_day(group.start_date)}: {names}"])
    for membership in GroupMembership.objects.filter(mentee=person).select_related(
            "group__mentor"):
        group = membership.group
        section.rows.append([_("наставляемый в паре/группе"),
                             f"{_day(group.start_date)}: {group.mentor.full_name}"])
    return section


def _consents(person, zone):
    section = Section(_("Согласия на обработку персональных данных"),
                      [_("Редакция"), _("Дано"), _("Источник"), _("Отозвано")])
    for consent in Consent.objects.filter(person=person).select_related("text"):
        section.rows.append([consent.text.version, _when(consent.given_at, zone),
                             consent.get_source_display(), _when(consent.withdrawn_at, zone)])
    return section


def _events(person, zone):
    section = Section(_("Мероприятия"), [_("Мероприятие"), _("Начало"), _("Запись"),
                                         _("Посещение")])
    attended = {a.event_id: a.present for a in Attendance.objects.filter(person=person)}
    seen = set()
    for registration in (Registration.objects.filter(person=person).select_related("event")
                         .order_by("event__starts_at")):
        event = registration.event
        seen.add(event.pk)
        section.rows.append([event.title, _when(event.starts_at, zone),
                             registration.get_status_display(), _presence(attended, event.pk)])
    for attendance in Attendance.objects.filter(person=person).exclude(
            event_id__in=seen).select_related("event"):
        section.rows.append([attendance.event.title, _when(attendance.event.starts_at, zone),
                             "", _presence(attended, attendance.event_id)])
    return section


def _presence(attended, event_id):
    if event_id not in attended:
        return ""
    return _("был") if attended[event_id] else _("не был")


def _certificates(person, zone):
    # The code column is wide enough for the code on one line: it is copied from here.
    section = Section(_("Сертификаты"), [_("№"), _("За участие в"), _("Сроки, часы"),
                                         _("Код проверки"), _("Выдан, состояние")],
                      widths=(8, 46, 30, 70, 26))
    for certificate in Certificate.objects.filter(person=person).order_by("issued_at", "pk"):
        state = _("действителен")
        if certificate.is_revoked:
            state = _("отозван %(when)s") % {"when": _when(certificate.revoked_at, zone)}
            if certificate.revoked_reason:
                state += f": {certificate.revoked_reason}"
        issued = _day(timezone.localtime(certificate.issued_at, zone))
        section.rows.append([str(certificate.number), certificate.activity,
                             f"{certificate.period}; {certificate.hours_text}",
                             certificate.printed_code, f"{issued}, {state}"])
    return section


def _surveys(person, zone):
    section = Section(_("Анкеты"), [_("Опрос"), _("Приглашён"), _("Ответил")])
    for invitation in Invitation.objects.filter(person=person).select_related("round"):
        # Only whether they answered: answers of anonymous rounds are not linked to anyone.
        section.rows.append([invitation.round.title, _when(invitation.created_at, zone),
                             _when(invitation.answered_at, zone)])
    return section


def _letters(person, zone):
    section = Section(_("Письма"), [_("Вид"), _("Когда"), _("Состояние")])
    for row in Notification.objects.filter(recipient=person).order_by("-scheduled_at")[:500]:
        section.rows.append([row.get_kind_display(), _when(row.sent_at or row.scheduled_at, zone),
                             row.get_status_display()])
    return section


def personal_data(person):
    """Every section of what is kept about the person, in the zone of their municipality."""
    zone = person.municipality.zone
    return [_profile(person), _roles(person), _consents(person, zone), _events(person, zone),
            _certificates(person, zone), _surveys(person, zone), _letters(person, zone)]
