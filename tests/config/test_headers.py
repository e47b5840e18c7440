"""Security headers: a strict Content-Security-Policy everywhere, no-store on pages with secrets."""

import datetime

import pytest
from django.utils import timezone

from participants.signin import user_for_person
from tests.factories import EventFactory, InvitationFactory, PersonFactory


def _directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/events/", "/signin/", "/admin/login/", "/api/v1/docs"])
def test_pages_carry_a_strict_content_security_policy(client, db, url):
    policy = _directives(client.get(url))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_api_docs_load_only_our_own_static_files(client, db):
    html = client.get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def _person_client(client, municipality):
    person = PersonFactory(municipality=municipality, email="anna@school.example")
    client.force_login(user_for_person(person))
    return person


def test_pages_with_secrets_are_not_stored(client, municipality, curator):
    person = _person_client(client, municipality)
    invitation = InvitationFactory(round__municipality=municipality, person=person)
    from notifications.services import ensure_preferences

    token = ensure_preferences([person])[person.pk].unsubscribe_token
    urls = ["/cabinet/", f"/s/{invitation.token}/", "/signin/link/?sesame=x",
            f"/notifications/preferences/{token}/", f"/notifications/unsubscribe/{token}/"]
    for url in urls:
        assert "no-store" in client.get(url).get("Cache-Control", ""), url
    now = timezone.now()
    event = EventFactory(municipality=municipality, starts_at=now,
                         ends_at=now + datetime.timedelta(hours=1))
    client.force_login(curator)
    assert "no-store" in client.get(f"/events/{event.pk}/checkin/")["Cache-Control"]
