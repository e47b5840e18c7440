"""Addresses of the plan pages; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from events.plan import views

urlpatterns = [
    path("plan/programs/<int:pk>/report/", views.report_page, name="plan_report"),
    re_path(r"^plan/programs/(?P<pk>[0-9]+)/report\.(?P<fmt>pdf|xlsx)$", views.report_file,
            name="plan_report_file"),
    path("plan/items/<int:pk>/evidence/", views.evidence, name="plan_item_evidence"),
]
