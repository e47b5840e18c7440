"""What the page and the API share: the municipality of the user, the period, the round."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from config.errors import Forbidden, Invalid
from participants import roles
from participants.models import Municipality
from planning.themes.builder import theme_ranking
from surveys.models import Questionnaire, Round


def municipality_of(user, municipality_id=None):
    """The curator's or mentor's own municipality; a superuser names one (or gets the first)."""
    if not roles.can_view(user):
        raise Forbidden(_("Темы по затруднениям доступны куратору и наставникам."))
    if user.is_superuser:
        found = Municipality.objects.order_by("pk")
        return (get_object_or_404(found, pk=municipality_id) if municipality_id
                else found.first())
    own = roles.municipality_id_of(user)
    if own is None or (municipality_id and municipality_id != own):
        raise Forbidden(_("Нет доступа к данным этого муниципалитета."))
    return Municipality.objects.get(pk=own)


def parse_date(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise Invalid(_("Дата в формате ГГГГ-ММ-ДД."), details={"fields": {field: [
            _("Дата в формате ГГГГ-ММ-ДД.")]}}) from exc


def themes_for(user, *, municipality_id=None, start=None, end=None, round_id=None):
    """The themes report the user may see; a round of another municipality is a 404."""
    municipality = municipality_of(user, municipality_id)
    start, end = parse_date(start, "start"), parse_date(end, "end")
    if start and end and end < start:
        raise Invalid(_("Конец периода раньше начала."), code="period_reversed")
    round = None
    if round_id:
        round = get_object_or_404(Round.objects.filter(
            municipality=municipality, questionnaire__purpose=Questionnaire.Purpose.DIFFICULTY),
            pk=round_id)
    return theme_ranking(municipality, start=start, end=end, round=round)
