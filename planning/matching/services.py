"""Operations of matching: confirm a suggested pair, open and record flash-mentoring choices.

Pairs are always formed by participants.services.create_group, with its rules (one
municipality, a mentor from the registry, consent recorded with the pair).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config import brakes
from config.errors import Conflict, Invalid, NotFound
from events.formatting import format_when
from notifications.models import Kind
from notifications.services import Message, enqueue
from participants import services as participants
from participants.models import MentoringGroup, MentorProfile
from participants.roles import ensure_can_manage
from planning.matching.suggestions import active_memberships, mentor_loads
from planning.models import FlashChoice, FlashPair, FlashParticipant

FLASH_FORM = "флеш-наставничество"


def _free_places(mentor, today):
    profile = (MentorProfile.objects.select_for_update()
               .filter(person=mentor, is_active=True).first())
    if profile is None:
        raise Invalid(_("%(person)s нет в реестре наставников.") % {"person": mentor},
                      details={"field": "mentor"})
    load = mentor_loads(mentor.municipality_id, today).get(mentor.pk, 0)
    return profile.capacity - load


def _form_pair(mentor, mentee, *, by, start_date, consent_at, event=None, **fields):
    """Check the mentor's places and the mentee's freedom, create the pair, tell both."""
    ensure_can_manage(by, mentee.municipality)
    today = timezone.localdate()
    if mentor.is_anonymised or mentee.is_anonymised:
        raise Invalid(_("Данные участника обезличены; пару сформировать нельзя."))
    if _free_places(mentor, today) <= 0:
        raise Conflict(_("У наставника %(person)s нет свободных мест.") % {"person": mentor},
                       code="mentor_full")
    if active_memberships(today).filter(mentee=mentee).exists():
        raise Conflict(_("У %(person)s уже есть наставник.") % {"person": mentee},
                       code="mentee_has_mentor")
    group = participants.create_group(mentee.municipality, mentor=mentor, mentees=[mentee],
                                      start_date=start_date or today, consent_at=consent_at,
                                      by=by, **fields)
    context = {"mentor": mentor.full_name, "mentee": mentee.full_name,
               "event": event.title if event else "",
               "start": group.start_date.strftime("%d.%m.%Y")}
    enqueue(Message(recipient_id=person.pk, kind=Kind.MENTORING_PAIR,
                    template=Kind.MENTORING_PAIR, context=context,
                    dedup_key=f"group:{group.pk}:formed:person:{person.pk}",
                    subject_key=f"group:{group.pk}") for person in (mentor, mentee))
    return group


@transaction.atomic
def confirm_suggestion(mentee, mentor, *, by, start_date=None, consent_at=None):
    """The curator accepts a suggested mentor: a pair is formed (consent as in the order)."""
    return _form_pair(mentor, mentee, by=by, start_date=start_date, consent_at=consent_at)


# --- flash-mentoring ----------------------------------------------------------------------------


def choice_url(token):
    return settings.SITE_URL + reverse("flash_choice", kwargs={"token": token})


@transaction.atomic
def open_flash_choices(event, *, by):
    """Give everyone present at a flash-mentoring meeting a personal link to choose; twice is once.

    Mentors (active in the registry) choose mentees and bring their free places; everyone else
    present chooses mentors.
    """
    ensure_can_manage(by, event.municipality)
    if event.form.name != FLASH_FORM:
        raise Invalid(_("Выбор открывается только после встречи флеш-наставничества."))
    if event.ends_at > timezone.now():
        raise Invalid(_("Встреча ещё не закончилась."))
    present = list(event.attendances.filter(present=True, person__is_anonymised=False)
                   .select_related("person"))
    profiles = dict(MentorProfile.objects.filter(
        is_active=True, person__in=[a.person_id for a in present]
    ).values_list("person_id", "capacity"))
    loads = mentor_loads(event.municipality_id)
    zone = event.municipality.zone
    messages = []
    for attendance in present:
        person = attendance.person
        is_mentor = person.pk in profiles
        participant, _created = FlashParticipant.objects.get_or_create(
            event=event, person=person, defaults={
                "side": FlashParticipant.Side.MENTOR if is_mentor else FlashParticipant.Side.MENTEE,
                "capacity": max(profiles.get(person.pk, 0) - loads.get(person.pk, 0), 0),
            })
        messages.append(Message(
            recipient_id=person.pk, kind=Kind.FLASH_CHOICE, template=Kind.FLASH_CHOICE,
            dedup_key=f"flash:{event.pk}:choose:person:{person.pk}",
            subject_key=f"flash:{event.pk}",
            context={"event": event.title, "when": format_when(event.starts_at, zone),
                     "is_mentor": is_mentor, "choice_url": choice_url(participant.token)}))
    enqueue(messages)
    return len(messages)


FLASH_POSTS_PER_CLIENT = "60/10m"
FLASH_POSTS_PER_LINK = "20/10m"


def may_save_choices(request, token):
    """The brakes on saving choices by a personal link (page and API share them)."""
    return (brakes.take(request, "flash-post-client", brakes.client_key(request),
                        FLASH_POSTS_PER_CLIENT)
            and brakes.take(request, "flash-post-link", token, FLASH_POSTS_PER_LINK))


def participant_for(token):
    """The flash participant of a personal link, or None; the token is looked up by equality."""
    if not token or len(token) > 64:
        return None
    return (FlashParticipant.objects.select_related("event__municipality", "person")
            .filter(token=token).first())


def candidates_of(participant):
    """The people of the other side at the same meeting, by name."""
    other = (FlashParticipant.Side.MENTEE if participant.side == FlashParticipant.Side.MENTOR
             else FlashParticipant.Side.MENTOR)
    return list(FlashParticipant.objects.filter(event_id=participant.event_id, side=other)
                .select_related("person__organisation")
                .order_by("person__last_name", "person__first_name"))


@transaction.atomic
def record_flash_choices(participant, chosen_ids, *, consent):
    """Replace a participant's choices with `chosen_ids` (participant ids, best first)."""
    participant = FlashParticipant.objects.select_for_update().get(pk=participant.pk)
    allowed = {c.pk for c in candidates_of(participant)}
    ordered = list(dict.fromkeys(chosen_ids))
    if any(pk not in allowed for pk in ordered):
        raise Invalid(_("Выбрать можно только участников этой встречи с другой стороны."))
    if ordered and not consent:
        raise Invalid(_("Подтвердите согласие войти в наставническую пару."),
                      details={"field": "consent"})
    participant.choices.all().delete()
    FlashChoice.objects.bulk_create(FlashChoice(chooser=participant, chosen_id=pk, rank=rank)
                                    for rank, pk in enumerate(ordered, start=1))
    now = timezone.now()
    participant.chosen_at = now
    participant.consent_at = now if ordered else None
    participant.save(update_fields=["chosen_at", "consent_at"])
    return ordered


@transaction.atomic
def confirm_flash_pair(event, mentor_participant, mentee_participant, *, by, start_date=None):
    """The curator confirms a proposed pair: it must be a mutual choice; consent comes with it."""
    people = FlashParticipant.objects.select_related("person")
    mentor_participant = people.get(pk=mentor_participant.pk)  # consent as stored now
    mentee_participant = people.get(pk=mentee_participant.pk)
    if (mentor_participant.event_id != event.pk or mentee_participant.event_id != event.pk
            or mentor_participant.side != FlashParticipant.Side.MENTOR
            or mentee_participant.side != FlashParticipant.Side.MENTEE):
        raise NotFound(_("Таких участников встречи нет."))
    mutual = (FlashChoice.objects.filter(chooser=mentor_participant,
                                         chosen=mentee_participant).exists()
              and FlashChoice.objects.filter(chooser=mentee_participant,
                                             chosen=mentor_participant).exists())
    if not mutual:
        raise Invalid(_("Пару можно подтвердить только при взаимном выборе."))
    consents = (mentor_participant.consent_at, mentee_participant.consent_at)
    # Consent of the pair is complete when the second of them agreed on their link.
    consent_at = max(consents) if all(consents) else None
    group = _form_pair(mentor_participant.person, mentee_participant.person, by=by,
                       start_date=start_date, consent_at=consent_at, event=event,
                       format=MentoringGroup.Format.TRADITIONAL)
    FlashPair.objects.create(event=event, mentor=mentor_participant.person,
                             mentee=mentee_participant.person, group=group)
    return group
