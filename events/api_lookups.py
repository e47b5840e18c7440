"""Lookups the events and plan APIs share: what a user may see, and ids in a body → objects.

Every lookup goes through a queryset scoped to what the user may see, so another municipality's
object is a 404 (or a 422 naming the field of a body), not a 403 that confirms it exists.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from events.errors import Forbidden, Invalid
from participants import roles


def visible(queryset, user, path="municipality"):
    """A superuser: everything; anyone else: their own municipality's (nothing without one).

    Staff and participants see the same municipality (roles.scope gives staff exactly this),
    so no roles are asked: a participant's registration costs no query of the groups.
    """
    if user.is_superuser:
        return queryset
    municipality_id = roles.municipality_id_of(user)
    if municipality_id is None:
        return queryset.none()
    return queryset.filter(**{path: municipality_id})


def visible_municipality(user):
    """The municipality `visible` leaves a user: None for a superuser (all of them); Http404
    for anyone else without one, who sees nothing."""
    if user.is_superuser:
        return None
    municipality_id = roles.municipality_id_of(user)
    if municipality_id is None:
        raise Http404
    return municipality_id


def require_staff(user):
    """Refuse anyone who is not staff (curator, mentor) of a municipality or a superuser."""
    if not roles.can_view(user):
        raise Forbidden(_("Доступно куратору и наставникам муниципалитета."))


def pick(queryset, pk, field):
    """The object a body refers to; an id the user may not use is a 422 naming the field."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Invalid(_("Не найдено: %(field)s = %(pk)s.") % {"field": field, "pk": pk},
                      details={"field": field})
    return found


def pick_all(queryset, pks, field):
    """The objects a list of ids refers to; any id out of reach is a 422 naming the field."""
    found = list(queryset.filter(pk__in=pks))
    if len(found) != len(set(pks)):
        missing = sorted(set(pks) - {obj.pk for obj in found})
        raise Invalid(_("Не найдено: %(field)s = %(pks)s.") % {"field": field, "pks": missing},
                      details={"field": field})
    return found
