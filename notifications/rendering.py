"""A notification as the person reads it: subject, plain text and HTML from its templates."""

import hashlib
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from notifications.models import Kind


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str  # empty when the template has no body.html
    unsubscribe_url: str
    preferences_url: str
    attachment: bytes | None = None


def attachment_content(notification):
    """The attachment's bytes: kept in the row, or made now by its source (an invitation's
    `.ics` is made when the letter is sent, from the event as it is then)."""
    if notification.attachment is not None:
        return bytes(notification.attachment)
    if notification.attachment_source:
        return import_string(notification.attachment_source)(**notification.attachment_args)
    return None


def recipient_name(person):
    """How a letter greets the person: «Мария Петровна», the polite Russian address."""
    polite = " ".join(part for part in (person.first_name, person.patronymic) if part)
    return polite or person.full_name


def unsubscribe_url(preference):
    return settings.SITE_URL + reverse("notifications:unsubscribe",
                                       args=[preference.unsubscribe_token])


def preferences_url(preference):
    return settings.SITE_URL + reverse("notifications:preferences",
                                       args=[preference.unsubscribe_token])


def _absolute(value, site_url):
    """Links of a context made absolute with one site address: the footer's.

    Callers snapshot site paths ("/events/5/") into `*_url` keys (and `url` in rows); the address
    is added only now, so a letter's body and its unsubscribe footer never name two sites.
    """
    if isinstance(value, dict):
        return {key: (site_url + item if _is_site_path(key, item) else _absolute(item, site_url))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_absolute(item, site_url) for item in value]
    return value


def _is_site_path(key, value):
    return ((key == "url" or key.endswith("_url")) and isinstance(value, str)
            and value.startswith("/") and not value.startswith("//"))


def message_id(notification):
    """A Message-ID that depends only on the deduplication key.

    A message sent again after a crash (see delivery.recover_stuck) carries the same Message-ID,
    so mail clients and servers that de-duplicate by it show one letter. Hashed, so that the
    key's ids do not show in the header.
    """
    digest = hashlib.sha256(notification.dedup_key.encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification.{digest}@{domain}>"


def render(notification, preference):
    """Render the notification's templates with its context snapshot and the per-person links."""
    person = notification.recipient
    context = {
        **_absolute(notification.context, settings.SITE_URL),
        "recipient_name": recipient_name(person),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(preference),
        "preferences_url": preferences_url(preference),
    }
    if notification.kind == Kind.SIGNIN_LINK:
        # Minted now, not stored: the outbox row holds no working sign-in token.
        from participants.signin import link_url

        context["signin_url"] = link_url(person, notification.context.get("next", ""))
    folder = f"notifications/{notification.template}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{folder}/subject.txt", context)
        text = render_to_string(f"{folder}/body.txt", context)
        try:
            html = render_to_string(f"{folder}/body.html", context)
        except TemplateDoesNotExist:
            html = ""
    # A header is one line: a template's trailing newline or a wrapped line must not split it.
    subject = " ".join(subject.split())
    return Rendered(subject=subject, text=text.strip() + "\n", html=html,
                    unsubscribe_url=context["unsubscribe_url"],
                    preferences_url=context["preferences_url"],
                    attachment=attachment_content(notification))
