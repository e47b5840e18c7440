from django.urls import path

from personal_data import views

urlpatterns = [
    path("cabinet/my-data/", views.my_data, name="my_data"),
    path("cabinet/my-data.json", views.my_data_json, name="my_data_json"),
    path("cabinet/my-data.pdf", views.my_data_pdf, name="my_data_pdf"),
]
