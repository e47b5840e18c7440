"""Admin of the portfolio, in Russian: the points table (one form of every criterion and level),
observation visits (read-only: the map is filled on its page or through the API) and projects,
contests and talks (added on the portfolio page or the API; removed here through the service).
Rows are scoped to the curator's municipality.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from participants import roles
from participants.admin_scoping import MunicipalityScopedAdmin
from participants.models import Municipality
from portfolio import services
from portfolio.models import Achievement, ObservationVisit, PointsRule
from portfolio.points import RULE_KEYS, rule_label, rules_of


@admin.register(ObservationVisit)
class ObservationVisitAdmin(MunicipalityScopedAdmin):
    list_display = ["date", "kind", "mentor", "mentee", "school_class", "subject"]
    list_filter = ["kind"]
    list_select_related = ["mentor", "mentee"]
    date_hierarchy = "date"
    search_fields = ["subject", "mentor__last_name", "mentee__last_name"]
    fields = ["date", "kind", "mentor", "mentee", "group", "school_class", "subject", "round",
              "recorded_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Achievement)
class AchievementAdmin(MunicipalityScopedAdmin):
    list_display = ["date", "mentor", "kind", "level", "title"]
    list_filter = ["kind", "level"]
    list_select_related = ["mentor"]
    date_hierarchy = "date"
    search_fields = ["title", "mentor__last_name"]
    fields = ["mentor", "kind", "level", "title", "date", "evidence_url", "evidence_file",
              "added_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.delete_achievement(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_achievement(obj, by=request.user)


@admin.register(PointsRule)
class PointsRuleAdmin(MunicipalityScopedAdmin):
    """The changelist is the whole table as one form: every criterion and level, the default
    until the curator saves it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _municipality(self, request):
        if request.user.is_superuser:
            wanted = request.GET.get("municipality") or request.POST.get("municipality")
            found = Municipality.objects.filter(pk=wanted if str(wanted).isdigit() else 0)
            return found.first() or Municipality.objects.order_by("name").first()
        return get_object_or_404(Municipality, pk=roles.municipality_id_of(request.user) or 0)

    def changelist_view(self, request, extra_context=None):
        municipality = self._municipality(request)
        if municipality is None:
            return TemplateResponse(request, "admin/portfolio/points_table.html",
                                    {**self.admin_site.each_context(request), "rows": []})
        table = rules_of(municipality)
        errors = {}
        if request.method == "POST" and self.has_change_permission(request):
            wanted, errors = {}, {}
            for index, key in enumerate(RULE_KEYS):
                raw = request.POST.get(f"rule-{index}", "").strip()
                if raw.isdigit() and int(raw) <= 100:
                    wanted[key] = int(raw)
                else:
                    errors[index] = _("Целое число от 0 до 100.")
            if not errors:
                try:
                    services.set_points_table(municipality, wanted, by=request.user)
                except DomainError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(request, _("Таблица баллов сохранена."))
                    url = reverse("admin:portfolio_pointsrule_changelist")
                    return HttpResponseRedirect(f"{url}?municipality={municipality.pk}")
        rows = [(index, rule_label(*key), request.POST.get(f"rule-{index}", table.get(key, 0))
                 if errors else table.get(key, 0), errors.get(index, ""))
                for index, key in enumerate(RULE_KEYS)]
        return TemplateResponse(request, "admin/portfolio/points_table.html", {
            **self.admin_site.each_context(request), "title": _("Таблица баллов"),
            "municipality": municipality, "rows": rows, "opts": self.model._meta,
            "may_change": self.has_change_permission(request),
            "municipalities": (Municipality.objects.order_by("name")
                               if request.user.is_superuser else []),
        }, status=422 if errors else 200)
