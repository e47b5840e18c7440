"""Who sees, edits and reviews which practice.

The service has no school role (no deputy head or school methodist among its roles), so the
school level is decided by the municipal curator, as the municipal level is. The regional level
is above any municipality: a superuser, or a member of the group «Региональный эксперт»
(created by migration 0002), decides it for every municipality. When a school role appears,
`may_review` is the one place to hand the school level to it.
"""

from django.utils.translation import gettext as _

from config.errors import Forbidden
from participants import roles
from practices.models import Level, Practice, Review

REGIONAL_EXPERT = "Региональный эксперт"


def is_regional_expert(user):
    return user.is_authenticated and (user.is_superuser or roles.has_role(user, REGIONAL_EXPERT))


def is_curator_of(user, municipality_id):
    return (user.is_authenticated and roles.can_manage(user)
            and (user.is_superuser or roles.municipality_id_of(user) == municipality_id))


def may_review(user, practice, level):
    """May this user accept or return the practice at this level?"""
    if level == Level.REGIONAL:
        return is_regional_expert(user)
    return is_curator_of(user, practice.municipality_id)


def ensure_may_review(user, practice, level):
    if not may_review(user, practice, level):
        raise Forbidden(_("Решение на уровне «%(level)s» принимает %(who)s.") % {
            "level": Level(level).label,
            "who": _("региональный эксперт") if level == Level.REGIONAL
            else _("куратор муниципалитета")})


def is_author(user, practice):
    return user.is_authenticated and practice.author.user_id == user.pk


def may_edit(user, practice):
    """The author while the practice is a draft or returned; the curator at any time."""
    if is_curator_of(user, practice.municipality_id):
        return True
    return is_author(user, practice) and practice.status in (Practice.Status.DRAFT,
                                                             Practice.Status.RETURNED)


def ensure_may_edit(user, practice):
    if not may_edit(user, practice):
        if is_author(user, practice):
            raise Forbidden(_("Практика на рассмотрении или принята: изменить её может куратор."))
        raise Forbidden(_("Нет прав на изменение этой практики."))


def visible(queryset, user):
    """Practices the user may open outside the public bank; others look absent (404)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if roles.can_manage(user):
        return queryset.filter(municipality_id=roles.municipality_id_of(user))
    own = queryset.filter(author__user=user)
    if roles.has_role(user, REGIONAL_EXPERT):
        return queryset.filter(pk__in=own.values("pk")) | queryset.filter(
            reviews__level=Level.REGIONAL).distinct()
    return own


def review_queue(user):
    """Pending reviews this user may decide, oldest first."""
    pending = (Review.objects.pending().select_related(
        "practice", "practice__organisation", "practice__municipality")
        .order_by("submitted_at", "id"))
    if user.is_superuser:
        return pending
    if roles.can_manage(user):
        pending_local = pending.filter(level__in=[Level.SCHOOL, Level.MUNICIPAL],
                                       practice__municipality_id=roles.municipality_id_of(user))
    else:
        pending_local = pending.none()
    if roles.has_role(user, REGIONAL_EXPERT):
        return pending_local | pending.filter(level=Level.REGIONAL)
    return pending_local
