"""django-q2 entry points of the surveys app: thin, take ids, safe to run twice (dedup keys)."""

from django.utils import timezone

from surveys import services
from surveys.models import Round


def open_round(round_id):
    """Send a round's invitations (and plan its reminder) now that it is asked for."""
    round = Round.objects.filter(pk=round_id).first()
    return services.open_round(round) if round else 0


def remind_non_responders(round_id):
    """Remind those who have not answered; nothing for a round gone or closed meanwhile."""
    round = Round.objects.filter(pk=round_id).first()
    if round is None or not round.closes_at > timezone.now():
        return 0
    return services.remind_non_responders(round)


def open_due_rounds():
    """The sweep (every 15 minutes): rounds whose time has come invite their audience."""
    return services.open_due_rounds()
