from django.urls import path

from cabinet import views

urlpatterns = [
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/calendar/revoke/", views.revoke_feed, name="cabinet_revoke_feed"),
]
