"""Addresses of the pages; mounted at the site root by config/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import path

from events import signin_views, views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.register, name="event_register"),
    path("events/<int:pk>/cancel/", views.cancel_registration, name="event_cancel_registration"),
    path("events/<int:pk>/attendance/", views.attendance, name="event_attendance"),
    path("events/<int:pk>/attendance/mark/", views.mark_attendance,
         name="event_mark_attendance"),
    path("events/<int:pk>/checkin/", views.checkin_screen, name="event_checkin"),
    path("events/<int:pk>/checkin/self/", views.self_checkin, name="event_self_checkin"),
    path("signin/", signin_views.signin, name="signin"),
    path("signin/link/", signin_views.signin_link, name="signin_link"),
    path("signin/consent/", signin_views.consent, name="consent"),
    path("login/", auth_views.LoginView.as_view(
        template_name="events/login.html", next_page="event_list",
        redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="event_list"), name="logout"),
]
