"""Operations on certificates: issue one, issue a batch by an attendance rule, revoke.

Hours are counted from the models directly: events of the activity that were not cancelled
and that the person attended (present), each worth its academic hours.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Conflict, Invalid
from events.certificates.models import Certificate
from events.certificates.names import dative
from events.formatting import date_format
from events.models import Attendance, Event, Program, Track
from notifications.services import Message, enqueue
from participants import roles
from participants.models import Municipality, Person

KIND = "certificate_issued"
DEFAULT_SHARE = Decimal("0.75")


@dataclass(frozen=True)
class Subject:
    """What a certificate is for: exactly one of an event, a track, a program."""

    event: Event | None = None
    track: Track | None = None
    program: Program | None = None

    @classmethod
    def of(cls, *, event=None, track=None, program=None):
        if sum(x is not None for x in (event, track, program)) != 1:
            raise Invalid(_("Укажите одно: мероприятие, трек или программу."),
                          details={"field": "event_id"})
        return cls(event, track, program)

    @property
    def municipality(self):
        if self.event is not None:
            return self.event.municipality
        return (self.track.program if self.track is not None else self.program).municipality

    @property
    def program_of(self):
        if self.event is not None:
            return self.event.program
        return self.track.program if self.track is not None else self.program

    def events(self):
        """The events that count: those of the activity that took place (not cancelled)."""
        queryset = Event.objects.exclude(status=Event.Status.CANCELLED)
        if self.event is not None:
            return queryset.filter(pk=self.event.pk)
        if self.track is not None:
            return queryset.filter(track=self.track)
        return queryset.filter(program=self.program)

    def activity(self):
        if self.event is not None:
            return _("мероприятии «%(title)s» (%(form)s)") % {
                "title": self.event.title, "form": self.event.form}
        if self.track is not None:
            return _("треке «%(theme)s» программы «%(program)s»") % {
                "theme": self.track.theme, "program": self.track.program}
        return _("программе «%(name)s»") % {"name": self.program}

    def fields(self):
        return {"event": self.event, "track": self.track, "program": self.program}


def _period(dates):
    first, last = min(dates), max(dates)
    if first == last:
        return date_format(first, "j E Y")
    if first.year == last.year:
        return f"{date_format(first, 'j E')} – {date_format(last, 'j E Y')}"
    return f"{date_format(first, 'j E Y')} – {date_format(last, 'j E Y')}"


def _attendance(subject, person_ids=None):
    """{person_id: (events attended, hours, [local dates])} for the activity's events."""
    rows = (Attendance.objects.filter(present=True, event__in=subject.events())
            .values_list("person_id", "event__academic_hours", "event__starts_at"))
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    zone = subject.municipality.zone
    found = defaultdict(lambda: [0, Decimal(0), []])
    for person_id, hours, starts_at in rows:
        entry = found[person_id]
        entry[0] += 1
        entry[1] += hours
        entry[2].append(timezone.localtime(starts_at, zone).date())
    return found


def _curator_name(subject, by):
    program = subject.program_of
    if program is not None and program.curator_id:
        return program.curator.full_name
    if by is not None:
        person = Person.objects.filter(user=by).first()
        return person.full_name if person else ""
    return ""


def _new_certificates(subject, people, attendance, *, by):
    """Build and save certificates for people (with attendance), numbered after the last."""
    municipality = Municipality.objects.select_for_update().get(pk=subject.municipality.pk)
    last = (Certificate.objects.filter(municipality=municipality)
            .aggregate(last=Max("number"))["last"] or 0)
    now, activity = timezone.now(), subject.activity()
    issuer = municipality.department_name  # kept on the certificate as printed
    curator = _curator_name(subject, by)
    certificates = []
    for offset, person in enumerate(people, start=1):
        count, hours, dates = attendance[person.pk]
        certificates.append(Certificate(
            municipality=municipality, person=person, **subject.fields(), number=last + offset,
            holder_name=person.full_name,
            holder_name_dative=dative(person.last_name, person.first_name, person.patronymic),
            activity=activity, period=_period(dates), hours=hours, events_attended=count,
            issuer=issuer, curator_name=curator, issued_at=now, issued_by=by,
        ))
    Certificate.objects.bulk_create(certificates)
    if certificates and certificates[0].pk is None:  # backends without RETURNING
        certificates = list(Certificate.objects.filter(
            municipality=municipality, number__gt=last).order_by("number"))
    enqueue(ready_message(c) for c in certificates)
    return certificates


def _valid(subject, person_ids):
    return {c.person_id: c for c in Certificate.objects.filter(
        revoked_at=None, person_id__in=person_ids, **subject.fields())}


def issue(person, *, event=None, track=None, program=None, by=None):
    """The person's certificate for the activity: the valid one if there is one, else a new one.

    Refused when the person attended none of the activity's events.
    """
    subject = Subject.of(event=event, track=track, program=program)
    roles.ensure_can_manage(by, subject.municipality)
    if person.municipality_id != subject.municipality.pk:
        raise Invalid(_("Участник из другого муниципалитета."), details={"field": "person_id"})
    with transaction.atomic():
        existing = _valid(subject, [person.pk])
        if existing:
            return existing[person.pk]
        attendance = _attendance(subject, [person.pk])
        if person.pk not in attendance:
            raise Invalid(_("Участник не посетил ни одного мероприятия — сертификат не выдан."),
                          code="nothing_attended", details={"field": "person_id"})
        return _new_certificates(subject, [person], attendance, by=by)[0]


def eligible(subject, *, min_share=DEFAULT_SHARE, now=None):
    """{person_id: attendance} of those who attended at least `min_share` of the activity's
    events held so far (at least one event)."""
    held = subject.events().filter(starts_at__lte=now or timezone.now()).count()
    attendance = _attendance(subject)
    if held == 0:
        return {}
    return {person_id: entry for person_id, entry in attendance.items()
            if entry[0] >= 1 and Decimal(entry[0]) / held >= min_share}


def issue_batch(*, event=None, track=None, program=None, min_share=DEFAULT_SHARE, by=None):
    """Certificates for everyone who meets the rule (new ones, and the valid ones already
    there), ordered by name."""
    subject = Subject.of(event=event, track=track, program=program)
    roles.ensure_can_manage(by, subject.municipality)
    if not Decimal(0) < Decimal(min_share) <= 1:
        raise Invalid(_("Доля посещённых мероприятий — от 0 до 1."),
                      details={"field": "min_share"})
    with transaction.atomic():
        attendance = eligible(subject, min_share=Decimal(min_share))
        existing = _valid(subject, list(attendance))
        people = list(Person.objects.filter(pk__in=[p for p in attendance if p not in existing])
                      .order_by("last_name", "first_name", "patronymic", "pk"))
        new = _new_certificates(subject, people, attendance, by=by) if people else []
    return sorted([*existing.values(), *new],
                  key=lambda c: (c.holder_name.lower(), c.number))


def revoke(certificate, *, reason="", by=None):
    """Mark a certificate revoked: its verification page says so from now on."""
    roles.ensure_can_manage(by, certificate.municipality)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise Conflict(_("Сертификат уже отозван."), code="already_revoked")
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        locked.revoked_reason = str(reason or "")[:500]
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked


def ready_message(certificate):
    """The letter «your certificate is ready», once per certificate (its dedup key).

    Links are site paths: the outbox adds the site's address when it renders the letter."""
    return Message(
        recipient_id=certificate.person_id, kind=KIND, template=KIND,
        dedup_key=f"certificate:{certificate.pk}:issued",
        subject_key=f"certificate:{certificate.pk}",
        context={"activity": certificate.activity, "hours": certificate.hours_text,
                 "number": certificate.number,
                 "cabinet_url": reverse("cabinet") + "#certificates",
                 "verify_url": certificate.verify_path},
    )
