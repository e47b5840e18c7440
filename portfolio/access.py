"""Who sees whose portfolio and visits, and who records them; shared by pages, API and admin.

A mentor's portfolio is seen by the mentor, the curator of their municipality and a superuser;
there is no deputy-head role in the service yet, so nobody else. A pair's visits are seen by both
sides of the pair and the curator. Whatever a user may not see is absent (404), not forbidden.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from config.errors import Forbidden, Invalid, NotFound
from participants import roles
from participants.models import MentoringGroup, Municipality, Person
from portfolio.points import Period


def is_curator_of(user, municipality_id):
    return user.is_authenticated and (user.is_superuser or (
        roles.can_manage(user) and roles.municipality_id_of(user) == municipality_id))


def mentor_for(user, person_id):
    """The mentor whose portfolio the user may read."""
    if not user.is_authenticated:
        raise NotFound(_("Наставник не найден."))
    people = Person.objects.filter(mentor_profile__isnull=False, is_anonymised=False)
    if not user.is_superuser:
        own = Q(user=user)
        if roles.can_manage(user):
            own |= Q(municipality_id=roles.municipality_id_of(user))
        people = people.filter(own)
    found = people.select_related("organisation", "municipality").filter(pk=person_id).first()
    if found is None:
        raise NotFound(_("Наставник не найден."))
    return found


def visible_groups(user):
    """Pairs and groups whose visits the user may see: their own sides, or the curator's all."""
    groups = MentoringGroup.objects.all()
    if not user.is_authenticated:
        return groups.none()
    if user.is_superuser:
        return groups
    own = Q(mentor__user=user) | Q(memberships__mentee__user=user)
    if roles.can_manage(user):
        own |= Q(municipality_id=roles.municipality_id_of(user))
    return groups.filter(own).distinct()


def ensure_may_record(user, group):
    """The pair's mentor, or the curator (typing in a paper map), records a visit."""
    if user is None or is_curator_of(user, group.municipality_id):
        return
    if group.mentor.user_id is None or group.mentor.user_id != user.pk:
        raise Forbidden(_("Записать посещение может наставник этой пары или куратор."))


def ensure_may_add(user, mentor):
    """The mentor themself or their curator adds a project, a contest, a talk."""
    if user is None or is_curator_of(user, mentor.municipality_id):
        return
    if mentor.user_id is None or mentor.user_id != user.pk:
        raise Forbidden(_("Добавить запись в портфолио может сам наставник или куратор."))


def municipality_for(user, municipality_id=None):
    """The municipality whose points a curator reads: their own, or one a superuser names."""
    if not roles.can_manage(user):
        raise Forbidden(_("Сводка баллов доступна куратору."))
    wanted = municipality_id or roles.municipality_id_of(user)
    found = roles.scope(Municipality.objects.all(), user, "pk").filter(pk=wanted).first()
    if wanted is None or found is None:
        raise NotFound(_("Муниципалитет не найден."))
    return found


LONGEST_PERIOD_DAYS = 5 * 366


def period_of(start, end, *, today):
    """The asked period; the school year around `today` (1 September – 31 August) by default."""
    first_year = today.year if today.month >= 9 else today.year - 1
    period = Period(start or datetime.date(first_year, 9, 1),
                    end or datetime.date(first_year + 1, 8, 31))
    if period.end < period.start:
        raise Invalid(_("Начало периода позже его конца."), details={"field": "from"})
    if (period.end - period.start).days > LONGEST_PERIOD_DAYS:
        raise Invalid(_("Период длиннее пяти лет."), details={"field": "to"})
    return period
