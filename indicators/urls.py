"""Addresses of the indicators page; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from indicators import views

urlpatterns = [
    path("indicators/", views.indicators_page, name="indicators"),
    re_path(r"^indicators\.(?P<fmt>pdf|xlsx)$", views.indicators_file, name="indicators_file"),
]
