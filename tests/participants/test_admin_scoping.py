"""Admin as a curator of another municipality: no filter names this one's objects; shared
vocabularies are read-only to curators (a municipality's own event forms are its curator's)."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from events.models import EventForm
from tests.factories import (
    EventFactory,
    MentoringGroupFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    SurveyRoundFactory,
    TrackFactory,
    make_user,
)

SECRET = "Секрет"


@pytest.fixture
def secrets_of_a(municipality):
    """Objects of municipality A whose names a curator of B must never read."""
    school = OrganisationFactory(municipality=municipality, name=f"{SECRET}ная школа",
                                 short_name=f"{SECRET} СОШ")
    person = PersonFactory(municipality=municipality, organisation=school,
                           last_name=f"{SECRET}ова")
    track = TrackFactory(program__municipality=municipality, program__name=f"{SECRET} программа",
                         theme=f"{SECRET}ная тема")
    event = EventFactory(municipality=municipality, program=track.program, track=track,
                         title=f"{SECRET}ный семинар")
    RegistrationFactory(event=event, person=person)
    MentoringGroupFactory(municipality=municipality)
    SurveyRoundFactory(municipality=municipality, event=event, title=f"{SECRET}ный опрос")
    return track


@pytest.fixture
def own_program(other_municipality):
    # Two, since Django shows a filter only when it has a choice to make.
    TrackFactory(program__municipality=other_municipality, program__name="Вторая своя")
    return TrackFactory(program__municipality=other_municipality,
                        program__name="Своя программа").program


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def filter_html(page):
    found = re.search(r'<nav id="changelist-filter".*?</nav>', page, re.S)
    return found.group(0) if found else ""


def test_no_changelist_of_a_curator_of_b_names_objects_of_a(secrets_of_a, own_program,
                                                           other_curator, rf):
    client = signed_in(other_curator)
    request = rf.get("/")
    request.user = other_curator
    seen_filters = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.label
        page = response.content.decode()
        assert SECRET not in filter_html(page), opts.label
        assert SECRET not in page, opts.label
        seen_filters += bool(filter_html(page))
    assert seen_filters >= 10  # the check looked at real filter sidebars


def test_relation_filters_offer_the_curators_own_objects(secrets_of_a, own_program,
                                                         other_curator):
    client = signed_in(other_curator)
    for changelist in ("events_track_changelist", "events_event_changelist"):
        sidebar = filter_html(client.get(reverse(f"admin:{changelist}")).content.decode())
        assert "Своя программа" in sidebar and SECRET not in sidebar


def test_a_superuser_filters_by_every_municipalitys_objects(secrets_of_a, own_program, db):
    superuser = make_user("root", superuser=True)
    sidebar = filter_html(signed_in(superuser).get(
        reverse("admin:events_track_changelist")).content.decode())
    assert "Своя программа" in sidebar and f"{SECRET} программа" in sidebar


# --- shared vocabularies ---------------------------------------------------------------------

@pytest.fixture
def seminar(db):
    return EventForm.objects.get_or_create(name="семинар")[0]


def test_a_curator_sees_shared_event_forms_but_cannot_rename_or_delete_them(seminar, curator):
    client = signed_in(curator)
    forms = sorted(EventForm.objects.values_list("name", flat=True))

    listing = client.get(reverse("admin:events_eventform_changelist"))
    rename = client.post(reverse("admin:events_eventform_change", args=[seminar.pk]),
                         {"name": "переименовано"})
    delete = client.post(reverse("admin:events_eventform_delete", args=[seminar.pk]),
                         {"post": "yes"})

    assert listing.status_code == 200 and "семинар" in listing.content.decode()
    assert delete.status_code == 403
    assert rename.status_code in (200, 403)  # a read-only view at most
    seminar.refresh_from_db()
    assert seminar.name == "семинар"
    assert sorted(EventForm.objects.values_list("name", flat=True)) == forms


def test_a_curator_cannot_change_topics(curator):
    from participants.models import Topic

    topic = Topic.objects.order_by("pk").first()
    client = signed_in(curator)
    response = client.post(reverse("admin:participants_topic_change", args=[topic.pk]),
                           {"name": "переименовано", "position": 1, "is_active": "on"})
    assert response.status_code in (200, 403)
    topic.refresh_from_db()
    assert topic.name != "переименовано"
    assert client.get(reverse("admin:participants_topic_add")).status_code == 403


def test_a_superuser_renames_an_event_form(seminar, db):
    client = signed_in(make_user("root", superuser=True))
    response = client.post(reverse("admin:events_eventform_change", args=[seminar.pk]),
                           {"name": "семинар-погружение"})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.name == "семинар-погружение"


def test_a_curator_still_chooses_an_event_form_for_an_event(seminar, curator):
    response = signed_in(curator).get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "event", "field_name": "form", "term": "сем"})
    assert response.status_code == 200
    assert "семинар" in [r["text"] for r in response.json()["results"]]
