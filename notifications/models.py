"""The outbox: every message to send is a row written with the change that caused it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Person


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Notification.Status.PENDING,
                           scheduled_at__lte=now or timezone.now())


class Kind(models.TextChoices):
    """What a message is about; a person mutes kinds, the labels are what they see."""

    REGISTRATION_CONFIRMED = "registration_confirmed", _("подтверждение записи на мероприятие")
    REGISTRATION_WAITLISTED = "registration_waitlisted", _("запись в лист ожидания")
    REGISTRATION_PROMOTED = "registration_promoted", _("место освободилось — вы записаны")
    REGISTRATION_CANCELLED = "registration_cancelled", _("отмена записи")
    EVENT_CHANGED = "event_changed", _("изменения в мероприятии")
    EVENT_CANCELLED = "event_cancelled", _("отмена мероприятия")
    EVENT_REMINDER = "event_reminder", _("напоминания о мероприятиях")
    SURVEY_INVITATION = "survey_invitation", _("приглашения ответить на анкету")
    SURVEY_REMINDER = "survey_reminder", _("напоминания об анкетах")
    CURATOR_DIGEST = "curator_digest", _("ежедневная сводка куратора")
    SIGNIN_LINK = "signin_link", _("ссылка для входа")
    FLASH_CHOICE = "flash_choice", _("выбор после флеш-наставничества")
    MENTORING_PAIR = "mentoring_pair", _("сформирована наставническая пара")
    CERTIFICATE_ISSUED = "certificate_issued", _("сертификат готов")
    PRACTICE_RETURNED = "practice_returned", _("практика возвращена на доработку")
    PRACTICE_ACCEPTED = "practice_accepted", _("практика принята")


# Letters the person asked for themselves: sent even to someone who muted everything, and
# before consent to processing is given (a sign-in link is how they reach the consent page).
REQUESTED_KINDS = frozenset({Kind.SIGNIN_LINK})


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не удалось отправить")
        CANCELLED = "cancelled", _("отменено")
        SKIPPED = "skipped", _("не отправлялось")

    class Channel(models.TextChoices):
        EMAIL = "email", _("электронная почта")

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("получатель"))
    channel = models.CharField(_("канал"), max_length=16, choices=Channel.choices,
                               default=Channel.EMAIL)
    kind = models.CharField(_("вид"), max_length=64, choices=Kind.choices, db_index=True)
    # What the message is about, e.g. "event:12": lets the caller replace or cancel the
    # pending messages of one object (reminders of a moved event) without knowing their keys.
    subject_key = models.CharField(_("о чём"), max_length=100, blank=True, db_index=True)
    dedup_key = models.CharField(_("ключ повтора"), max_length=255, unique=True)
    template = models.CharField(_("шаблон"), max_length=100)
    context = models.JSONField(_("данные письма"), default=dict)
    attachment_name = models.CharField(_("вложение"), max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    # An attachment made when the letter is sent, not when it is queued: the dotted path of a
    # function of `attachment_args` that returns its bytes (the `.ics` of an invitation). The
    # caller's app owns the function, so the outbox needs to know nothing of events.
    attachment_source = models.CharField(max_length=200, blank=True)
    attachment_args = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    scheduled_at = models.DateTimeField(_("отправить не раньше"), default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    # The worker process holding the row ("host:pid"): a sweep on the same host need not wait
    # for the lease of a worker it can see is dead.
    claimed_by = models.CharField(max_length=100, blank=True)
    # Not worth sending from this moment (a reminder once its event has started): skipped.
    expires_at = models.DateTimeField(_("не отправлять после"), null=True, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    resent_at = models.DateTimeField(_("отправлено снова"), null=True, blank=True)
    resent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("кем отправлено снова"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="notification_due",
                         condition=Q(status__in=["pending", "sending"])),
            # Rows waiting out a backoff: moved up at once when the server answers again.
            models.Index(fields=["scheduled_at"], name="notification_retrying",
                         condition=Q(status="pending", attempts__gt=0)),
            # What is not sent yet about one object for some people (cancel_pending: a
            # cancelled registration, a moved event), without reading the rest of its outbox.
            models.Index(fields=["subject_key", "recipient"], name="notification_pending_about",
                         condition=Q(status="pending")),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


def new_unsubscribe_token():
    return secrets.token_urlsafe(24)


class Preference(models.Model):
    """What a person wants to receive, and whether their address still works."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE,
                                  related_name="notification_preference",
                                  verbose_name=_("участник"))
    muted_kinds = models.JSONField(_("не присылать"), default=list, blank=True)
    unsubscribed_all = models.BooleanField(_("отписан от всех писем"), default=False)
    email_bounced_at = models.DateTimeField(_("адрес не принимает почту с"), null=True,
                                            blank=True)
    # The address that bounced: once the person's e-mail is corrected, the mark no longer applies.
    bounced_email = models.EmailField(_("недоступный адрес"), blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True,
                                         default=new_unsubscribe_token, editable=False)

    class Meta:
        verbose_name = _("настройки уведомлений")
        verbose_name_plural = _("настройки уведомлений")

    def __str__(self):
        return str(self.person)

    def is_bounced(self, email):
        """Whether mail to this address was refused for good (an older mark names no address)."""
        if self.email_bounced_at is None:
            return False
        return not self.bounced_email or self.bounced_email.lower() == (email or "").lower()
