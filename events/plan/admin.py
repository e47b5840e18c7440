"""Admin of the plan: items with their responsible people and execution, and plan imports
(upload → preview → «Применить»). Every write goes through events/plan/services.py and
events/plan/importing.py; a curator sees only their municipality's programs."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.errors import DomainError
from events.admin import EVENT_SCOPE_PATHS, EventFormListFilter, ScopedAdmin
from events.models import Program
from events.plan import importing, services
from events.plan.models import PlanImport, PlanItem, PlanResponsible
from events.plan.periods import period_label
from participants import roles
from participants.admin_scoping import ScopedChoicesMixin

PLAN_SCOPE_PATHS = {**EVENT_SCOPE_PATHS, "events.PlanItem": "program__municipality"}


class PlanResponsibleInline(ScopedChoicesMixin, admin.TabularInline):
    model = PlanResponsible
    fields = ["position", "person", "organisation", "text"]
    extra = 1
    scope_paths = PLAN_SCOPE_PATHS


class PlanItemForm(forms.ModelForm):
    evidence_url = forms.URLField(label=gettext_lazy("подтверждение (ссылка)"), max_length=500,
                                  required=False, assume_scheme="https")
    evidence_upload = forms.FileField(
        label=gettext_lazy("подтверждение (файл)"), required=False,
        help_text=gettext_lazy("PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT, ODS до 10 МБ"))

    class Meta:
        model = PlanItem
        fields = ["program", "track", "number", "title", "period_kind", "starts_on", "ends_on",
                  "at_time", "period_text", "form", "audience", "audience_note", "events",
                  "status", "status_note", "evidence_url"]

    def clean(self):
        """The period as the service will store it (a month whole, a deadline on both ends),
        so that the model's constraints are checked on what will be saved."""
        data = super().clean()
        if data.get("period_kind"):
            try:
                kind, start, end, time = services.normalised_period(
                    data["period_kind"], data.get("starts_on"), data.get("ends_on"),
                    data.get("at_time"))
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
            data.update(period_kind=kind, starts_on=start, ends_on=end, at_time=time)
        return data


@admin.register(PlanItem)
class PlanItemAdmin(ScopedAdmin):
    form = PlanItemForm
    scope_paths = PLAN_SCOPE_PATHS
    municipality_path = "program__municipality"
    list_display = ["number", "title", "period", "program", "status"]
    list_display_links = ["number", "title"]
    list_filter = ["program", "status", "period_kind", ("form", EventFormListFilter)]
    list_select_related = ["program"]
    search_fields = ["title"]
    autocomplete_fields = ["events", "form"]
    readonly_fields = ["evidence_link"]
    inlines = [PlanResponsibleInline]
    fieldsets = [
        (None, {"fields": ["program", "track", "number", "title", "form", "audience",
                           "audience_note", "events"]}),
        (gettext_lazy("Срок"), {"fields": ["period_kind", "starts_on", "ends_on", "at_time",
                                           "period_text"]}),
        (gettext_lazy("Исполнение"), {"fields": ["status", "status_note", "evidence_url",
                                                 "evidence_upload", "evidence_link"]}),
    ]

    @admin.display(description=gettext_lazy("срок"))
    def period(self, obj):
        return obj.period_text or period_label(obj.period_kind, obj.starts_on, obj.ends_on,
                                               obj.at_time)

    @admin.display(description=gettext_lazy("файл подтверждения"))
    def evidence_link(self, obj):
        if not obj.pk or not obj.evidence_file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("plan_item_evidence", args=[obj.pk]),
                           obj.evidence_file.name.rsplit("/", 1)[-1])

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related writes the item and its people in one service call."""

    def save_related(self, request, form, formsets, change):
        data = {name: form.cleaned_data.get(name) for name in (
            "track", "number", "title", "form", "audience", "audience_note", "period_text",
            "period_kind", "starts_on", "ends_on", "at_time")}
        responsible = []
        for formset in formsets:
            for row in formset.cleaned_data:
                if row and not row.get("DELETE"):
                    responsible.append(services.Responsible(
                        person=row.get("person"), organisation=row.get("organisation"),
                        text=row.get("text") or ""))
            # The formset is not saved: the service wrote it. The change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        events = list(form.cleaned_data.get("events") or [])
        if change:
            item = services.update_item(form.instance, by=request.user, responsible=responsible,
                                        events=events, **data)
        else:
            item = services.create_item(form.cleaned_data["program"], by=request.user,
                                        responsible=responsible, events=events, **data)
        execution = {"status_note", "evidence_url", "status", "evidence_upload"}
        if not change or execution & set(form.changed_data):
            services.set_status(item, form.cleaned_data["status"], by=request.user,
                                note=form.cleaned_data.get("status_note") or "",
                                evidence_url=form.cleaned_data.get("evidence_url") or "",
                                evidence_file=form.cleaned_data.get("evidence_upload"))
        form.instance.pk = item.pk
        form.instance.refresh_from_db()

    def delete_model(self, request, obj):
        services.delete_item(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            services.delete_item(item, by=request.user)


class PlanUploadForm(forms.Form):
    program = forms.ModelChoiceField(label=gettext_lazy("программа"),
                                     queryset=Program.objects.none())
    file = forms.FileField(label=gettext_lazy("файл"), help_text=gettext_lazy(
        "DOCX (таблица плана), XLSX или CSV. Колонки: «№», «Мероприятие», «Срок», "
        "«Ответственные»; по желанию «Форма», «Участники»."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = roles.scope(Program.objects.all(), user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_FILE_BYTES:
            raise forms.ValidationError(_("Файл больше 5 МБ."))
        return upload


@admin.register(PlanImport)
class PlanImportAdmin(ScopedAdmin):
    municipality_path = "program__municipality"
    list_display = ["file_name", "program", "created_at", "created_by", "counts", "applied_at"]
    list_select_related = ["program", "created_by"]

    def get_urls(self):
        apply = self.admin_site.admin_view(require_POST(self.apply_view))
        return [path("<path:object_id>/apply/", apply, name="events_planimport_apply"),
                *super().get_urls()]

    @admin.display(description=gettext_lazy("создать / обновить / без изменений / ошибок"))
    def counts(self, obj):
        counts = (obj.summary or {}).get("counts", {})
        return " / ".join(str(counts.get(key, 0))
                          for key in ("creates", "updates", "unchanged", "errors"))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PlanUploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stored = importing.create_upload(form.cleaned_data["program"],
                                                 file_name=upload.name, content=upload.read(),
                                                 by=request.user)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return HttpResponseRedirect(
                    reverse("admin:events_planimport_change", args=[stored.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": _("Загрузка плана мероприятий"), "media": self.media + form.media}
        return TemplateResponse(request, "admin/events/planimport/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        upload = self._upload(request, object_id)
        summary = upload.summary or {}
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "upload": upload,
            "original": upload, "summary": summary,
            "zone": upload.program.municipality.time_zone,
            "apply_url": reverse("admin:events_planimport_apply", args=[upload.pk]),
            "title": _("Импорт плана «%(file)s»") % {"file": upload.file_name},
            "can_apply": upload.applied_at is None and not summary.get("errors")
            and self.has_change_permission(request, upload),
        }
        return TemplateResponse(request, "admin/events/planimport/preview.html", context)

    def apply_view(self, request, object_id):
        upload = self._upload(request, object_id)
        if not self.has_change_permission(request, upload):
            raise PermissionDenied
        try:
            preview = importing.apply_upload(upload, by=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            counts = preview.counts()
            self.message_user(request, _(
                "План загружен: создано %(creates)d, обновлено %(updates)d, без изменений "
                "%(unchanged)d.") % counts, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:events_planimport_change", args=[upload.pk]))

    def _upload(self, request, object_id):
        upload = self.get_object(request, unquote(object_id))
        if upload is None or not self.has_view_permission(request, upload):
            raise Http404(_("Импорт не найден."))
        return upload
