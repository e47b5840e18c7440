"""Schemas of the notifications API: what staff see of the outbox, without letters' bodies."""

import datetime

from ninja import Schema

from config.api_types import InSchema, named_choices
from notifications.models import Kind, Notification

NotificationStatus = named_choices("NotificationStatus", Notification.Status)
NotificationKind = named_choices("NotificationKind", Kind)


class NotificationOut(Schema):
    """A row of the outbox. Its context (links with tokens) and attachment are never shown."""

    id: int
    recipient_id: int
    recipient_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    channel: str
    attempts: int
    last_error: str
    scheduled_at: datetime.datetime
    expires_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    resent_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_recipient_name(obj):
        return obj.recipient.full_name

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())


class NotificationFilters(InSchema):
    status: NotificationStatus | None = None
    kind: NotificationKind | None = None
