"""The curator keeps adoptions and presented practices in the admin, inside their municipality."""

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import ModelAdoption, PracticePresentation
from tests.factories import OrganisationFactory


@pytest.fixture
def admin_client_of(indicator_curator):
    client = Client()
    client.force_login(indicator_curator)
    return client


def test_curator_records_a_practice_of_an_own_school(admin_client_of, municipality):
    school = OrganisationFactory(municipality=municipality)
    response = admin_client_of.post(reverse("admin:indicators_practicepresentation_add"), {
        "organisation": school.pk, "title": "Ракушка добра", "level": "regional",
        "presented_on": "10.03.2023"})
    assert response.status_code == 302, response.content.decode()[:2000]
    practice = PracticePresentation.objects.get()
    assert (practice.organisation, practice.level) == (school, "regional")


def test_another_municipalitys_schools_are_neither_offered_nor_accepted(
        admin_client_of, municipality, other_municipality):
    OrganisationFactory(municipality=municipality, short_name="Своя СОШ")
    foreign = OrganisationFactory(municipality=other_municipality, short_name="Чужая СОШ")
    add = reverse("admin:indicators_modeladoption_add")
    assert "Чужая СОШ" not in admin_client_of.get(add).content.decode()
    response = admin_client_of.post(add, {"organisation": foreign.pk,
                                           "adopted_on": "01.09.2022"})
    assert response.status_code == 200  # the form again, with an error
    assert not ModelAdoption.objects.exists()


def test_another_municipalitys_records_are_absent(admin_client_of, other_municipality):
    foreign = PracticePresentation.objects.create(
        organisation=OrganisationFactory(municipality=other_municipality), title="Чужая практика",
        level="school", presented_on="2026-01-10")
    listing = admin_client_of.get(reverse("admin:indicators_practicepresentation_changelist"))
    assert "Чужая практика" not in listing.content.decode()
    change = admin_client_of.get(reverse("admin:indicators_practicepresentation_change",
                                         args=[foreign.pk]))
    assert change.status_code == 302  # Django's "not found" for the admin: back to the index


def test_a_practice_title_is_cleaned_of_control_characters(admin_client_of, municipality):
    school = OrganisationFactory(municipality=municipality)
    admin_client_of.post(reverse("admin:indicators_practicepresentation_add"), {
        "organisation": school.pk, "title": "Шаги\x00 в\r\nнауку\x0b", "level": "school",
        "presented_on": "28.02.2023"})
    assert PracticePresentation.objects.get().title == "Шаги в науку"
