"""The outbox for curators: what was sent to whom, what failed and why, and «send again».

A message's data is shown with its links' tokens masked (notifications.masking): staff must not
be able to open anyone's personal link from here.
"""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.masking import masked
from notifications.models import Notification, Preference
from participants.admin_scoping import FoldedSearchMixin, MunicipalityScopedAdmin


@admin.register(Notification)
class NotificationAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    municipality_path = "recipient__municipality"
    folded_search_paths = ("recipient__search_text",)
    search_fields = ("recipient__last_name",)  # shows the search box; the mixin does the search
    list_display = ("scheduled_at", "recipient", "kind", "status", "attempts", "sent_at",
                    "last_error_short")
    list_select_related = ("recipient",)
    list_filter = ("status", "kind", "channel")
    date_hierarchy = "scheduled_at"
    fields = ("recipient", "channel", "kind", "status", "attempts", "last_error", "scheduled_at",
              "sent_at", "created_at", "resent_at", "resent_by", "subject_key", "dedup_key",
              "template", "context_masked", "attachment_name")
    readonly_fields = fields
    actions = ["resend"]

    def has_add_permission(self, request):
        return False  # messages come from the operations that cause them

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of what was sent

    @admin.display(description=_("ошибка"))
    def last_error_short(self, obj):
        return masked(obj.last_error[:80])

    @admin.display(description=_("данные письма (ссылки скрыты)"))
    def context_masked(self, obj):
        text = json.dumps(masked(obj.context), ensure_ascii=False, indent=2, sort_keys=True)
        return format_html("<pre>{}</pre>", text)

    @admin.action(description=_("Отправить снова"), permissions=["change"])
    def resend(self, request, queryset):
        done = 0
        for notification in queryset:
            if self.run_service(request, services.resend, notification, by=request.user):
                done += 1
        if done:
            self.message_user(request, ngettext(
                "%(count)d уведомление поставлено в очередь на отправку.",
                "%(count)d уведомлений поставлено в очередь на отправку.", done,
            ) % {"count": done}, messages.SUCCESS)


class BouncedFilter(admin.SimpleListFilter):
    title = _("адрес не принимает почту")
    parameter_name = "bounced"

    def lookups(self, request, model_admin):
        return [("yes", _("да")), ("no", _("нет"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(email_bounced_at__isnull=self.value() == "no")
        return queryset


@admin.register(Preference)
class PreferenceAdmin(FoldedSearchMixin, MunicipalityScopedAdmin):
    municipality_path = "person__municipality"
    search_fields = ("person__last_name",)
    list_display = ("person", "unsubscribed_all", "muted_kinds", "email_bounced_at",
                    "bounced_email")
    list_select_related = ("person",)
    list_filter = ("unsubscribed_all", BouncedFilter)
    fields = ("person", "unsubscribed_all", "muted_kinds", "email_bounced_at", "bounced_email")
    # The person chooses on their preferences page; a curator only lifts a bounce mark.
    readonly_fields = fields
    actions = ["clear_bounce"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Снять отметку «адрес не принимает почту»"),
                  permissions=["change"])
    def clear_bounce(self, request, queryset):
        for preference in queryset:
            services.clear_bounce(preference)
        self.message_user(request, _("Отметки сняты: письма на эти адреса снова отправляются."),
                          messages.SUCCESS)
