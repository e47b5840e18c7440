"""Event forms in the admin: a curator sees the shared forms and their municipality's own, adds
and renames their own; another municipality's forms are absent everywhere (list, page, choices,
filters)."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import EventForm
from tests.events.test_admin import _event_form
from tests.factories import EventFactory


@pytest.fixture
def forms(municipality, other_municipality):
    return {
        "shared": EventForm.objects.get_or_create(name="семинар")[0],
        "own": EventForm.objects.create(municipality=municipality, name="мониторинг"),
        "foreign": EventForm.objects.create(municipality=other_municipality,
                                            name="Чужой форум"),
    }


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_curator_lists_shared_and_own_forms_not_another_municipalitys(forms, curator):
    page = _signed_in(curator).get(reverse("admin:events_eventform_changelist")).content.decode()

    assert "семинар" in page and "мониторинг" in page
    assert "Чужой форум" not in page


def test_curator_renames_their_municipalitys_form(forms, curator):
    response = _signed_in(curator).post(
        reverse("admin:events_eventform_change", args=[forms["own"].pk]),
        {"name": "мониторинг реализации"})

    assert response.status_code == 302
    forms["own"].refresh_from_db()
    assert forms["own"].name == "мониторинг реализации"


def test_curator_adds_a_form_that_lands_in_their_municipality(forms, curator, municipality,
                                                               other_municipality):
    # Even a posted municipality of someone else is replaced by the curator's own.
    response = _signed_in(curator).post(reverse("admin:events_eventform_add"),
                                        {"name": "форум", "municipality": other_municipality.pk})

    assert response.status_code == 302
    assert EventForm.objects.get(name="форум").municipality == municipality


def test_curator_adding_a_name_their_municipality_has_is_refused_with_a_message(forms, curator):
    response = _signed_in(curator).post(reverse("admin:events_eventform_add"),
                                        {"name": "мониторинг"}, follow=True)

    assert EventForm.objects.filter(name="мониторинг").count() == 1
    assert "мониторинг" in response.content.decode()


def test_another_municipalitys_form_is_absent_for_the_curator(forms, curator):
    client = _signed_in(curator)

    page = client.get(reverse("admin:events_eventform_change", args=[forms["foreign"].pk]))
    rename = client.post(reverse("admin:events_eventform_change", args=[forms["foreign"].pk]),
                         {"name": "захвачено"})

    assert page.status_code == 302  # the admin's "does not exist"
    assert rename.status_code == 302
    forms["foreign"].refresh_from_db()
    assert forms["foreign"].name == "Чужой форум"


def test_event_page_offers_shared_and_own_forms_and_refuses_a_foreign_one(forms, curator,
                                                                         municipality):
    client = _signed_in(curator)
    event = EventFactory(municipality=municipality, form=forms["shared"])
    search = client.get(reverse("admin:autocomplete"), {
        "app_label": "events", "model_name": "event", "field_name": "form", "term": ""}).json()
    names = {result["text"] for result in search["results"]}
    listing = client.get(reverse("admin:events_event_changelist")).content.decode()

    assert {"семинар", "мониторинг"} <= names and "Чужой форум" not in names
    assert "Чужой форум" not in listing  # nor in the sidebar's filter
    client.post(reverse("admin:events_event_change", args=[event.pk]),
                _event_form(event, form=forms["foreign"].pk))
    event.refresh_from_db()
    assert event.form == forms["shared"]


def test_superuser_sees_every_form_with_its_owner(forms, superuser):
    page = _signed_in(superuser).get(
        reverse("admin:events_eventform_changelist")).content.decode()

    assert "Чужой форум" in page and "мониторинг" in page and "общая" in page
