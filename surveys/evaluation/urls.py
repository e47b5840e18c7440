"""Addresses of the evaluation-form pages; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from surveys.evaluation import views

urlpatterns = [
    path("evaluation/", views.index, name="evaluation_index"),
    re_path(r"^evaluation/(?P<subject>round|track|program)/(?P<pk>[0-9]+)/$",
            views.evaluation_form, name="evaluation_form"),
    re_path(r"^evaluation/(?P<subject>round|track|program)/(?P<pk>[0-9]+)\.(?P<fmt>pdf|xlsx|csv)$",
            views.evaluation_file, name="evaluation_file"),
    path("evaluation/prepost/", views.prepost, name="evaluation_prepost"),
    path("evaluation/round/<int:pk>/schools/", views.schools, name="evaluation_schools"),
    path("evaluation/round/<int:pk>/pairs/", views.pairs, name="evaluation_pairs"),
    re_path(r"^evaluation/round/(?P<pk>[0-9]+)/pairs\.(?P<fmt>pdf|xlsx)$", views.pairs_file,
            name="evaluation_pairs_file"),
    path("evaluation/round/<int:pk>/schools.pdf", views.schools_pdf,
         name="evaluation_schools_pdf"),
    re_path(r"^evaluation/prepost\.(?P<fmt>pdf|xlsx|csv)$", views.prepost_file,
            name="evaluation_prepost_file"),
]
