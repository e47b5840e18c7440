"""Who may read which attendance report; shared by the pages and the API.

Lookups are scoped first, so an object of another municipality is a 404, not a 403 that
confirms it exists. Program and track reports list every participant: curators only. An event
report is for the staff who keep its sheet; a person's report for the person, the curators of
their municipality and a mentor of theirs.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from events.errors import Forbidden, Invalid
from events.models import Event, Program, Track
from events.reports.frame import Period
from participants import roles
from participants.models import Person


def _require_curator(user):
    if not roles.can_manage(user):
        raise Forbidden(_("Отчёты о посещаемости программ и треков доступны куратору."))


def _require_staff(user):
    if not roles.can_view(user):
        raise Forbidden(_("Отчёт о посещаемости мероприятия доступен куратору и наставникам."))


def program_or_404(user, pk):
    _require_curator(user)
    programs = Program.objects.select_related("municipality", "curator")
    return get_object_or_404(roles.scope(programs, user), pk=pk)


def track_or_404(user, pk):
    _require_curator(user)
    tracks = Track.objects.select_related("program__municipality", "program__curator")
    return get_object_or_404(roles.scope(tracks, user, "program__municipality"), pk=pk)


def event_or_404(user, pk):
    _require_staff(user)
    return get_object_or_404(roles.scope(Event.objects.select_related("municipality"), user),
                             pk=pk)


def visible_people(user):
    """Oneself; for staff, their municipality (a mentor: their own mentees)."""
    people = Person.objects.select_related("municipality", "organisation")
    own = people.filter(user=user) if user.is_authenticated else people.none()
    if not roles.can_view(user):
        return own
    return roles.limit_to_own_people(roles.scope(people, user), user) | own


def person_or_404(user, pk):
    return get_object_or_404(visible_people(user), pk=pk)


def period(date_from, date_to):
    if date_from and date_to and date_from > date_to:
        raise Invalid(_("Начало периода позже его конца."), details={"field": "from"})
    return Period(date_from, date_to)
