"""Admin of municipalities, schools, people and their consents; writes go through services."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import DomainError
from participants import (  # admin_import and admin_mentoring register their admins
    admin_import,  # noqa: F401
    admin_mentoring,  # noqa: F401
    services,
)
from participants.admin_scoping import (
    FoldedSearchMixin,
    MunicipalityScopedAdmin,
    ScopedChoicesMixin,
    SharedVocabularyAdmin,
)
from participants.models import (
    ApiToken,
    Consent,
    ConsentText,
    Municipality,
    Organisation,
    Person,
    Topic,
)


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    municipality_path = "pk"
    list_display = ("name", "time_zone", "department")
    search_fields = ("name",)
    fields = ("name", "time_zone", "department")

    def get_readonly_fields(self, request, obj=None):
        # A curator keeps the department's name; the municipality itself is the superuser's.
        return () if request.user.is_superuser else ("name", "time_zone")


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    list_display = ("__str__", "name", "people_count")
    ordering = ("short_name", "name")  # Meta.ordering is dropped once a count groups rows
    list_select_related = ("municipality",)
    search_fields = ("short_name", "name")
    fields = ("municipality", "name", "short_name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_total=Count("people"))

    @admin.display(description=gettext_lazy("педагогов"), ordering="people_total")
    def people_count(self, obj):
        return obj.people_total


@admin.register(Topic)
class TopicAdmin(SharedVocabularyAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class PersonForm(forms.ModelForm):
    # Any common spelling is accepted here; the service's normaliser stores +7 and ten digits.
    phone = forms.CharField(label=gettext_lazy("Телефон"), max_length=32, required=False,
                            help_text=gettext_lazy("Например, 8 (914) 123-45-67"))

    def clean_phone(self):
        try:
            return services.normalise_phone(self.cleaned_data.get("phone"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        cleaned = super().clean()
        organisation, municipality = cleaned.get("organisation"), cleaned.get("municipality")
        if organisation and municipality and organisation.municipality_id != municipality.pk:
            # The service refuses it too; said here, it lands next to the field.
            self.add_error("organisation", _("Организация относится к другому муниципалитету."))
        return cleaned


class ConsentInlineForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ("text", "source", "given_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_at"].required = False
        self.fields["given_at"].help_text = _("Пусто — сейчас.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("given_at"):
            cleaned["given_at"] = timezone.now()
        return cleaned


class ConsentInline(ScopedChoicesMixin, admin.TabularInline):
    """Consents are records: existing rows are read-only; a new row is recorded by the service."""

    model = Consent
    form = ConsentInlineForm
    fields = ("text", "source", "given_at", "recorded_by", "withdrawn_at")
    readonly_fields = ("recorded_by", "withdrawn_at")
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs):
        has_active = obj is not None and obj.consents.filter(withdrawn_at__isnull=True).exists()
        return 0 if has_active or (obj is not None and obj.is_anonymised) else 1

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("text", "recorded_by")


class YoungSpecialistFilter(admin.SimpleListFilter):
    title = gettext_lazy("молодой специалист")
    parameter_name = "young"

    def lookups(self, request, model_admin):
        return (("yes", _("да (стаж до 3 лет)")), ("no", _("нет")))

    def queryset(self, request, queryset):
        young = Person.objects.young_specialists().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=young)
        if self.value() == "no":
            return queryset.exclude(pk__in=young)
        return queryset


class RegistryFilter(admin.SimpleListFilter):
    title = gettext_lazy("реестр")
    parameter_name = "registry"

    def lookups(self, request, model_admin):
        return (("mentor", _("наставники")), ("mentee", _("наставляемые")))

    def queryset(self, request, queryset):
        if self.value() == "mentor":
            return queryset.filter(mentor_profile__isnull=False)
        if self.value() == "mentee":
            return queryset.filter(mentee_record__isnull=False)
        return queryset


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    person_path = "pk"
    form = PersonForm
    folded_search_paths = ("search_text",)
    list_display = ("full_name", "organisation", "position", "subject", "category",
                    "experience_years", "is_mentor", "has_consent", "email")
    list_select_related = ("organisation", "mentor_profile")
    list_filter = (YoungSpecialistFilter, RegistryFilter,
                   ("organisation", admin.RelatedOnlyFieldListFilter), "category",
                   "is_anonymised")
    search_fields = ("last_name", "first_name", "email")
    search_help_text = gettext_lazy("Фамилия, имя, отчество или e-mail; ё и е не различаются.")
    autocomplete_fields = ("organisation", "user")
    inlines = (ConsentInline,)
    actions = ("withdraw_consent_and_anonymise", "erase")
    fieldsets = (
        (None, {"fields": ("municipality", "organisation",
                           ("last_name", "first_name", "patronymic"))}),
        (gettext_lazy("Контакты"), {"fields": ("email", "phone")}),
        (gettext_lazy("Работа"), {"fields": ("position", "subject", "category",
                                             "experience_years")}),
        (gettext_lazy("Учётная запись и служебное"), {"fields": (
            "user", "is_anonymised", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        active = Consent.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True)
        return super().get_queryset(request).annotate(has_active_consent=Exists(active))

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return super().get_fieldsets(request, obj)
        # A new person has no history yet; only a superuser links an account.
        account = ("user",) if request.user.is_superuser else ()
        return [*self.fieldsets[:3], *([(self.fieldsets[3][0], {"fields": account})]
                                       if account else [])]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["is_anonymised", "created_at", "updated_at"]
        if not request.user.is_superuser:
            # Linking an account decides whose data it sees: only a superuser may do it.
            readonly.append("user")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "municipality" in form.base_fields:
            form.base_fields["municipality"].disabled = True  # people do not move
        return form

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if (request.GET.get("model_name"), request.GET.get("field_name")) == (
            "mentoringgroup", "mentor"
        ):  # the mentor autocomplete offers only the mentor registry
            queryset = queryset.filter(mentor_profile__is_active=True)
        return queryset, duplicates

    @admin.display(description=gettext_lazy("ФИО"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=gettext_lazy("наставник"), boolean=True)
    def is_mentor(self, obj):
        return hasattr(obj, "mentor_profile") and obj.mentor_profile.is_active

    @admin.display(description=gettext_lazy("согласие"), boolean=True)
    def has_consent(self, obj):
        return obj.has_active_consent

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in services.PERSON_FIELDS
                if field in form.cleaned_data}
        if change:
            current = Person.objects.get(pk=obj.pk)
            changed = {f: v for f, v in data.items() if f in form.changed_data}
            services.update_person(current, data=changed, by=request.user)
        else:
            self.assign_municipality(request, obj)
            created = services.create_person(obj.municipality, data=data, by=request.user)
            obj.pk = created.pk
            obj._state.adding = False
        if request.user.is_superuser and "user" in form.changed_data:
            Person.objects.filter(pk=obj.pk).update(user=form.cleaned_data["user"])
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not Consent:
            return super().save_formset(request, form, formset, change)
        formset.new_objects = [
            services.record_consent(
                form.instance, text=row.cleaned_data["text"], source=row.cleaned_data["source"],
                given_at=row.cleaned_data["given_at"], by=request.user,
            )
            for row in formset.extra_forms
            if row.has_changed() and not formset._should_delete_form(row)
        ]
        formset.changed_objects, formset.deleted_objects = [], []

    @admin.action(description=gettext_lazy("Отозвать согласие и обезличить"),
                  permissions=["change"])
    def withdraw_consent_and_anonymise(self, request, queryset):
        people = list(queryset.filter(is_anonymised=False))
        if request.POST.get("confirm") != "yes":
            context = {**self.admin_site.each_context(request), "people": people,
                       "opts": self.opts, "action": "withdraw_consent_and_anonymise",
                       "title": _("Отзыв согласия и обезличивание")}
            return TemplateResponse(
                request, "admin/participants/person/withdraw_consent_confirmation.html", context
            )
        done = [p for p in people
                if self.run_service(request, services.withdraw_consent, p, by=request.user)]
        self.message_user(
            request, _("Согласие отозвано, данные обезличены: %(count)d.") % {"count": len(done)},
            messages.SUCCESS,
        )
        return None

    def has_erase_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=gettext_lazy("Стереть (только администратор)"),
                  permissions=["erase"])
    def erase(self, request, queryset):
        people = list(queryset)
        if request.POST.get("confirm") != "yes":
            context = {**self.admin_site.each_context(request), "people": people,
                       "opts": self.opts, "action": "erase", "erase": True,
                       "title": _("Стереть данные участников")}
            return TemplateResponse(
                request, "admin/participants/person/withdraw_consent_confirmation.html", context
            )
        done = [p for p in people
                if self.run_service(request, services.erase_person, p, by=request.user)]
        self.message_user(request, _("Данные стёрты: %(count)d.") % {"count": len(done)},
                          messages.SUCCESS)
        return None


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_from", "consents_count")
    ordering = ("-effective_from",)
    search_fields = ("version", "text")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(consents_total=Count("consents"))

    def get_readonly_fields(self, request, obj=None):
        # A text people agreed to is part of their consent record: it never changes.
        if obj is not None and obj.consents.exists():
            return ("version", "text", "effective_from")
        return ()

    @admin.display(description=gettext_lazy("согласий"), ordering="consents_total")
    def consents_count(self, obj):
        return obj.consents_total


class WithdrawnFilter(admin.SimpleListFilter):
    title = gettext_lazy("состояние")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", _("действует")), ("withdrawn", _("отозвано")))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(Consent)
class ConsentAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    municipality_path = "person__municipality"
    person_path = "person"
    list_display = ("person", "text", "source", "given_at", "withdrawn_at", "recorded_by")
    list_select_related = ("person", "text", "recorded_by")
    list_filter = (WithdrawnFilter, "source", "text")
    search_fields = ("person__last_name",)
    autocomplete_fields = ("person",)
    date_hierarchy = "given_at"
    fields = ("person", "text", "source", "given_at", "recorded_by", "withdrawn_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a consent is a record; it is withdrawn from the person's page
            return self.fields
        return ("recorded_by", "withdrawn_at")

    def save_model(self, request, obj, form, change):
        if change:
            return
        consent = services.record_consent(
            obj.person, text=obj.text, source=obj.source, given_at=obj.given_at, by=request.user
        )
        obj.pk = consent.pk
        obj._state.adding = False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__username", "prefix")
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = services.issue_api_token(obj.user, name=obj.name)
        obj.pk = token.pk
        obj._state.adding = False
        self.message_user(
            request, _("Токен (показывается один раз, сохраните его): %(raw)s") % {"raw": raw},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Отозвать токены"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_api_token(token)
        self.message_user(request, _("Токены отозваны."), messages.SUCCESS)

