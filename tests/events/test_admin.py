import datetime

from events.models import Event, EventChange
from tests.factories import EventFactory, in_days


def _event_form(event, **overrides):
    local = event.local_starts_at
    end = event.local_ends_at
    data = {
        "title": event.title, "form": event.form_id, "audience": event.audience,
        "starts_at_0": local.strftime("%d.%m.%Y"), "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d.%m.%Y"), "ends_at_1": end.strftime("%H:%M:%S"),
        "academic_hours": "2", "status": event.status, "address": event.address,
        "municipality": event.municipality_id,
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_reschedule_goes_through_the_service(client, curator, municipality):
    event = EventFactory(municipality=municipality, starts_at=in_days(10))
    client.force_login(curator)
    later = event.local_starts_at + datetime.timedelta(days=1)
    data = _event_form(event, starts_at_0=later.strftime("%d.%m.%Y"),
                       ends_at_0=(event.local_ends_at + datetime.timedelta(days=1))
                       .strftime("%d.%m.%Y"))
    response = client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.starts_at == in_days(11)
    assert event.sequence == 1
    change = EventChange.objects.get(event=event, kind=EventChange.Kind.RESCHEDULED)
    assert change.changed_by == curator
    assert "starts_at" in change.changes


def test_admin_hides_another_municipalitys_events(client, curator, other_municipality):
    foreign = EventFactory(municipality=other_municipality, title="Чужой семинар")
    client.force_login(curator)
    listing = client.get("/admin/events/event/")
    assert listing.status_code == 200
    assert "Чужой семинар" not in listing.content.decode()
    page = client.get(f"/admin/events/event/{foreign.pk}/change/")
    assert page.status_code == 302  # the admin's "does not exist" redirect
    assert Event.objects.filter(pk=foreign.pk).exists()


def test_admin_cancel_action_keeps_the_event_as_cancelled(client, curator, municipality):
    event = EventFactory(municipality=municipality)
    client.force_login(curator)
    response = client.post("/admin/events/event/", {
        "action": "cancel_events", "_selected_action": [event.pk],
    })
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1


def test_superuser_reads_and_types_event_times_in_the_events_zone(client, superuser,
                                                                  municipality, settings):
    settings.TIME_ZONE = "Europe/Moscow"  # the server's zone is not the event's
    event = EventFactory(municipality=municipality, starts_at=in_days(10, hour=5),
                         ends_at=in_days(10, hour=7))  # 15:00–17:00 in Vladivostok
    client.force_login(superuser)

    page = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    listing = client.get("/admin/events/event/").content.decode()
    later = event.local_starts_at + datetime.timedelta(hours=1)
    response = client.post(f"/admin/events/event/{event.pk}/change/", _event_form(
        event, starts_at_1=later.strftime("%H:%M:%S")))

    assert 'value="15:00:00"' in page
    assert "15:00 (Владивосток, UTC+10)" in listing
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.starts_at == in_days(10, hour=6)
