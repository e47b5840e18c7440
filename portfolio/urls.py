"""Addresses of the portfolio pages; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from portfolio import views

urlpatterns = [
    path("portfolio/<int:person_id>/", views.portfolio_page, name="portfolio"),
    path("portfolio/<int:person_id>/achievements/", views.add_achievement,
         name="portfolio_add_achievement"),
    path("portfolio/achievements/<int:pk>/delete/", views.delete_achievement,
         name="portfolio_delete_achievement"),
    path("portfolio/achievements/<int:pk>/evidence/", views.achievement_evidence,
         name="portfolio_achievement_evidence"),
    path("observations/pairs/<int:group_id>/", views.pair_visits, name="pair_visits"),
    path("observations/pairs/<int:group_id>/new/", views.record_visit, name="record_visit"),
    path("points/", views.points_page, name="points"),
    re_path(r"^points\.(?P<fmt>pdf|xlsx)$", views.points_file, name="points_file"),
]
