from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/preferences/<str:token>/", views.preferences, name="preferences"),
]
