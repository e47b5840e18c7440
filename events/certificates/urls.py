from django.urls import path

from events.certificates import views

urlpatterns = [
    path("certificates/<str:code>/", views.verify, name="certificate_verify"),
    path("cabinet/certificates/<int:pk>.pdf", views.download, name="certificate_download"),
]
