"""Who may read the indicators of which municipality, and over which period.

Shared by the page and the API: the indicators are the curator's report, so a curator (or a
superuser naming a municipality) reads them; another municipality is absent (404), not forbidden.
"""

import datetime

from django.utils.translation import gettext as _

from config.errors import Forbidden, Invalid, NotFound
from indicators.builder import Period
from participants import roles
from participants.models import Municipality

# A report over more than a few school years is no longer a report of this plan.
LONGEST_PERIOD_DAYS = 5 * 366


def municipality_for(user, municipality_id=None):
    """The municipality whose indicators the user reads: their own, or one a superuser names."""
    if not roles.can_manage(user):
        raise Forbidden(_("Показатели муниципалитета доступны куратору."))
    wanted = municipality_id or roles.municipality_id_of(user)
    found = roles.scope(Municipality.objects.all(), user, "pk").filter(pk=wanted).first()
    if wanted is None or found is None:
        raise NotFound(_("Муниципалитет не найден."))
    return found


def school_year(today):
    """1 September – 31 August around `today`: the period a page opens with."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return Period(datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31))


def period_of(start, end, *, today):
    """The asked period, the school year for what is not given; refused when upside down."""
    default = school_year(today)
    period = Period(start or default.start, end or default.end)
    if period.end < period.start:
        raise Invalid(_("Начало периода позже его конца."), details={"field": "from"})
    if period.days > LONGEST_PERIOD_DAYS:
        raise Invalid(_("Период длиннее пяти лет."), details={"field": "to"})
    if period.previous().start < datetime.date(1900, 1, 1):
        raise Invalid(_("Период начинается слишком рано."), details={"field": "from"})
    return period
