"""Addresses of the themes page; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from planning.themes import views

urlpatterns = [
    path("planning/themes/", views.themes_page, name="planning_themes"),
    re_path(r"^planning/themes\.(?P<fmt>pdf|xlsx)$", views.themes_file,
            name="planning_themes_file"),
    path("planning/themes/accept/", views.accept, name="planning_themes_accept"),
]
