"""Forgetting a person (152-FZ): their data goes from every place it lives, aggregates stay.

A person's data lives in more places than their row: the linked account and its sessions, the
admin's history of changes, raw uploaded rosters, and the other apps' rows (outbox letters and
their attachments, ...). Each app that keeps such rows registers a cleaner here from its
AppConfig.ready(), so that this app imports none of them; `forget` runs them all in one
transaction. What stays: the anonymised person row («Обезличен №N») with its registrations,
attendance and answers, which only count.
"""

import re
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Consent, ImportBatch, MenteeRecord, MentorProfile, Person

REDACTED = "[обезличено]"
_cleaners = []


@dataclass(frozen=True)
class Traces:
    """What identified the person before anonymisation: for cleaners that scrub free text."""

    person_id: int
    municipality_id: int
    user_id: int | None
    texts: tuple  # e-mail, phone, full name, surname: strings to cut out of other rows
    erase: bool = False  # erasure by a superuser: the person's own records go, not only names

    def mentions(self, value):
        folded = str(value).casefold()
        return any(text.casefold() in folded for text in self.texts)

    def redact(self, value):
        """The text with every mention of the person cut out (longest first)."""
        for text in sorted(self.texts, key=len, reverse=True):
            value = re.sub(re.escape(text), REDACTED, value, flags=re.IGNORECASE)
        return value

    def matching(self, field):
        """A filter for rows whose text `field` may mention the person (checked in Python)."""
        query = Q()
        for text in self.texts:
            query |= Q(**{f"{field}__icontains": text})
        return query


def register(cleaner):
    """Add `cleaner(traces)`; called by an app's AppConfig.ready()."""
    if cleaner not in _cleaners:
        _cleaners.append(cleaner)
    return cleaner


def scrub(value, traces):
    """A copy of a JSON-like value with every mention of the person cut out of its strings."""
    if isinstance(value, dict):
        return {key: scrub(item, traces) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, traces) for item in value]
    if isinstance(value, str) and traces.mentions(value):
        return traces.redact(value)
    return value


def _initials_forms(person):
    """«Зорькина А.В.», «Зорькина А. В.», «А.В. Зорькина»: how orders and plans name people."""
    letters = [f"{part[0]}." for part in (person.first_name, person.patronymic) if part]
    if not person.last_name or not letters:
        return set()
    tight, spaced = "".join(letters), " ".join(letters)
    return {f"{person.last_name} {tight}", f"{person.last_name} {spaced}",
            f"{tight} {person.last_name}", f"{spaced} {person.last_name}"}


def _traces(person, erase):
    texts = {person.email, person.phone, person.full_name,
             f"{person.last_name} {person.first_name}", *_initials_forms(person)}
    if len(person.last_name) >= 3:
        texts.add(person.last_name)
    # Tables typed by hand write «е» for «ё».
    texts |= {text.replace("ё", "е").replace("Ё", "Е") for text in texts if text}
    return Traces(person.pk, person.municipality_id, person.user_id,
                  tuple(sorted(text for text in texts if text and text.strip())), erase)


@transaction.atomic
def forget(person, *, erase=False):
    """Anonymise the person and remove their data everywhere; returns the anonymised row.

    `erase`: the superuser's «Стереть»; cleaners then also delete the person's own records
    that are not counts (letters).
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    traces = _traces(person, erase)
    Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now())
    person.last_name = _("Обезличен")
    person.first_name = f"№{person.pk}"
    person.patronymic = person.email = person.phone = ""
    person.position = person.subject = ""
    person.user = None
    person.is_anonymised = True
    person.awaits_consent = False
    person.save()
    MentorProfile.objects.filter(person=person).update(can_help="")
    MenteeRecord.objects.filter(person=person).update(notes="")
    _forget_account(traces)
    _forget_admin_history(traces, person)
    _forget_uploads(traces)
    for cleaner in _cleaners:
        cleaner(traces)
    return person


def _forget_account(traces):
    if traces.user_id is None:
        return
    user_id = str(traces.user_id)
    # Sessions are signed blobs: decode each live one to find this account's.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            session.delete()
    user = get_user_model().objects.filter(pk=traces.user_id).first()
    if user is not None:
        _forget_login_attempts(user.get_username())
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user), object_id=user_id,
        ).update(object_repr=_("обезличено"), change_message="")
        user.delete()  # the person row stays; the account and its API tokens go


def _forget_login_attempts(username):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=username).delete()


def _forget_admin_history(traces, person):
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk),
    ).update(object_repr=str(person), change_message="")


def _forget_uploads(traces):
    """Raw rosters keep whole rows of people: an applied one needs its raw file no more, and a
    pending one is dropped (the curator uploads it again); summaries lose every mention."""
    batches = ImportBatch.objects.filter(municipality_id=traces.municipality_id)
    batches.filter(applied_at__isnull=True).delete()
    batches.update(content=b"")
    for batch in batches.iterator():
        summary = scrub(batch.summary, traces)
        if summary != batch.summary:
            batch.summary = summary
            batch.save(update_fields=["summary"])
