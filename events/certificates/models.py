"""The certificate: a snapshot of what the paper says, a secret code, and its revocation."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import Municipality, Person

# Crockford's base32: no I, L, O, U, so a code read off paper is typed without ambiguity.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 26  # 26 × 5 = 130 bits from `secrets`: not guessable, whatever the brakes
GROUP = 5


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed):
    """The stored form of a code as a person may type it: any case, with dashes or spaces,
    O for 0 and I or L for 1. None when it cannot be a code at all."""
    text = "".join(str(typed or "").split()).replace("-", "").upper()
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(text) != CODE_LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def grouped(code):
    """«ABCDE-FGHJK-…»: the code as printed, in groups a person reads without losing place."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


class Certificate(models.Model):
    """A certificate for one person and one event, track or program.

    The texts are copied when it is issued: the paper and the verification page keep saying
    what was true then, even when the event is renamed or the person changes their name.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="certificates",
                                     verbose_name=_("муниципалитет"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certificates",
                               verbose_name=_("участник"))
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="certificates", verbose_name=_("мероприятие"))
    track = models.ForeignKey("events.Track", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="certificates", verbose_name=_("трек"))
    program = models.ForeignKey("events.Program", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="certificates",
                                verbose_name=_("программа"))
    number = models.PositiveIntegerField(_("регистрационный номер"))
    code = models.CharField(_("код проверки"), max_length=CODE_LENGTH, unique=True,
                            default=new_code, editable=False)
    holder_name = models.CharField(_("кому выдан"), max_length=500)
    holder_name_dative = models.CharField(_("кому выдан (дательный падеж)"), max_length=500,
                                          blank=True)
    activity = models.CharField(_("за участие в"), max_length=1000)
    period = models.CharField(_("сроки"), max_length=100)
    hours = models.DecimalField(_("академических часов"), max_digits=6, decimal_places=1)
    events_attended = models.PositiveIntegerField(_("посещено мероприятий"))
    issuer = models.CharField(_("выдан"), max_length=500)
    curator_name = models.CharField(_("куратор"), max_length=500, blank=True)
    issued_at = models.DateTimeField(_("выдан"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("кем выдан"))
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)
    revoked_reason = models.CharField(_("причина отзыва"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("кем отозван"))

    class Meta:
        verbose_name = _("сертификат")
        verbose_name_plural = _("сертификаты")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False, track__isnull=True, program__isnull=True)
                           | Q(event__isnull=True, track__isnull=False, program__isnull=True)
                           | Q(event__isnull=True, track__isnull=True, program__isnull=False)),
                name="certificate_one_subject",
            ),
            models.UniqueConstraint(fields=["municipality", "number"],
                                    name="certificate_unique_number"),
            # One valid certificate per person and subject; a revoked one may be issued anew.
            models.UniqueConstraint(fields=["person", "event"], condition=Q(revoked_at=None),
                                    name="certificate_unique_event"),
            models.UniqueConstraint(fields=["person", "track"], condition=Q(revoked_at=None),
                                    name="certificate_unique_track"),
            models.UniqueConstraint(fields=["person", "program"], condition=Q(revoked_at=None),
                                    name="certificate_unique_program"),
        ]

    def __str__(self):
        return f"№ {self.number} — {self.holder_name}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def printed_code(self):
        return grouped(self.code)

    @property
    def verify_path(self):
        return f"/certificates/{self.code}/"

    @property
    def verify_url(self):
        return settings.SITE_URL + self.verify_path

    @property
    def hours_text(self):
        from events.certificates.wording import hours_text

        return hours_text(self.hours)

    @property
    def issued_date(self):
        from events.formatting import format_date

        return format_date(self.issued_at, self.municipality.zone)
