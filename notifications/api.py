"""REST endpoints of the outbox for staff: failed deliveries seen without the admin, and resent.

Curators (and superusers) only; every lookup is scoped to the user's municipality through the
recipient, so another municipality's notification is a 404. Resending calls services.resend.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from config.api_types import PathId
from config.errors import Forbidden
from notifications import services
from notifications.models import Notification
from notifications.schemas import NotificationFilters, NotificationOut
from participants import roles

router = Router(tags=["Уведомления"])


def _notifications(user):
    if not roles.can_manage(user):
        raise Forbidden(_("Доступно куратору муниципалитета."))
    return roles.scope(Notification.objects.select_related("recipient"), user,
                       "recipient__municipality")


@router.get("/notifications", response=list[NotificationOut], summary="Уведомления")
@paginate
def list_notifications(request, filters: Query[NotificationFilters]):
    """The outbox of the user's municipality, newest first; `status=failed` — what did not go."""
    rows = _notifications(request.auth)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("-scheduled_at", "-id")


@router.post("/notifications/{notification_id}/resend", response=NotificationOut,
             summary="Отправить уведомление снова")
def resend_notification(request, notification_id: PathId):
    """Send a failed or skipped notification again (same Message-ID); 409 for any other."""
    notification = get_object_or_404(_notifications(request.auth), pk=notification_id)
    return services.resend(notification, by=request.auth)
