"""The public verification page in a real browser: readable on a phone, accessible, strict CSP."""

import pytest
from playwright.sync_api import expect

from events.certificates import services
from tests.events.certificates.conftest import attend, held, maria, track  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_anyone_checks_a_certificate_by_its_qr_address(  # fixtures of tests/events/certificates
        page, live_server, maria, held, track, shot, assert_accessible):  # noqa: F811
    attend(maria, held)
    certificate = services.issue(maria, track=track)
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto(f"{live_server.url}/certificates/{certificate.printed_code}/")

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"№ {certificate.number}")
    expect(page.get_by_text("Сертификат подлинный")).to_be_visible()
    expect(page.get_by_text("Иванова Мария Петровна")).to_be_visible()
    assert_accessible(page)
    shot(page, "genuine")

    services.revoke(certificate, reason="ошибка")
    page.reload()
    expect(page.get_by_text("Сертификат отозван и недействителен")).to_be_visible()
    assert_accessible(page)
    shot(page, "revoked")
    assert not errors
