"""Who a round is for: the people of its audience as of now, as a list of ids (a few queries)."""

from django.db.models import Q
from django.utils import timezone

from events.models import Attendance, Event, Registration
from participants.models import GroupMembership, MenteeRecord, MentoringGroup, MentorProfile, Person
from surveys.models import Round


def _took_part(in_events):
    """People with a confirmed registration or a mark of presence in the events matched."""
    registered = (Registration.objects.filter(in_events, status=Registration.Status.CONFIRMED)
                  .exclude(event__status=Event.Status.CANCELLED).values("person_id"))
    attended = Attendance.objects.filter(in_events, present=True).values("person_id")
    return Q(pk__in=registered) | Q(pk__in=attended)


def audience_filter(round, persons=()):
    """A filter on Person for the round's audience; `persons` is the hand-picked list."""
    audience = round.audience
    if audience == Round.Audience.EVENT_ATTENDEES:
        return Q(pk__in=Attendance.objects.filter(event_id=round.event_id, present=True)
                 .values("person_id"))
    if audience == Round.Audience.TRACK:
        return _took_part(Q(event__track_id=round.track_id))
    if audience == Round.Audience.PROGRAM:
        return _took_part(Q(event__program_id=round.program_id))
    if audience == Round.Audience.MENTEES:
        return Q(pk__in=MenteeRecord.objects.filter(is_active=True).values("person_id"))
    if audience == Round.Audience.MENTORS:
        return Q(pk__in=MentorProfile.objects.filter(is_active=True).values("person_id"))
    if audience == Round.Audience.MENTORING_GROUPS:
        return _group_members(round)
    return Q(pk__in=[person.pk for person in persons])


def _group_members(round):
    """Both sides of the round's pair or group, or of every group still running."""
    if round.mentoring_group_id:
        groups = MentoringGroup.objects.filter(pk=round.mentoring_group_id)
    else:
        today = timezone.localdate()
        groups = MentoringGroup.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            municipality_id=round.municipality_id)
    return (Q(pk__in=groups.values("mentor_id"))
            | Q(pk__in=GroupMembership.objects.filter(group__in=groups).values("mentee_id")))


def audience_ids(round, persons=()):
    """Ids of the round's people in its municipality; people who withdrew consent are left out."""
    people = Person.objects.filter(audience_filter(round, persons),
                                   municipality_id=round.municipality_id, is_anonymised=False)
    return list(people.order_by("pk").values_list("pk", flat=True))
