"""The demo's letters stay in the outbox unsent: hundreds of invitations to invented people
would bury the console of `make run` and reach nobody (their domain is reserved)."""

from django.conf import settings
from django.urls import reverse

from notifications import services
from notifications.models import Kind, Notification

REASON = "демо-данные: письмо сохранено, но не отправлялось"


def finish(since, stdout=None):
    """Set aside what the demo wrote since `since`; one line says how many and where they are."""
    counts = services.set_aside(created_since=since, reason=REASON)
    if stdout and counts:
        stdout.write(summary(counts))


def summary(counts):
    total = sum(counts.values())
    kinds = ", ".join(f"{Kind(kind).label} — {n}"
                      for kind, n in sorted(counts.items(), key=lambda kn: (-kn[1], kn[0])))
    url = (settings.SITE_URL + reverse("admin:notifications_notification_changelist")
           + f"?status__exact={Notification.Status.SKIPPED}")
    return (f"Письма демо ({total}: {kinds}) сохранены в исходящих и не отправляются; "
            f"их список — «Уведомления» в управлении: {url}")
