"""What the outbox forgets of a person (registered with participants.erasure)."""

from notifications.models import Notification, Preference
from participants.erasure import scrub


def forget_person(traces):
    """Their letters keep kind, status and dates (counts); the rest goes. Letters to others
    that name them (a curator's digest) lose the mentions."""
    own = Notification.objects.filter(recipient_id=traces.person_id)
    if traces.erase:
        own.delete()
    own.filter(status__in=[Notification.Status.PENDING, Notification.Status.SENDING]).update(
        status=Notification.Status.CANCELLED, locked_until=None)
    own.update(context={}, attachment=None, attachment_name="", attachment_type="",
               last_error="")
    Preference.objects.filter(person_id=traces.person_id).update(bounced_email="")
    others = (Notification.objects.filter(recipient__municipality_id=traces.municipality_id)
              .exclude(recipient_id=traces.person_id).only("context", "last_error"))
    for row in others.iterator():
        context, error = scrub(row.context, traces), scrub(row.last_error, traces)
        if (context, error) != (row.context, row.last_error):
            row.context, row.last_error = context, error
            row.save(update_fields=["context", "last_error"])
