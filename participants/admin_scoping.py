"""Admin building blocks that keep a curator inside their own municipality.

Every app's admin reuses these: a curator sees, chooses and creates only objects of the
municipality of the person linked to their account; a superuser sees everything. Objects of
another municipality are absent (the admin answers "not found"), never forbidden.
"""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils import timezone

from config.errors import DomainError
from participants import roles
from participants.models import Municipality, fold

# How to reach the municipality from a model offered as a choice in a form. Other apps extend
# it in their admins: ``scope_paths = {**MunicipalityScopedAdmin.scope_paths, "events.Event": …}``.
SCOPE_PATHS = {
    "participants.Municipality": "pk",
    "participants.Organisation": "municipality",
    "participants.Person": "municipality",
    "participants.MentoringGroup": "municipality",
    "participants.PersonalProgram": "group__municipality",
    "participants.ImportBatch": "municipality",
}


def scope_choices(queryset, user, scope_paths=None):
    """Limit the choices of a related field to the user's municipality when the model has one."""
    path = (scope_paths or SCOPE_PATHS).get(queryset.model._meta.label)
    if path is None:
        return queryset
    return roles.scope(queryset, user, path)


def in_user_zone(request, view, *args):
    """Run and render a view in the time zone of the user's municipality.

    A curator in Vladivostok reads and types times in Vladivostok time, whatever the server's
    default zone; rendering happens inside too, since a TemplateResponse renders late.
    """
    municipality_id = roles.municipality_id_of(request.user)
    zone = (Municipality.objects.filter(pk=municipality_id).values_list("time_zone", flat=True)
            .first() if municipality_id else None)
    if zone is None:
        return view(*args)
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        response = view(*args)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    return response


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the user's municipality (admins, inlines)."""

    scope_paths = SCOPE_PATHS

    def _scoped_field_kwargs(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        kwargs["queryset"] = scope_choices(queryset, request.user, self.scope_paths)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_field_kwargs(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_field_kwargs(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation that offers only the user's municipality's objects.

    Django's own lists every row of the related model: a curator would read another
    municipality's program names in the sidebar.
    """

    def field_choices(self, field, request, model_admin):
        queryset = scope_choices(field.related_model._default_manager.all(), request.user,
                                 model_admin.scope_paths)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def scoped_list_filter(model, item):
    """A list_filter entry with plain relation filters made ScopedRelatedFilter."""
    path, filter_class = item if isinstance(item, tuple) else (item, None)
    if not isinstance(path, str) or filter_class not in (None, admin.RelatedFieldListFilter):
        return item  # a SimpleListFilter, RelatedOnlyFieldListFilter and the like stay
    try:
        field = get_fields_from_path(model, path)[-1]
    except FieldDoesNotExist:
        return item
    return (path, ScopedRelatedFilter) if field.is_relation else item


class MunicipalityScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices and new objects belong to the user's municipality.

    ``municipality_path`` is the lookup from the model to its municipality ("municipality",
    "person__municipality", "group__municipality", …). When it is a direct field, curators never
    choose it: the form carries it hidden and fixed, and saving sets it again.
    """

    municipality_path = "municipality"
    # The lookup to the person whose details a row shows (a mentor sees only their mentees'),
    # or None when rows are not about one person.
    person_path = None

    @property
    def municipality_field(self):
        """The model's own municipality foreign key, or None when it is reached through others."""
        path = self.municipality_path
        return None if "__" in path or path == "pk" else path

    def get_queryset(self, request):
        queryset = roles.scope(super().get_queryset(request), request.user,
                               self.municipality_path)
        if self.person_path is not None:
            queryset = roles.limit_to_own_people(queryset, request.user, self.person_path)
        return queryset

    def has_add_permission(self, request):
        if not request.user.is_superuser and roles.municipality_id_of(request.user) is None:
            return False
        return super().has_add_permission(request)

    def get_list_filter(self, request):
        filters = [scoped_list_filter(self.model, item)
                   for item in super().get_list_filter(request)]
        if request.user.is_superuser and self.municipality_path != "pk":
            filters.insert(0, self.municipality_path)
        return filters

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.municipality_field and not request.user.is_superuser:
            # Kept in the form (hidden, fixed) so that per-municipality constraints are validated.
            kwargs.update(widget=forms.HiddenInput, disabled=True,
                          initial=roles.municipality_id_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.assign_municipality(request, obj)
        super().save_model(request, obj, form, change)

    def assign_municipality(self, request, obj):
        """A curator's object always lands in the curator's municipality."""
        if self.municipality_field and not request.user.is_superuser:
            setattr(obj, f"{self.municipality_field}_id", roles.municipality_id_of(request.user))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return in_user_zone(request, super().changeform_view, request, object_id, form_url,
                                extra_context)
        except DomainError as exc:
            # A rule the form could not check (the service refused): nothing was saved.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        return in_user_zone(request, super().changelist_view, request, extra_context)

    def run_service(self, request, service, *args, **kwargs):
        """Call a service from an admin action; report a refusal as a message, not a 500."""
        try:
            return service(*args, **kwargs)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return None



class SharedVocabularyAdmin(admin.ModelAdmin):
    """A lookup table every municipality shares (event forms, topics): curators see and choose
    its entries (with the view permission), only a superuser adds, renames or deletes them.
    Checked here, not only in the groups' permissions, so a grant by mistake cannot undo it."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class FoldedSearchMixin:
    """Search people by name or e-mail in any case, with ё as е (SQLite folds only ASCII).

    ``folded_search_paths`` lead to a person's ``search_text`` ("search_text" on Person,
    "person__search_text" on models that point at a person); each word must occur in one of
    them. Autocomplete uses it too.
    """

    folded_search_paths = ("person__search_text",)
    # True when a path goes through a to-many relation: the changelist then de-duplicates rows.
    folded_search_may_repeat = False

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            match = Q()
            for path in self.folded_search_paths:
                match |= Q(**{f"{path}__contains": word})
            queryset = queryset.filter(match)
        return queryset, self.folded_search_may_repeat and bool(search_term.strip())
