"""Addresses of the attendance-report pages; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from events.reports import views

SUBJECT = r"(?P<subject>program|track|event|person)/(?P<pk>[0-9]+)"

urlpatterns = [
    path("attendance/", views.index, name="attendance_reports"),
    re_path(rf"^attendance/{SUBJECT}/$", views.report_page, name="attendance_report"),
    re_path(rf"^attendance/{SUBJECT}\.(?P<fmt>pdf|xlsx|csv)$", views.report_file,
            name="attendance_report_file"),
    path("attendance/event/<int:pk>/close/", views.close_sheet, name="attendance_close_sheet"),
]
