"""Admin of the mentor registry, the mentee base, pairs and groups and their programs."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from participants import services
from participants.admin_scoping import (
    FoldedSearchMixin,
    MunicipalityScopedAdmin,
    ScopedChoicesMixin,
    scope_choices,
)
from participants.models import (
    GroupMembership,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Person,
    PersonalProgram,
    PlanItem,
)


def _adopt(obj, saved):
    """Make the admin's unsaved instance stand for the object a service saved."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()


class PersonEntryAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    person_path = "person"
    """An entry that belongs to one person (registry, base): the person's columns, fixed person."""

    municipality_path = "person__municipality"
    list_select_related = ("person__organisation",)

    def get_readonly_fields(self, request, obj=None):
        return ("person",) if obj is not None else ()

    @admin.display(description=_("организация"), ordering="person__organisation__short_name")
    def organisation(self, obj):
        return obj.person.organisation

    @admin.display(description=_("стаж"), ordering="person__experience_years")
    def experience(self, obj):
        return obj.person.experience_years


@admin.register(MentorProfile)
class MentorProfileAdmin(PersonEntryAdmin):
    municipality_path = "person__municipality"
    list_display = ("person", "organisation", "experience", "category", "can_help",
                    "topic_names", "since", "is_active")
    list_select_related = ("person__organisation",)
    list_filter = ("is_active", ("person__organisation", admin.RelatedOnlyFieldListFilter),
                   "person__category", "topics")
    search_fields = ("person__last_name",)
    autocomplete_fields = ("person", "topics")
    fields = ("person", "can_help", "topics", "capacity", "since", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description=_("категория"))
    def category(self, obj):
        return obj.person.get_category_display()

    @admin.display(description=_("темы"))
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        profile = services.set_mentor_profile(
            obj.person, topics=data["topics"], can_help=data["can_help"], since=data["since"],
            is_active=data["is_active"], capacity=data["capacity"], by=request.user,
        )
        _adopt(obj, profile)


@admin.register(MenteeRecord)
class MenteeRecordAdmin(PersonEntryAdmin):
    municipality_path = "person__municipality"
    list_display = ("person", "organisation", "reason", "experience", "topic_names", "since",
                    "is_active")
    list_select_related = ("person__organisation",)
    list_filter = ("reason", "is_active",
                   ("person__organisation", admin.RelatedOnlyFieldListFilter),
                   "difficulty_topics")
    search_fields = ("person__last_name",)
    autocomplete_fields = ("person", "difficulty_topics")
    fields = ("person", "reason", "difficulty_topics", "notes", "since", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("difficulty_topics")

    @admin.display(description=_("затруднения"))
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.difficulty_topics.all())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        record = services.set_mentee_record(
            obj.person, reason=data["reason"], topics=data["difficulty_topics"],
            notes=data["notes"], since=data["since"], is_active=data["is_active"], by=request.user,
        )
        _adopt(obj, record)


GROUP_FIELDS = ("form", "role_model", "format", "end_date", "goal", "order_reference")


class GroupMembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = GroupMembership
    fields = ("mentee", "consent_at")
    autocomplete_fields = ("mentee",)
    extra = 0


class MentoringGroupAddForm(forms.ModelForm):
    """Forming a pair or group: its members and their consent come with it, as in the order."""

    new_mentees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), label=_("Наставляемые"),
    )
    consent_at = forms.SplitDateTimeField(
        label=_("Согласие участников получено"), required=False, widget=AdminSplitDateTime,
        help_text=_("Дата и время письменного согласия наставника и наставляемых."),
    )

    class Meta:
        model = MentoringGroup
        fields = ("municipality", "mentor", *GROUP_FIELDS[:3], "start_date", *GROUP_FIELDS[3:])


@admin.register(MentoringGroup)
class MentoringGroupAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    person_path = "mentor"
    list_display = ("mentor", "mentee_names", "form", "role_model", "format", "start_date",
                    "end_date", "has_program")
    list_select_related = ("mentor", "program")
    list_filter = ("form", "role_model", "format", "start_date")
    search_fields = ("mentor__last_name",)
    folded_search_paths = ("mentor__search_text", "memberships__mentee__search_text")
    folded_search_may_repeat = True
    autocomplete_fields = ("mentor",)
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        memberships = GroupMembership.objects.select_related("mentee").order_by("mentee__last_name")
        return super().get_queryset(request).prefetch_related(
            Prefetch("memberships", queryset=memberships)
        )

    def get_fieldsets(self, request, obj=None):
        people = ("municipality", "mentor", "new_mentees", "consent_at") if obj is None else (
            "municipality", "mentor", "mentor_consent_at")
        return (
            (None, {"fields": people}),
            (_("Форма и сроки"), {"fields": ("form", "role_model", "format",
                                              ("start_date", "end_date"))}),
            (_("Цель и приказ"), {"fields": ("goal", "order_reference")}),
        )

    def get_inlines(self, request, obj):
        return (GroupMembershipInline,) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MentoringGroupAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            field = form.base_fields["new_mentees"]
            field.queryset = scope_choices(Person.objects.all(), request.user)
            field.widget = AutocompleteSelectMultiple(
                MentoringGroup._meta.get_field("mentees"), self.admin_site
            )
        elif "municipality" in form.base_fields:
            form.base_fields["municipality"].disabled = True  # members stay in their municipality
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentor":
            kwargs["queryset"] = Person.objects.filter(mentor_profile__is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("наставляемые"))
    def mentee_names(self, obj):
        return ", ".join(str(membership.mentee) for membership in obj.memberships.all())

    @admin.display(description=_("программа"), boolean=True)
    def has_program(self, obj):
        return hasattr(obj, "program")

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data
                       if name in services.GROUP_FIELDS}
            _adopt(obj, services.update_group(obj, by=request.user, **changed))
            return
        self.assign_municipality(request, obj)
        group = services.create_group(
            obj.municipality, mentor=obj.mentor, mentees=list(form.cleaned_data["new_mentees"]),
            start_date=obj.start_date, consent_at=form.cleaned_data["consent_at"],
            by=request.user, **{name: form.cleaned_data[name] for name in GROUP_FIELDS},
        )
        _adopt(obj, group)


@admin.register(GroupMembership)
class GroupMembershipAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    municipality_path = "group__municipality"
    person_path = "mentee"
    list_display = ("mentee", "group", "consent_at")
    ordering = ("-group__start_date", "group", "mentee__last_name")
    list_select_related = ("mentee", "group__mentor")
    search_fields = ("mentee__last_name",)
    folded_search_paths = ("mentee__search_text", "group__mentor__search_text")
    autocomplete_fields = ("group", "mentee")


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    fields = ("position", "title", "due_date", "is_done")
    extra = 1


@admin.register(PersonalProgram)
class PersonalProgramAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    municipality_path = "group__municipality"
    list_display = ("__str__", "start_date", "end_date", "progress")
    ordering = ("-start_date", "id")
    list_select_related = ("group__mentor",)
    search_fields = ("group__mentor__last_name",)
    folded_search_paths = ("group__mentor__search_text",)
    autocomplete_fields = ("group",)
    inlines = (PlanItemInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            items_total=Count("items"), items_done=Count("items", filter=Q(items__is_done=True))
        )

    @admin.display(description=_("выполнено пунктов плана"))
    def progress(self, obj):
        return f"{obj.items_done} / {obj.items_total}"


@admin.register(PlanItem)
class PlanItemAdmin(MunicipalityScopedAdmin):
    municipality_path = "program__group__municipality"
    list_display = ("title", "program", "due_date", "is_done")
    list_editable = ("is_done",)
    list_select_related = ("program__group__mentor",)
    list_filter = ("is_done", "due_date")
    search_fields = ("title",)
    autocomplete_fields = ("program",)
