"""The bank of practices in the admin: the curator's overview inside their municipality.

The card is edited through the same service as the pages (practices.services.update_card);
the workflow (submit, accept, return), consent and materials stay on the practice's page,
where the rules and the upload checks live, so the admin shows them read-only.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from config.text_input import CleanTextMixin
from participants.admin_scoping import SCOPE_PATHS, MunicipalityScopedAdmin
from participants.services import normalise_phone
from practices import services
from practices.models import Material, Practice, Review

CARD_FIELDS = ("title", "author_name", "author_email", "author_phone", "organisation",
               "position", "years_in_position", "topic", "form", "role_model", "goal", "plan",
               "result", "note", "content")


class PracticeForm(CleanTextMixin, forms.ModelForm):
    author_phone = forms.CharField(label=_("телефон автора"), max_length=40, required=False)

    class Meta:
        model = Practice
        fields = CARD_FIELDS

    def clean_author_phone(self):
        try:
            return normalise_phone(self.cleaned_data["author_phone"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ("kind", "title", "url", "file_size", "created_at")
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("level", "submitted_at", "submitted_by", "outcome", "decided_at", "reviewer",
              "comment")
    readonly_fields = fields


@admin.register(Practice)
class PracticeAdmin(MunicipalityScopedAdmin):
    form = PracticeForm
    scope_paths = {**SCOPE_PATHS}
    list_display = ("title", "author_name", "organisation", "status", "accepted_level",
                    "published_at")
    list_select_related = ("organisation",)
    list_filter = ("status", "accepted_level", "form", "role_model")
    search_fields = ("title", "author_name", "organisation__name", "organisation__short_name")
    date_hierarchy = "published_at"
    readonly_fields = ("page_link", "author", "program", "status", "accepted_level",
                       "published_at", "contacts_consent_at", "contacts_consent_text")
    fieldsets = (
        (None, {"fields": ("page_link", "author", "program", "status", "accepted_level",
                           "published_at")}),
        (_("Информационная карта"), {"fields": CARD_FIELDS}),
        (_("Контакты в открытом банке"), {"fields": ("contacts_consent_at",
                                                     "contacts_consent_text")}),
    )
    inlines = (MaterialInline, ReviewInline)

    def has_add_permission(self, request):
        # A practice is made from a program or by its author on the practices pages.
        return False

    @admin.display(description=_("страница практики"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("practice_edit", args=[obj.pk]),
                           _("материалы, подача и рассмотрение"))

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_card(obj, by=request.user, data=data)
