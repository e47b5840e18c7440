"""A real SMTP round trip: what arrives at a local SMTP server is well-formed Russian MIME."""

import datetime
import re

import icalendar
import pytest

from notifications.delivery import deliver_due
from notifications.models import Preference
from notifications.services import enqueue

pytestmark = pytest.mark.django_db


def invitation():
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Школа наставничества//test//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", "event-12@school.example")
    event.add("summary", "Семинар «Современный урок»")
    event.add("dtstart", datetime.datetime(2026, 4, 14, 5, 0, tzinfo=datetime.UTC))
    event.add("dtend", datetime.datetime(2026, 4, 14, 7, 0, tzinfo=datetime.UTC))
    event.add("sequence", 0)
    calendar.add_component(event)
    return calendar.to_ical()


def deliver_one(person, notice, smtp_server, **fields):
    enqueue([notice(person, **fields)])
    assert deliver_due().sent == 1
    [raw] = smtp_server.mailbox.raw
    [message] = smtp_server.mailbox.messages
    return raw, message


def test_smtp_message_has_encoded_russian_subject(person, notice, smtp_server):
    raw, message = deliver_one(person, notice, smtp_server)

    header = re.search(rb"^Subject:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", raw, re.MULTILINE).group(1)
    assert header.isascii() and header.lower().count(b"=?utf-8?") >= 1
    # Python folds the long header onto the next line; its parser keeps that line's indent.
    assert message["Subject"].strip() == (
        "Напоминание: «Современный урок» — завтра в 15:00 (Владивосток)")
    assert message["To"] == "maria@school.example"


def test_smtp_message_has_text_and_html_parts_and_unsubscribe_headers(person, notice,
                                                                      smtp_server):
    _raw, message = deliver_one(person, notice, smtp_server)

    token = Preference.objects.get(person=person).unsubscribe_token
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert message.get_content_type() == "multipart/alternative"
    assert "Здравствуйте, Мария Петровна!" in text
    assert "<strong>«Современный урок»</strong>" in html
    assert message["List-Unsubscribe"].strip() == (  # folded onto its own line
        f"<https://school.example/notifications/unsubscribe/{token}/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<notification.")


def test_smtp_message_carries_a_parseable_ics_attachment(person, notice, smtp_server):
    _raw, message = deliver_one(
        person, notice, smtp_server, attachment_name="event.ics",
        attachment_type="text/calendar; method=REQUEST", attachment=invitation())

    [attachment] = list(message.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert message.get_content_type() == "multipart/mixed"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "event.ics"
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["SUMMARY"]) == "Семинар «Современный урок»"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
