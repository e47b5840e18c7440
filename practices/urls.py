"""Addresses of the practices pages; mounted at the site root by config/urls.py."""

from django.urls import path, re_path

from practices import public, views

urlpatterns = [
    path("practices/", views.my_practices, name="practice_list"),
    path("practices/new/", views.new_practice, name="practice_new"),
    path("practices/from-program/<int:program_id>/", views.from_program,
         name="practice_from_program"),
    path("practices/review/", views.review_queue, name="practice_review_queue"),
    path("practices/<int:pk>/", views.edit, name="practice_edit"),
    path("practices/<int:pk>/materials/", views.add_material, name="practice_material_add"),
    path("practices/<int:pk>/materials/<int:material_id>/", views.material_file,
         name="practice_material"),
    path("practices/<int:pk>/materials/<int:material_id>/delete/", views.remove_material,
         name="practice_material_delete"),
    path("practices/<int:pk>/consent/", views.consent, name="practice_consent"),
    path("practices/<int:pk>/submit/", views.submit, name="practice_submit"),
    re_path(r"^practices/(?P<pk>[0-9]+)/(?P<decision>accept|return)/$", views.decide,
            name="practice_decide"),
    path("bank/", public.index, name="bank_index"),
    path("bank/<int:municipality_id>/", public.practice_list, name="bank_list"),
    path("bank/<int:municipality_id>/feed.atom", public.PracticeFeed(), name="bank_feed"),
    path("bank/<int:municipality_id>/embed/", public.embed, name="bank_embed"),
    path("bank/practices/<int:pk>/", public.practice_detail, name="bank_practice"),
    path("bank/practices/<int:pk>/materials/<int:material_id>/", public.material_file,
         name="bank_material"),
]
