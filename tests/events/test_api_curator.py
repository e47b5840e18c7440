"""What a curator needs to enter a plan through the API: municipalities, forms, corrections."""

import pytest
from django.test import Client

from events.models import Event, EventForm, Program, Track
from tests.factories import (
    EventFactory,
    PersonFactory,
    ProgramFactory,
    RegistrationFactory,
    TrackFactory,
)

API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(API + url, data or {}, content_type="application/json")


# --- municipalities ------------------------------------------------------------------------

def test_curator_reads_only_their_municipality(curator, municipality, other_municipality):
    client = signed_in(curator)

    listed = client.get(f"{API}/municipalities").json()["items"]
    own = client.get(f"{API}/municipalities/{municipality.pk}")
    foreign = client.get(f"{API}/municipalities/{other_municipality.pk}")

    assert listed == [{"id": municipality.pk, "name": municipality.name,
                       "time_zone": "Asia/Vladivostok", "department": "",
                       "department_name": f"Управление образования · {municipality.name}"}]
    assert own.status_code == 200 and foreign.status_code == 404
    assert set(foreign.json()) == {"code", "message", "details"}


def test_superuser_reads_every_municipality(superuser, municipality, other_municipality):
    listed = signed_in(superuser).get(f"{API}/municipalities").json()["items"]

    assert {item["id"] for item in listed} >= {municipality.pk, other_municipality.pk}


# --- event forms -------------------------------------------------------------------------------

def test_curator_adds_and_renames_a_form_of_their_municipality(curator, municipality,
                                                               other_curator):
    client = signed_in(curator)

    created = send(client, "post", "/event-forms", {"name": "мониторинг"})
    form_id = created.json()["id"]
    renamed = send(client, "patch", f"/event-forms/{form_id}", {"name": "мониторинг качества"})
    event = send(client, "post", "/events", {
        "title": "Мониторинг наставничества", "form_id": form_id,
        "starts_at": "2026-09-01T00:00:00Z", "ends_at": "2026-09-01T02:00:00Z"})
    foreign = signed_in(other_curator)

    assert created.status_code == 201
    assert created.json()["municipality_id"] == municipality.pk
    assert renamed.status_code == 200 and renamed.json()["name"] == "мониторинг качества"
    assert event.status_code == 201, event.content
    assert event.json()["form"]["name"] == "мониторинг качества"
    # Another municipality neither sees nor uses it.
    listed = {client: [f["id"] for f in client.get(f"{API}/event-forms?limit=100")
                       .json()["items"]] for client in (client, foreign)}
    assert form_id in listed[client] and form_id not in listed[foreign]
    assert send(foreign, "patch", f"/event-forms/{form_id}", {"name": "x"}).status_code == 404
    assert send(foreign, "post", "/events", {
        "title": "Чужая форма", "form_id": form_id,
        "starts_at": "2026-09-01T00:00:00Z", "ends_at": "2026-09-01T02:00:00Z",
    }).status_code == 422


def test_a_form_name_taken_is_a_conflict_in_russian(curator):
    client = signed_in(curator)

    again = send(client, "post", "/event-forms", {"name": "Семинар"})  # a shared one exists

    assert again.status_code == 409
    assert again.json()["code"] == "form_exists"
    assert "уже есть" in again.json()["message"]


def test_curator_cannot_rename_a_shared_form(curator):
    shared = EventForm.objects.get(name="семинар", municipality__isnull=True)

    response = send(signed_in(curator), "patch", f"/event-forms/{shared.pk}", {"name": "иное"})

    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.name == "семинар"


# --- programs and tracks ---------------------------------------------------------------------

def test_curator_patches_a_program_and_a_track(curator, municipality):
    track = TrackFactory(program__municipality=municipality)
    lead = PersonFactory(municipality=municipality)
    client = signed_in(curator)

    program = send(client, "patch", f"/programs/{track.program_id}",
                   {"name": "Мастер-мастеру 2026", "curator_id": lead.pk})
    patched = send(client, "patch", f"/tracks/{track.pk}", {"theme": "Новая тема"})
    bad = send(client, "patch", f"/programs/{track.program_id}", {"end_date": "2000-01-01"})

    assert program.status_code == 200 and program.json()["curator_id"] == lead.pk
    assert Program.objects.get(pk=track.program_id).name == "Мастер-мастеру 2026"
    assert patched.status_code == 200 and Track.objects.get(pk=track.pk).theme == "Новая тема"
    assert bad.status_code == 422


def test_another_municipalitys_program_and_track_are_not_found(curator, other_municipality):
    track = TrackFactory(program__municipality=other_municipality)
    client = signed_in(curator)

    assert send(client, "patch", f"/programs/{track.program_id}", {"name": "x"}).status_code == 404
    assert send(client, "patch", f"/tracks/{track.pk}", {"theme": "x"}).status_code == 404


# --- events --------------------------------------------------------------------------------------

def test_an_event_nobody_registered_for_is_deleted(curator, municipality):
    event = EventFactory(municipality=municipality)

    response = signed_in(curator).delete(f"{API}/events/{event.pk}")

    assert response.status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


def test_an_event_with_registrations_is_not_deleted(curator, municipality):
    event = RegistrationFactory(event__municipality=municipality).event

    response = signed_in(curator).delete(f"{API}/events/{event.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "has_registrations"
    assert "отмените его" in response.json()["message"]
    assert Event.objects.filter(pk=event.pk).exists()


def test_participant_cannot_delete_an_event(municipality):
    from participants import roles
    from tests.factories import make_user

    event = EventFactory(municipality=municipality)
    user = make_user("someone", role=roles.PARTICIPANT, municipality=municipality)

    assert signed_in(user).delete(f"{API}/events/{event.pk}").status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_event_out_names_the_responsible_and_the_audience_as_a_list(curator, municipality):
    people = [PersonFactory(municipality=municipality) for _ in range(2)]
    program = ProgramFactory(municipality=municipality)
    client = signed_in(curator)

    created = send(client, "post", "/events", {
        "title": "Форум наставников", "form_id": EventForm.objects.get(name="семинар").pk,
        "program_id": program.pk, "audience": "mentors",
        "responsible_ids": [p.pk for p in people],
        "starts_at": "2026-09-01T00:00:00Z", "ends_at": "2026-09-01T02:00:00Z"}).json()
    read = client.get(f"{API}/events/{created['id']}").json()

    assert read["audience"] == ["mentors"]
    assert sorted(r["id"] for r in read["responsible"]) == sorted(p.pk for p in people)
    assert {r["full_name"] for r in read["responsible"]} == {p.full_name for p in people}


@pytest.mark.parametrize("size", [1, 4])
def test_event_list_queries_do_not_grow_with_responsible_people(curator, municipality, size,
                                                                django_assert_num_queries):
    for _ in range(size):
        event = EventFactory(municipality=municipality)
        event.responsible.set([PersonFactory(municipality=municipality) for _ in range(2)])
    client = signed_in(curator)
    client.get(f"{API}/events")  # warm the session and the user's role look-ups

    with django_assert_num_queries(FIXED_QUERIES):
        response = client.get(f"{API}/events")

    assert len(response.json()["items"]) == size


# Session, user, person's municipality, count, page, topics, responsible: no roles, since what
# a curator sees of events is their municipality.
FIXED_QUERIES = 7
