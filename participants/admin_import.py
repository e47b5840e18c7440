"""Roster import in the admin: upload a file, read the preview, press «Применить»."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.errors import DomainError
from participants import importing, roles
from participants.admin_scoping import MunicipalityScopedAdmin
from participants.models import ImportBatch, Municipality, Person

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("муниципалитет"), queryset=Municipality.objects.all()
    )
    file = forms.FileField(
        label=gettext_lazy("файл"),
        help_text=gettext_lazy(
            "CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX. Колонки: Фамилия, "
            "Имя, Отчество (или одна «ФИО»), E-mail, Телефон, Организация, Должность, Предмет, "
            "Категория, Стаж."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_superuser:  # a curator imports into their own municipality only
            del self.fields["municipality"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Файл больше 5 МБ: разделите список на части."))
        return upload


@admin.register(ImportBatch)
class ImportBatchAdmin(MunicipalityScopedAdmin):
    list_display = ("file_name", "created_at", "created_by", "counts", "applied_at")
    list_select_related = ("created_by",)
    list_filter = (("applied_at", admin.EmptyFieldListFilter),)
    search_fields = ("file_name",)

    def get_urls(self):
        apply = self.admin_site.admin_view(require_POST(self.apply_view))
        return [
            path("<path:object_id>/apply/", apply, name="participants_importbatch_apply"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("создать / обновить / ошибок"))
    def counts(self, obj):
        counts = (obj.summary or {}).get("counts", {})
        return " / ".join(str(counts.get(key, 0)) for key in ("creates", "updates", "errors"))

    def add_view(self, request, form_url="", extra_context=None):
        """The upload form; a readable file becomes a batch and its preview opens."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            batch = self._create(request, form)
            if batch is not None:
                return HttpResponseRedirect(
                    reverse("admin:participants_importbatch_change", args=[batch.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": _("Загрузка списка участников"), "media": self.media + form.media}
        return TemplateResponse(request, "admin/participants/importbatch/upload.html", context)

    def _create(self, request, form):
        municipality = form.cleaned_data.get("municipality") or Municipality.objects.get(
            pk=roles.municipality_id_of(request.user))
        upload = form.cleaned_data["file"]
        try:
            return importing.create_batch(municipality, file_name=upload.name,
                                          content=upload.read(), by=request.user)
        except DomainError as exc:  # an unreadable file: say why next to the field
            form.add_error("file", exc.message)
            return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The preview of a batch (or what it did, once applied) with the «Применить» button."""
        batch = self._batch(request, object_id)
        summary = batch.summary or {}
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "batch": batch,
            "original": batch, "title": _("Импорт «%(file)s»") % {"file": batch.file_name},
            "summary": summary, "updates": _update_rows(summary.get("updates", [])),
            "zone": batch.municipality.time_zone,
            "apply_url": reverse("admin:participants_importbatch_apply", args=[batch.pk]),
            "can_apply": batch.applied_at is None and not summary.get("errors")
            and self.has_change_permission(request, batch),
        }
        return TemplateResponse(request, "admin/participants/importbatch/preview.html", context)

    def apply_view(self, request, object_id):
        batch = self._batch(request, object_id)
        if not self.has_change_permission(request, batch):
            raise PermissionDenied
        try:
            plan = importing.apply_batch(batch, by=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, _(
                "Импорт применён: создано %(creates)d, обновлено %(updates)d, без изменений "
                "%(unchanged)d."
            ) % {"creates": len(plan.creates), "updates": len(plan.updates),
                 "unchanged": plan.unchanged}, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:participants_importbatch_change", args=[batch.pk]))

    def _batch(self, request, object_id):
        batch = self.get_object(request, unquote(object_id))
        if batch is None or not self.has_view_permission(request, batch):
            raise Http404(_("Импорт не найден."))
        return batch


def _update_rows(updates):
    """Changes with the field's Russian name and readable values, for the preview table."""
    categories = dict(Person.Category.choices)
    rows = []
    for update in updates:
        changes = []
        for name, (old, new) in update.get("changes", {}).items():
            label = Person._meta.get_field(name).verbose_name if name in {
                f.name for f in Person._meta.fields} else name
            if name == "category":
                old, new = categories.get(old, old), categories.get(new, new)
            changes.append({"field": label, "old": old, "new": new})
        rows.append({"row": update.get("row"), "name": update.get("name"), "changes": changes})
    return rows
