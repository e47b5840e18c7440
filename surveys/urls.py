"""The survey page; mounted at the site root by config/urls.py."""

from django.urls import path

from surveys import paper_views, views

urlpatterns = [
    path("s/<str:token>/", views.survey, name="survey"),
    path("surveys/rounds/<int:pk>/paper/", paper_views.paper_entry, name="survey_paper_entry"),
]
