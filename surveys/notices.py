"""What the surveys side tells people: the invitation to a round and the reminder before it closes.

Each message carries a snapshot of the round (times in its municipality's zone, named) and the
person's own link. Dedup keys follow the notifications contract: one invitation per person and
round for ever; one reminder per person, round and local day, so that a curator may remind again
on another day but a double click sends nothing twice.
"""

from django.urls import reverse
from django.utils import timezone

from events.formatting import format_when
from notifications.services import Message, cancel_pending

INVITATION = "survey_invitation"
REMINDER = "survey_reminder"


def subject_key(round):
    return f"round:{round.pk}"


def survey_url(token):
    """The personal link; the token is the only key to the answer, so it is never logged."""
    # A path: the letter's rendering adds the site address, the same as its footer's.
    return reverse("survey", kwargs={"token": token})


def round_context(round):
    """The snapshot of a round a message shows (times in its municipality's zone)."""
    zone = round.municipality.zone
    return {
        "round_id": round.pk,
        "title": round.title,
        "questionnaire": round.questionnaire.title,
        "description": round.questionnaire.description,
        "is_anonymous": round.questionnaire.is_anonymous,
        "event": round.event.title if round.event_id else "",
        "program": round.program.name if round.program_id else "",
        "opens": format_when(round.opens_at, zone),
        "closes": format_when(round.closes_at, zone),
    }


def _message(round, invitation, *, kind, key, context, at):
    return Message(recipient_id=invitation.person_id, kind=kind, template=kind, dedup_key=key,
                   subject_key=subject_key(round), scheduled_at=at,
                   context={**context, "survey_url": survey_url(invitation.token)})


def invitation_messages(round, invitations):
    """One invitation per invitee, sent when the round opens (at once if it is open already)."""
    context = round_context(round)
    return [
        _message(round, invitation, kind=INVITATION, context=context, at=round.opens_at,
                 key=f"round:{round.pk}:invite:person:{invitation.person_id}")
        for invitation in invitations
    ]


def reminder_messages(round, invitations, *, at):
    """A reminder per invitee at `at`; the caller passes only those who have not answered."""
    context = round_context(round)
    day = timezone.localtime(at, round.municipality.zone).date().isoformat()
    return [
        _message(round, invitation, kind=REMINDER, context=context, at=at,
                 key=f"round:{round.pk}:remind:{day}:person:{invitation.person_id}")
        for invitation in invitations
    ]


def cancel_reminders(round, *, person_ids):
    """Someone answered: their reminders not sent yet are dropped."""
    return cancel_pending(subject_key(round), kinds=[REMINDER], recipient_ids=person_ids)
