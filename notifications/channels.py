"""Channels deliver a rendered notification; callers never name one, the outbox row does.

A channel is a small class registered under the name stored in `Notification.channel`. Adding
Telegram means a class with `address()` and `send()`, `register()`-ed, and a Channel choice.
"""

import abc
import email.utils
import smtplib
import zoneinfo
from email import encoders
from email.message import Message as HeaderParser
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from notifications.rendering import message_id

# SMTP replies to RCPT or DATA that mean this mailbox will not take mail, now or later:
# 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed.
MAILBOX_GONE = {550, 551, 553}


class PermanentFailure(Exception):
    """Sending again will not help. `bounced`: the address itself refuses mail."""

    def __init__(self, message, *, bounced=False):
        super().__init__(message)
        self.bounced = bounced


class Channel(abc.ABC):
    """Sends notifications of one kind of address. Any other exception means «try again later»."""

    name = ""

    @abc.abstractmethod
    def address(self, person):
        """Where this person is reached on this channel; empty when they cannot be."""

    def open(self):
        """Called before a batch: a channel may keep one connection for all of its messages."""
        return None

    def close(self):
        """Called after a batch, also after an error."""
        return None

    def reachable(self):
        """Whether the server answers now (after an outage); False when it cannot be told."""
        return False

    @abc.abstractmethod
    def send(self, notification, rendered):
        """Deliver one rendered notification; raise PermanentFailure when retrying is useless."""


class EmailChannel(Channel):
    name = "email"

    def __init__(self):
        self.connection = None

    def address(self, person):
        return person.email

    def open(self):
        # Opened by the first send and kept for the batch, so a batch is one SMTP session.
        # Opened here, not by send_messages(): a backend that opens a connection itself also
        # closes it after the message, and every letter paid for a new session.
        self.connection = get_connection(fail_silently=False)
        self.connection.open()

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def reachable(self):
        # A session that answers NOOP with 250; a backend without one (console) cannot say.
        try:
            self.open()
            session = getattr(self.connection, "connection", None)
            return session is not None and session.noop()[0] == 250
        except Exception:
            return False
        finally:
            self.close()

    def send(self, notification, rendered):
        email = build_email(notification, rendered)
        try:
            if self.connection is None:
                self.open()
            email.connection = self.connection
            email.send()
        except Exception as exc:
            # The session may be half-way through a command: start the next message afresh.
            self.close()
            failure = permanent_failure(exc)
            if failure is None:
                raise
            raise failure from exc


def build_email(notification, rendered, *, connection=None):
    """The e-mail of a notification: text, HTML alternative, attachment, unsubscribe headers."""
    email = EmailMultiAlternatives(
        subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email], connection=connection,
        headers={
            "Date": date_header(notification.recipient),
            "Message-ID": message_id(notification),
            "List-Unsubscribe": f"<{rendered.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
            "Auto-Submitted": "auto-generated",  # RFC 3834: no vacation auto-replies
        },
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    if rendered.attachment:
        email.attach(attachment_part(notification, rendered.attachment))
    return email


def date_header(person):
    """The sending time with a real offset: the person's municipality's, else the server's.

    Django writes "-0000" ("zone unknown", RFC 5322) unless EMAIL_USE_LOCALTIME, and some
    clients then show the letter hours off.
    """
    try:
        zone = zoneinfo.ZoneInfo(person.municipality.time_zone)
    except (AttributeError, zoneinfo.ZoneInfoNotFoundError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return email.utils.format_datetime(timezone.localtime(timezone.now(), zone))


def attachment_part(notification, content):
    """A MIME part that keeps the type's parameters, e.g. `text/calendar; method=REQUEST`."""
    parsed = HeaderParser()
    parsed["Content-Type"] = notification.attachment_type or "application/octet-stream"
    if parsed.get_content_maintype() == "text":
        part = MIMEText(content.decode("utf-8"), parsed.get_content_subtype(), "utf-8")
    else:
        part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
        part.set_payload(content)
        encoders.encode_base64(part)
    for key, value in parsed.get_params()[1:]:
        part.set_param(key, value)
    part.add_header("Content-Disposition", "attachment",
                    filename=notification.attachment_name or "attachment")
    return part


def permanent_failure(exc):
    """A refused mailbox or message as a PermanentFailure; None when a retry may succeed."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentFailure(f"адрес отклонён сервером: {exc.recipients}", bounced=True)
    elif isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return PermanentFailure(f"письмо отклонено сервером: {exc.smtp_code} {text}",
                                bounced=exc.smtp_code in MAILBOX_GONE)
    return None


_REGISTRY = {}


def register(channel_class):
    """Make a channel available under its name; usable as a class decorator."""
    _REGISTRY[channel_class.name] = channel_class
    return channel_class


def get_channel(name):
    """A fresh channel object for one batch."""
    return _REGISTRY[name]()


register(EmailChannel)
