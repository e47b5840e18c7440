"""The curator accepts a suggested theme: a draft track on the topic, led by the proposed mentor."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from config.errors import Invalid
from events import services as events
from participants.models import MentorProfile


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
