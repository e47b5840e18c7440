import pytest
from django.test import Client

from events.certificates import services
from events.certificates.models import Certificate
from tests.events.certificates.conftest import attend
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_track_action_issues_a_batch_pdf(curator, municipality, held, track):
    for name in ("Астахова", "Борисов"):
        attend(PersonFactory(municipality=municipality, last_name=name), held)

    response = signed_in(curator).post("/admin/events/track/", {
        "action": "issue_for_tracks", "_selected_action": [track.pk]})

    assert response["Content-Type"] == "application/pdf"
    assert Certificate.objects.filter(track=track).count() == 2


def test_curator_revokes_in_admin(curator, maria, held, track):
    attend(maria, held)
    certificate = services.issue(maria, track=track)

    signed_in(curator).post("/admin/events/certificate/", {
        "action": "revoke", "_selected_action": [certificate.pk]})

    assert Certificate.objects.get(pk=certificate.pk).is_revoked


def test_another_municipalitys_curator_gets_404(other_curator, maria, held, track):
    attend(maria, held)
    certificate = services.issue(maria, track=track)
    client = signed_in(other_curator)

    page = client.get(f"/admin/events/certificate/{certificate.pk}/change/")
    listed = client.get("/admin/events/certificate/").content.decode()
    client.post("/admin/events/certificate/", {"action": "revoke",
                                               "_selected_action": [certificate.pk]})

    assert page.status_code in (302, 404)  # the admin redirects a missing object to its list
    assert "Иванова Мария" not in listed
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked
