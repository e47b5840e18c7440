"""Roles (Django groups) and the municipality a user may see and change."""

from django.utils.translation import gettext as _

from participants.errors import Forbidden

CURATOR = "Куратор"
MENTOR = "Наставник"
PARTICIPANT = "Участник"
ROLES = (CURATOR, MENTOR, PARTICIPANT)


def has_role(user, role):
    if not user.is_authenticated:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names


def municipality_id_of(user):
    """The municipality a staff user works in: that of the person linked to the account."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_municipality_id", False)
    if cached is not False:
        return cached
    from participants.models import Person

    value = Person.objects.filter(user=user).values_list("municipality_id", flat=True).first()
    user._municipality_id = value
    return value


def linked_person(user):
    """The participant linked to the account (with its municipality), or None.

    Fetched once per request; it also settles municipality_id_of, which then asks nothing.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_linked_person"):
        from participants.models import Person

        remember_person(user, Person.objects.filter(user=user).select_related("municipality")
                        .first())
    return user._linked_person


def remember_person(user, person):
    """Settle linked_person (and municipality_id_of) for a user whose person came with it."""
    user._linked_person = person
    user._municipality_id = person.municipality_id if person else None


def can_view(user):
    return user.is_authenticated and (
        user.is_superuser or has_role(user, CURATOR) or has_role(user, MENTOR)
    )


def can_manage(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, CURATOR))


def scope(queryset, user, path="municipality"):
    """Limit a queryset to what the user may see: one municipality, or all for a superuser.

    Objects of another municipality then look absent (404), not forbidden.
    """
    if user.is_superuser:
        return queryset
    municipality_id = municipality_id_of(user)
    if municipality_id is None or not can_view(user):
        return queryset.none()
    return queryset.filter(**{path: municipality_id})


def ensure_can_manage(user, municipality):
    """Refuse unless the user may change data of this municipality."""
    if user is None or user.is_superuser:
        return
    if not can_manage(user) or municipality_id_of(user) != municipality.pk:
        raise Forbidden(_("Нет прав на изменение данных этого муниципалитета."))


def sees_only_own_people(user):
    """A mentor (without a curator's role) sees people's details only for their own mentees."""
    return (user.is_authenticated and not user.is_superuser and not can_manage(user)
            and has_role(user, MENTOR))


def limit_to_own_people(queryset, user, path="pk"):
    """For a mentor: only rows of themselves and of the mentees of their own pairs and groups.

    `path` leads from the queryset's model to the person. Everyone else is left as scoped.
    """
    if not sees_only_own_people(user):
        return queryset
    from django.db.models import Q

    from participants.models import Person

    own = Person.objects.filter(Q(user=user) | Q(memberships__group__mentor__user=user))
    return queryset.filter(**{f"{path}__in": own.values("pk")})
