"""notifications.smtp_backend.wire_bytes writes exactly the bytes Django's as_bytes would.

It skips compat32's folding for headers that need none; any header it should not have skipped
would show here as a difference, byte for byte, against the email package's own output.
"""

import pytest
from django.core.mail import EmailMultiAlternatives

from notifications.channels import build_email
from notifications.delivery import render
from notifications.models import Notification
from notifications.services import enqueue, ensure_preferences
from notifications.smtp_backend import wire_bytes
from tests.notifications.test_smtp import invitation

pytestmark = pytest.mark.django_db

HOSTILE = [
    "", "x", "Семинар «Современный урок»", "=HYPERLINK(\"http://x\")", "a  b", " lead",
    "trail ", "tab\there", "12345678901234567890", "😀 emoji", "שלום RTL", "x" * 66, "x" * 67,
    "y" * 200, "word " * 30, "Наставничество " * 12, "mixed ascii и кириллица " * 4,
]


def django_bytes(message):
    return message.as_bytes(linesep="\r\n")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_headers_come_out_as_the_email_package_writes_them(value):
    email = EmailMultiAlternatives(
        subject=value, body=f"{value}\n", from_email=f"{value} <noreply@school.example>"
        if value.strip() and "\"" not in value else "noreply@school.example",
        to=["maria@school.example"],
        headers={"X-Value": value, "List-Unsubscribe": f"<https://school.example/{value}>",
                 "Message-ID": "<notification.0123456789abcdef@school.example>"})
    email.attach_alternative(f"<p>{value}</p>", "text/html")
    message = email.message()

    assert wire_bytes(message) == django_bytes(message)


def test_a_letter_with_its_invitation_is_written_as_the_email_package_writes_it(person, notice):
    enqueue([notice(person, attachment=invitation(), attachment_name="event.ics",
                    attachment_type="text/calendar; method=REQUEST")])
    row = Notification.objects.select_related("recipient__municipality").get()
    preference = ensure_preferences([person])[person.pk]
    message = build_email(row, render(row, preference)).message()

    written = wire_bytes(message)

    assert written == django_bytes(message)
    assert b"Content-Type: text/calendar; charset=\"utf-8\"; method=\"REQUEST\"" in written
