"""Admin for programs, tracks and events; every write goes through events.services."""

import zoneinfo

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import services
from events.certificates.admin import issue_for_events, issue_for_tracks
from events.formatting import format_when
from events.models import (
    Attendance,
    CalendarFeed,
    Event,
    EventChange,
    EventForm,
    Program,
    Registration,
    Track,
)
from participants import roles
from participants.admin_scoping import SCOPE_PATHS, MunicipalityScopedAdmin
from participants.models import Municipality

EVENT_SCOPE_PATHS = {
    **SCOPE_PATHS,
    "events.Program": "municipality",
    "events.Track": "program__municipality",
    "events.Event": "municipality",
}


def usable_forms(user):
    """The event forms a user may choose: the shared ones and their municipality's own."""
    forms = EventForm.objects.all()
    return forms if user.is_superuser else forms.usable_in(roles.municipality_id_of(user))


class EventFormListFilter(admin.RelatedFieldListFilter):
    """The sidebar's forms: the shared ones and the user's municipality's, no one else's."""

    def field_choices(self, field, request, model_admin):
        return [(form.pk, str(form)) for form in usable_forms(request.user).order_by("name")]


class ScopedAdmin(MunicipalityScopedAdmin):
    scope_paths = EVENT_SCOPE_PATHS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is EventForm:
            kwargs["queryset"] = usable_forms(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(EventForm)
class EventFormAdmin(ScopedAdmin):
    """Shared forms (no municipality) are seen by every curator and changed by a superuser only;
    a municipality's own forms («мониторинг», «форум») are its curator's to add and rename, and
    absent for everyone else. Writes go through events.services."""

    list_display = ["name", "owner"]
    search_fields = ["name"]
    fields = ["name", "municipality"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        municipality_id = roles.municipality_id_of(request.user) if roles.can_view(
            request.user) else None
        return queryset.usable_in(municipality_id)

    @admin.display(description=_("чья"), ordering="municipality__name")
    def owner(self, form):
        return form.municipality or _("общая")

    def _own(self, request, obj):
        return (roles.can_manage(request.user) and obj.municipality_id is not None
                and obj.municipality_id == roles.municipality_id_of(request.user))

    def has_add_permission(self, request):
        return request.user.is_superuser or (roles.can_manage(request.user)
                                             and super().has_add_permission(request))

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().has_change_permission(request, obj)
        return self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        self.assign_municipality(request, obj)
        if change:
            saved = services.rename_event_form(obj, name=obj.name, by=request.user)
        elif obj.municipality_id is None:  # a shared form: the superuser's
            obj.save()
            saved = obj
        else:
            saved = services.create_event_form(obj.municipality, name=obj.name, by=request.user)
        obj.pk = saved.pk


@admin.register(Program)
class ProgramAdmin(ScopedAdmin):
    list_display = ["name", "municipality", "start_date", "end_date", "curator"]
    search_fields = ["name"]
    autocomplete_fields = ["curator"]


@admin.register(Track)
class TrackAdmin(ScopedAdmin):
    municipality_path = "program__municipality"
    list_display = ["number", "theme", "program", "start_date", "end_date", "is_draft"]
    list_display_links = ["number", "theme"]
    list_filter = ["program", "is_draft"]
    list_select_related = ["program"]
    search_fields = ["theme"]
    autocomplete_fields = ["responsible", "topics"]
    actions = [issue_for_tracks]


class AudienceFilter(admin.SimpleListFilter):
    """Events one of whose audiences is the chosen one (an event may have several)."""

    title = _("для кого")
    parameter_name = "audience"

    def lookups(self, request, model_admin):
        return Event.Audience.choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.for_audience(value) if value in Event.Audience.values else queryset


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["person", "status", "queued_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["status", "queued_at"]

    def has_add_permission(self, request, obj=None):
        return False


class EventChangeInline(admin.TabularInline):
    model = EventChange
    fields = ["changed_at", "kind", "changes", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["title", "local_start", "form", "track", "audience_display", "capacity",
                    "status"]
    list_filter = ["status", ("form", EventFormListFilter), "track__program", AudienceFilter]
    list_select_related = ["form", "track", "municipality"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["program", "track", "venue", "responsible", "topics", "form"]
    readonly_fields = ["sequence", "series_id", "checkin_code"]
    inlines = [RegistrationInline, EventChangeInline]
    actions = ["cancel_events", issue_for_events]

    @admin.display(description=_("для кого"))
    def audience_display(self, event):
        return event.audience_display

    @admin.display(description=_("начало"), ordering="starts_at")
    def local_start(self, event):
        """In the event's own zone, named: a superuser's list spans municipalities."""
        return format_when(event.starts_at, event.municipality.zone)

    def _event_zone(self, request, object_id):
        """The zone of the event shown (or of the municipality chosen in the posted form)."""
        posted = request.POST.get("municipality", "")
        municipality_id = int(posted) if posted.isdigit() else None
        if object_id and str(object_id).isdigit() and not municipality_id:
            municipality_id = (self.get_queryset(request).filter(pk=object_id)
                               .values_list("municipality_id", flat=True).first())
        zone = (Municipality.objects.filter(pk=municipality_id)
                .values_list("time_zone", flat=True).first() if municipality_id else None)
        return zoneinfo.ZoneInfo(zone) if zone else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A superuser, who has no municipality, reads and types times in the event's zone."""
        zone = self._event_zone(request, object_id) if request.user.is_superuser else None
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def save_model(self, request, obj, form, change):
        """Create or update through the service, so history and SEQUENCE stay right."""
        self.assign_municipality(request, obj)
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS
                if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in data.items() if name in form.changed_data}
            event = services.update_event(obj, by=request.user, **changed)
        else:
            event = services.create_event(obj.municipality, by=request.user, **data)
        obj.pk = event.pk
        obj.refresh_from_db()

    @admin.action(description=_("Отменить выбранные мероприятия"))
    def cancel_events(self, request, queryset):
        for event in queryset:
            self.run_service(request, services.cancel_event, event, by=request.user)


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    municipality_path = "event__municipality"
    list_display = ["person", "event", "status", "queued_at"]
    list_filter = ["status"]
    list_select_related = ["person", "event"]
    search_fields = ["person__search_text", "event__title"]
    readonly_fields = ["event", "person", "status", "queued_at", "created_by"]
    actions = ["cancel", "to_waitlist", "confirm"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Kept for the record, cancelled instead: a registration's pending letters and
        # reminders are only ever superseded by its own later changes (events.notices).
        return False

    @admin.action(description=_("Отменить запись"))
    def cancel(self, request, queryset):
        for registration in queryset:
            self.run_service(request, services.cancel_registration, registration, by=request.user)

    @admin.action(description=_("Перевести в лист ожидания"))
    def to_waitlist(self, request, queryset):
        for registration in queryset:
            self.run_service(request, services.move_to_waitlist, registration, by=request.user)

    @admin.action(description=_("Записать из листа ожидания"))
    def confirm(self, request, queryset):
        for registration in queryset:
            self.run_service(request, services.confirm_from_waitlist, registration,
                             by=request.user)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    municipality_path = "event__municipality"
    list_display = ["person", "event", "present", "is_walk_in", "self_checked_in", "marked_at"]
    list_filter = ["present", "is_walk_in"]
    list_select_related = ["person", "event"]
    search_fields = ["person__search_text", "event__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ScopedAdmin):
    municipality_path = "person__municipality"
    list_display = ["person", "created_at"]
    list_select_related = ["person"]
    search_fields = ["person__search_text"]

    def has_add_permission(self, request):
        return False


# The plan's admin registers its models too.
from events.plan import admin as plan_admin  # noqa: E402,F401
