"""The curator keeps the facts of the indicators here, inside their own municipality."""

from django import forms
from django.contrib import admin

from config.text_input import CleanTextMixin
from indicators.models import ModelAdoption, PracticePresentation, StaffCount
from participants.admin_scoping import MunicipalityScopedAdmin


class AdoptionForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ModelAdoption
        fields = ("organisation", "adopted_on", "document")


class PresentationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = PracticePresentation
        fields = ("organisation", "title", "level", "presented_on")


@admin.register(ModelAdoption)
class ModelAdoptionAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    form = AdoptionForm
    list_display = ("organisation", "adopted_on", "document")
    list_select_related = ("organisation",)
    date_hierarchy = "adopted_on"
    search_fields = ("organisation__name", "organisation__short_name")


@admin.register(PracticePresentation)
class PracticePresentationAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    form = PresentationForm
    list_display = ("title", "organisation", "level", "presented_on")
    list_select_related = ("organisation",)
    list_filter = ("level", "organisation")
    date_hierarchy = "presented_on"
    search_fields = ("title", "organisation__name", "organisation__short_name")


@admin.register(StaffCount)
class StaffCountAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    list_display = ("organisation", "teachers", "young_teachers", "counted_on")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "organisation__short_name")
