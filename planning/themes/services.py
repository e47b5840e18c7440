"""Operations of themes: the curator accepts a suggested theme (a draft track on the topic, led
by the proposed mentor); the difficulty sums of closed rounds are stored for the themes page."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Invalid
from events import services as events
from participants.models import MentorProfile
from planning.models import DifficultySum, DifficultySummary
from planning.themes import sums
from surveys.models import Questionnaire, Round


def _mentor_for(topic, mentor, municipality):
    """The proposed mentor must be an active mentor of the municipality who can help with it."""
    if mentor is None:
        return []
    can_lead = MentorProfile.objects.filter(
        person=mentor, is_active=True, topics=topic, person__municipality=municipality,
        person__is_anonymised=False).exists()
    if not can_lead:
        raise Invalid(_("Этот наставник не указан в реестре как способный помочь по теме "
                        "«%(topic)s».") % {"topic": topic.name}, code="mentor_not_for_topic")
    return [mentor]


@transaction.atomic
def accept_theme(program, topic, *, start_date, end_date, mentor=None, by=None):
    """Create the next draft track of the program on the topic (through the events service)."""
    responsible = _mentor_for(topic, mentor, program.municipality)
    # Lock the program so that two curators accepting at once do not take the same number.
    type(program).objects.select_for_update().filter(pk=program.pk).first()
    number = (program.tracks.aggregate(n=Max("number"))["n"] or 0) + 1
    return events.create_track(program, by=by, topics=[topic], responsible=responsible,
                               number=number, theme=topic.name, start_date=start_date,
                               end_date=end_date, is_draft=True,
                               description=_("Предложен по результатам опросов о трудностях."))


@transaction.atomic
def summarise_round(round):
    """Store the difficulty sums of a closed round (again, when responses came since)."""
    # The lock serialises with paper entry (surveys.paper locks the round to add a response).
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.closes_at > timezone.now():
        raise Invalid(_("Итоги подсчитываются после закрытия опроса."), code="round_open")
    n, last = sums.fingerprint(round.pk)
    question_ids, _topics = sums.matrix_questions([round.pk])
    DifficultySummary.objects.filter(round=round).delete()
    summary = DifficultySummary.objects.create(round=round, responses=n, last_response_id=last)
    DifficultySum.objects.bulk_create(
        [DifficultySum(summary=summary, topic_id=row["topic_id"], organisation_id=row["school"],
                       is_young_specialist=row["young"], n=row["n"], total=row["total"],
                       hard=row["hard"]) for row in sums.live_sums([round.pk], question_ids)]
        + [DifficultySum(summary=summary, organisation_id=row["organisation_id"],
                         is_young_specialist=row["is_young_specialist"], n=row["n"])
           for row in sums.live_sizes([round.pk], question_ids)])
    return summary


def summarise_closed_rounds(*, now=None):
    """Summarise every closed difficulty round whose stored sums are missing or stale."""
    now = now or timezone.now()
    closed = list(Round.objects.filter(
        questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY, closes_at__lte=now)
        .values_list("pk", flat=True))
    fresh = sums.fresh_summaries(closed)
    stale = [pk for pk in closed if pk not in fresh]
    for round in Round.objects.filter(pk__in=stale):
        summarise_round(round)
    return len(stale)
