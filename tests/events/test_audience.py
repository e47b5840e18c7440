"""An event is for several audiences at once: the model keeps a list, the migration carried each
old single value over, and the API, the admin, the filters and the event page read and write the
list."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from events import services
from events.models import Event, EventChange, EventForm
from tests.events.test_admin import _event_form
from tests.factories import EventFactory, in_days

API = "/api/v1"
BEFORE, AFTER = "0013_curator_digest_hourly", "0014_event_audience_list"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data, method="post"):
    return getattr(client, method)(API + url, data, content_type="application/json")


def _event_body(**overrides):
    return {"title": "Форум наставников", "form_id": EventForm.objects.get(name="семинар").pk,
            "starts_at": "2026-09-01T00:00:00Z", "ends_at": "2026-09-01T02:00:00Z",
            **overrides}


# --- migration ---------------------------------------------------------------------------------

def _models_at(executor, events_migration):
    """The models as of an events migration, participants' as they stand: rolling events back
    leaves participants' later migrations applied (a column the old state lacks is NOT NULL)."""
    participants = [node for node in executor.loader.graph.leaf_nodes()
                    if node[0] == "participants"]
    return executor.loader.project_state([("events", events_migration), *participants]).apps


@pytest.mark.django_db(transaction=True)
def test_migration_turns_each_single_value_into_a_list_of_it_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("events", BEFORE)])
    old = _models_at(executor, BEFORE)
    municipality = old.get_model("participants", "Municipality").objects.create(
        name="Миграционный округ", time_zone="Asia/Vladivostok")
    form = old.get_model("events", "EventForm").objects.create(name="семинар (миграция)")
    OldEvent = old.get_model("events", "Event")
    ids = {}
    for code in ("mentors", "young", "all"):
        ids[code] = OldEvent.objects.create(
            municipality=municipality, form=form, title=code, audience=code,
            starts_at=in_days(1), ends_at=in_days(2)).pk

    executor = MigrationExecutor(connection)
    executor.migrate([("events", AFTER)])
    new = MigrationExecutor(connection).loader.project_state([("events", AFTER)]).apps
    carried = dict(new.get_model("events", "Event").objects.filter(pk__in=ids.values())
                   .values_list("pk", "audience"))

    assert carried == {pk: [code] for code, pk in ids.items()}

    executor = MigrationExecutor(connection)
    executor.migrate([("events", BEFORE)])
    back = MigrationExecutor(connection).loader.project_state([("events", BEFORE)]).apps
    assert dict(back.get_model("events", "Event").objects.filter(pk__in=ids.values())
                .values_list("pk", "audience")) == {pk: code for code, pk in ids.items()}
    MigrationExecutor(connection).migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes())


# --- API ---------------------------------------------------------------------------------------

def test_api_takes_and_returns_several_audiences(curator):
    client = _signed_in(curator)

    created = _post(client, "/events", _event_body(audience=["mentors", "young", "mentors"]))

    assert created.status_code == 201, created.content
    assert created.json()["audience"] == ["mentors", "young"]
    assert Event.objects.get(pk=created.json()["id"]).audience == ["mentors", "young"]


def test_api_still_takes_one_audience_as_a_string(curator):
    created = _post(_signed_in(curator), "/events", _event_body(audience="deputy_heads"))

    assert created.json()["audience"] == ["deputy_heads"]


@pytest.mark.parametrize("audience", [[], ["pupils"], None, "=HYPERLINK(1)", [{"a": 1}],
                                      [["all"]], 10**20])
def test_api_refuses_an_empty_unknown_or_null_audience(curator, audience):
    response = _post(_signed_in(curator), "/events", _event_body(audience=audience))

    assert response.status_code == 422
    assert response.json()["code"]
    assert not Event.objects.filter(title="Форум наставников").exists()


def test_api_patch_replaces_the_list_and_history_keeps_both_lists(curator, municipality):
    event = EventFactory(municipality=municipality)

    response = _post(_signed_in(curator), f"/events/{event.pk}",
                     {"audience": ["mentees", "mentors"]}, method="patch")

    assert response.json()["audience"] == ["mentees", "mentors"]
    change = EventChange.objects.get(event=event, kind=EventChange.Kind.UPDATED)
    assert change.changes["audience"] == [["all"], ["mentees", "mentors"]]


def test_api_filters_events_by_one_of_their_audiences(curator, municipality):
    both = EventFactory(municipality=municipality, audience=["mentors", "young"])
    EventFactory(municipality=municipality, audience=["mentees"])
    EventFactory(municipality=municipality, audience=["all"])

    found = _signed_in(curator).get(f"{API}/events", {"audience": "young"}).json()["items"]

    assert [event["id"] for event in found] == [both.pk]


# --- admin, filters, pages ---------------------------------------------------------------------

def test_admin_saves_several_audiences_from_the_checkboxes(client, curator, municipality):
    event = EventFactory(municipality=municipality, starts_at=in_days(10))
    client.force_login(curator)

    response = client.post(f"/admin/events/event/{event.pk}/change/",
                           _event_form(event, audience=["young", "deputy_heads"]))

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.audience == ["young", "deputy_heads"]


def test_admin_list_filter_finds_an_event_by_any_of_its_audiences(client, curator,
                                                                  municipality):
    EventFactory(municipality=municipality, title="Для двоих", audience=["mentees", "young"])
    EventFactory(municipality=municipality, title="Для наставников", audience=["mentors"])
    client.force_login(curator)

    page = client.get("/admin/events/event/", {"audience": "young"}).content.decode()

    assert "Для двоих" in page and "Для наставников" not in page


def test_event_page_names_every_audience(client, municipality):
    event = EventFactory(municipality=municipality, audience=["mentors", "young"],
                         starts_at=in_days(5))

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert "наставники, молодые специалисты" in page


def test_service_refuses_an_unknown_audience_without_touching_the_database(municipality):
    event = EventFactory(municipality=municipality)

    with pytest.raises(services.Invalid):
        services.update_event(event, audience=["mentors", "pupils"])

    event.refresh_from_db()
    assert event.audience == ["all"]
