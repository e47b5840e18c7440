"""Addresses of planning pages; mounted at the site root by config/urls.py."""

from django.urls import path

from planning.matching import views

urlpatterns = [
    path("planning/mentors/", views.suggestions_page, name="planning_suggestions"),
    path("planning/mentors/confirm/", views.confirm_suggestion,
         name="planning_confirm_suggestion"),
    path("planning/flash/<int:event_id>/", views.flash_page, name="planning_flash"),
    path("planning/flash/<int:event_id>/open/", views.flash_open, name="planning_flash_open"),
    path("planning/flash/<int:event_id>/confirm/", views.flash_confirm,
         name="planning_flash_confirm"),
    path("flash/<str:token>/", views.flash_choice, name="flash_choice"),
]
