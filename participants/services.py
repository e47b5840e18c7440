"""Operations on people, mentors, mentees and pairs; every entry point writes through these."""

import datetime
import hashlib
import secrets
import threading

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import Coalescer
from participants import erasure, roles, token_sql
from participants.errors import DuplicateEmail, Forbidden, Invalid, NotFound
from participants.models import (
    ApiToken,
    Consent,
    GroupMembership,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Person,
)
from participants.roles import ensure_can_manage

PERSON_FIELDS = (
    "organisation", "last_name", "first_name", "patronymic", "email", "phone",
    "position", "subject", "category", "experience_years",
)


def normalise_phone(raw):
    """A Russian phone in any common spelling as +7XXXXXXXXXX; '' for empty."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 7 or not phonenumbers.is_possible_number(number):
        raise Invalid(
            _("Телефон «%(phone)s» не похож на российский номер.") % {"phone": raw},
            details={"field": "phone"},
        )
    national = str(number.national_number)
    if len(national) != 10:
        raise Invalid(
            _("Телефон «%(phone)s» должен содержать 10 цифр после +7.") % {"phone": raw},
            details={"field": "phone"},
        )
    return "+7" + national


def normalise_email(raw):
    return (raw or "").strip().lower()


def _clean_text(value):
    return " ".join(str(value or "").split())


def _normalised(data):
    clean = {}
    for field, value in data.items():
        if field not in PERSON_FIELDS:
            raise Invalid(_("Неизвестное поле: %(field)s") % {"field": field})
        if field == "email":
            value = normalise_email(value)
        elif field == "phone":
            value = normalise_phone(value)
        elif field in {"organisation", "experience_years"}:
            pass
        else:
            value = _clean_text(value)
        clean[field] = value
    return clean


def _validate(person):
    try:
        person.full_clean(validate_constraints=False)
    except ValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0]
        raise Invalid(first, details={"fields": exc.message_dict}) from exc
    if person.organisation_id and person.organisation.municipality_id != person.municipality_id:
        raise Invalid(_("Организация относится к другому муниципалитету."),
                      details={"field": "organisation"})
    if person.email:
        clash = Person.objects.filter(
            municipality_id=person.municipality_id, email__iexact=person.email
        ).exclude(pk=person.pk)
        if clash.exists():
            message = _("Участник с e-mail %(email)s уже есть в муниципалитете.")
            raise DuplicateEmail(message % {"email": person.email}, details={"field": "email"})


@transaction.atomic
def create_person(municipality, *, data, by=None, awaits_consent=False):
    """Create a person in a municipality from a dict of PERSON_FIELDS.

    `awaits_consent`: no consent was collected with the data (API, import); the person is asked
    at first sign-in.
    """
    ensure_can_manage(by, municipality)
    person = Person(municipality=municipality, awaits_consent=awaits_consent,
                    **_normalised(data))
    _validate(person)
    try:
        person.save()
    except IntegrityError as exc:  # a concurrent insert of the same e-mail
        raise DuplicateEmail(_("Участник с таким e-mail уже есть в муниципалитете.")) from exc
    return person


@transaction.atomic
def update_person(person, *, data, by=None):
    """Change the given fields of a person; returns the names of fields that changed."""
    ensure_can_manage(by, person.municipality)
    changed = []
    for field, value in _normalised(data).items():
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if changed:
        _validate(person)
        person.save()
    return changed


@transaction.atomic
def set_department(municipality, *, department, by=None):
    """Name the municipality's education department, as reports and certificates print it."""
    ensure_can_manage(by, municipality)
    municipality.department = " ".join(str(department or "").split())
    municipality.full_clean(validate_unique=False)
    municipality.save(update_fields=["department", "updated_at"])
    return municipality


@transaction.atomic
def record_consent(person, *, text, source, given_at=None, by=None):
    """Record consent to personal-data processing; an earlier active consent is superseded."""
    if person.is_anonymised:
        raise Invalid(_("Данные участника обезличены; согласие не может быть внесено."))
    now = timezone.now()
    Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    if person.awaits_consent:
        person.awaits_consent = False
        person.save(update_fields=["awaits_consent"])
    return Consent.objects.create(
        person=person, text=text, source=source, given_at=given_at or now,
        recorded_by=by if by and by.is_authenticated else None,
    )


@transaction.atomic
def withdraw_consent(person, *, by=None):
    """Withdraw a person's consent and remove what identifies them everywhere; aggregates stay."""
    ensure_can_manage(by, person.municipality)
    return erasure.forget(person)


@transaction.atomic
def erase_person(person, *, by):
    """Erase a person (superuser only): as a withdrawal, and their letters go as well."""
    if by is None or not by.is_superuser:
        raise Forbidden(_("Стереть участника может только администратор."))
    return erasure.forget(person, erase=True)


# "Leave as it is", for arguments where None is a value (a date cleared by the curator).
KEEP = object()


@transaction.atomic
def set_mentor_profile(person, *, topics=None, can_help=None, since=KEEP, is_active=True,
                       capacity=None, by=None):
    """Put a person into the mentor registry or update their entry."""
    ensure_can_manage(by, person.municipality)
    profile, _created = MentorProfile.objects.get_or_create(person=person)
    if can_help is not None:
        profile.can_help = can_help.strip()
    if capacity is not None:
        profile.capacity = capacity
    if since is not KEEP:
        profile.since = since
    profile.is_active = is_active
    profile.save()
    if topics is not None:
        profile.topics.set(topics)
    return profile


@transaction.atomic
def set_mentee_record(person, *, reason, topics=None, notes=None, since=KEEP, is_active=True,
                      by=None):
    """Put a person into the mentee base or update their entry."""
    ensure_can_manage(by, person.municipality)
    if reason not in MenteeRecord.Reason.values:
        raise Invalid(_("Неизвестное основание: %(reason)s") % {"reason": reason})
    record, _created = MenteeRecord.objects.update_or_create(
        person=person, defaults={"reason": reason, "is_active": is_active},
    )
    if notes is not None:
        record.notes = notes.strip()
    if since is not KEEP:
        record.since = since
    record.save()
    if topics is not None:
        record.difficulty_topics.set(topics)
    return record


def _check_group_members(municipality, mentor, mentees):
    if not mentees:
        raise Invalid(_("В паре или группе должен быть хотя бы один наставляемый."))
    people = [mentor, *mentees]
    if any(p.municipality_id != municipality.pk for p in people):
        raise Invalid(_("Все участники пары или группы должны быть из одного муниципалитета."))
    if mentor in mentees:
        raise Invalid(_("Наставник не может быть своим наставляемым."))
    if not MentorProfile.objects.filter(person=mentor, is_active=True).exists():
        raise Invalid(
            _("%(person)s нет в реестре наставников.") % {"person": mentor},
            details={"field": "mentor"},
        )


@transaction.atomic
def create_group(municipality, *, mentor, mentees, start_date, by=None, consent_at=None,
                 **fields):
    """Form a mentoring pair or group; consent_at records every member's consent at once."""
    ensure_can_manage(by, municipality)
    _check_group_members(municipality, mentor, mentees)
    group = MentoringGroup(municipality=municipality, mentor=mentor, start_date=start_date,
                           mentor_consent_at=consent_at, **fields)
    try:
        group.full_clean()
    except ValidationError as exc:
        raise Invalid(next(iter(exc.message_dict.values()))[0],
                      details={"fields": exc.message_dict}) from exc
    group.save()
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, mentee=mentee, consent_at=consent_at) for mentee in mentees
    )
    return group


GROUP_FIELDS = ("form", "role_model", "format", "start_date", "end_date", "goal",
                "order_reference", "mentor_consent_at")


@transaction.atomic
def update_group(group, *, by=None, mentees=None, consent_at=None, **fields):
    """Change a pair or group; new mentees get `consent_at`, removed ones leave it."""
    ensure_can_manage(by, group.municipality)
    group = MentoringGroup.objects.select_for_update().get(pk=group.pk)
    for name, value in fields.items():
        if name not in GROUP_FIELDS:
            raise Invalid(_("Поле «%(field)s» нельзя изменить так.") % {"field": name})
        setattr(group, name, value)
    try:
        group.full_clean()
    except ValidationError as exc:
        raise Invalid(next(iter(exc.message_dict.values()))[0],
                      details={"fields": exc.message_dict}) from exc
    if mentees is not None:
        _check_group_members(group.municipality, group.mentor, mentees)
        group.memberships.exclude(mentee__in=mentees).delete()
        present = set(group.memberships.values_list("mentee_id", flat=True))
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, mentee=mentee, consent_at=consent_at)
            for mentee in mentees if mentee.pk not in present
        )
    group.save()
    return group


TOKEN_TOUCH_EVERY = datetime.timedelta(minutes=1)


def _token_digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user, *, name):
    """Create a personal API token; the raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=_token_digest(raw))
    return token, raw


def user_for_token(raw):
    """The active user owning a raw API token, or None."""
    if not raw:
        return None
    # The digest is looked up by equality; comparing digests, not secrets, leaks nothing in timing.
    # The linked person comes in the same query: nearly every API call needs it (what the user
    # may see is their municipality's), and it would otherwise be a query of its own.
    token = token_sql.active_token(_token_digest(raw))
    if token is None:
        return None
    roles.remember_person(token.user, token.person)
    now = timezone.now()
    # A write on every request would cost each API call a turn at the database write lock;
    # to the minute is as precise as "last used" needs to be.
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_EVERY:
        _note_use(token.pk, now)
    return token.user


# Token uses noted by requests and written by a thread of the process (config.background), one
# UPDATE for all the tokens of a moment: a surge of first uses (200 teachers registering) costs
# no request a write transaction of its own (on PostgreSQL a commit, on SQLite a turn at the
# write lock). API_TOKEN_USE_WRITE_SECONDS = 0 writes in the request (the test suite).
_uses = {}
_uses_guard = threading.Lock()
_writer = None


def _note_use(token_id, moment):
    global _writer
    pause = float(getattr(settings, "API_TOKEN_USE_WRITE_SECONDS", 1.0))
    if pause <= 0:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=moment)
        return
    with _uses_guard:
        _uses[token_id] = moment
        if _writer is None:
            _writer = Coalescer(_write_uses, pause, name="api-token-uses")
    _writer.request()


def _write_uses():
    with _uses_guard:
        uses = dict(_uses)
        _uses.clear()
    if not uses:
        return
    try:
        close_old_connections()  # a connection the database dropped (a restart) is not reused
        # The moment of the last use for all of them: within a second of each one's own.
        ApiToken.objects.filter(pk__in=list(uses)).update(last_used_at=max(uses.values()))
    except DatabaseError:
        # Kept for the next run (a locked table, a database restarting): a token used once is
        # not touched again for a minute, so a dropped use could stay unwritten.
        with _uses_guard:
            for token_id, moment in uses.items():
                _uses[token_id] = max(moment, _uses.get(token_id, moment))
        _writer.request()
        raise


def revoke_api_token(token):
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def get_visible(queryset, pk):
    """One object from an already scoped queryset, or NotFound."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj
