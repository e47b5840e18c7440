"""Admin of certificates (view, revoke, download) and the batch actions on events and tracks.

Rows are scoped to the curator's municipality; every write calls the certificate services.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.downloads import PDF, ZIP, attachment
from events.certificates import services
from events.certificates.models import Certificate
from events.certificates.pdf import certificates_pdf, certificates_zip
from participants.admin_scoping import MunicipalityScopedAdmin


def _batch(modeladmin, request, subjects, field):
    certificates = []
    for subject in subjects:
        issued = modeladmin.run_service(request, services.issue_batch, by=request.user,
                                        **{field: subject})
        certificates += issued or []
    if not certificates:
        modeladmin.message_user(request, _("Никто не выполнил условие — сертификатов нет."),
                                messages.WARNING)
        return None
    return attachment(certificates_pdf(certificates), PDF, "certificates.pdf")


@admin.action(description=gettext_lazy("Выдать сертификаты посетившим (PDF)"))
def issue_for_events(modeladmin, request, queryset):
    return _batch(modeladmin, request,
                  queryset.select_related("municipality", "form", "program__curator"), "event")


@admin.action(description=gettext_lazy("Выдать сертификаты посетившим ≥ 75 %% мероприятий (PDF)"))
def issue_for_tracks(modeladmin, request, queryset):
    return _batch(modeladmin, request,
                  queryset.select_related("program__municipality", "program__curator"), "track")


@admin.register(Certificate)
class CertificateAdmin(MunicipalityScopedAdmin):
    list_display = ["number", "holder_name", "activity", "hours", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["municipality"]
    search_fields = ["holder_name", "activity", "=number"]
    actions = ["download_pdf", "download_zip", "revoke"]
    readonly_fields = [field.name for field in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Скачать одним PDF"), permissions=["view"])
    def download_pdf(self, request, queryset):
        return attachment(certificates_pdf(queryset.order_by("number")), PDF, "certificates.pdf")

    @admin.action(description=gettext_lazy("Скачать ZIP (по файлу на каждого)"),
                  permissions=["view"])
    def download_zip(self, request, queryset):
        return attachment(certificates_zip(queryset.order_by("number")), ZIP, "certificates.zip")

    @admin.action(description=gettext_lazy("Отозвать выбранные сертификаты"),
                  permissions=["view"])
    def revoke(self, request, queryset):
        for certificate in queryset.filter(revoked_at=None):
            self.run_service(request, services.revoke, certificate,
                             reason=_("отозван куратором"), by=request.user)
