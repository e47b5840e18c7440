from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api

admin.site.site_header = "Школа наставничества"
admin.site.site_title = "Школа наставничества"
admin.site.index_title = "Управление"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="event_list", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("events.urls")),
    path("", include("events.feed_urls")),
    path("", include("events.plan.urls")),
    path("", include("surveys.urls")),
    path("", include("surveys.evaluation.urls")),
    path("", include("events.reports.urls")),
    path("", include("notifications.urls")),
    path("", include("personal_data.urls")),
    path("", include("cabinet.urls")),
    path("", include("planning.themes.urls")),
    path("", include("planning.urls")),
    path("", include("events.certificates.urls")),
    path("", include("indicators.urls")),
    path("", include("operations.urls")),
    path("", include("practices.urls")),
    path("", include("portfolio.urls")),
]

# A database that is away answers 503 with Retry-After, not 500 (config/unavailable.py).
handler500 = "config.unavailable.server_error"
