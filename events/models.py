"""The school's roadmap: programs, tracks, events, registrations, attendance, change history."""

import datetime
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from participants.models import Municipality, Organisation, Person, Topic

# Reminders before an event starts when its program says nothing else: the day before, an hour.
DEFAULT_REMINDERS = (datetime.timedelta(hours=24), datetime.timedelta(hours=1))


class Program(models.Model):
    """A school of mentoring program, e.g. «Мастер-мастеру»."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="programs",
        verbose_name=_("муниципалитет"),
    )
    name = models.CharField(_("название"), max_length=255)
    description = models.TextField(_("миссия, цель, задачи"), blank=True)
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("окончание"))
    curator = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="curated_programs",
        verbose_name=_("куратор"),
    )
    early_reminder = models.DurationField(
        _("первое напоминание, за"), null=True, blank=True, default=DEFAULT_REMINDERS[0],
        help_text=_("до начала мероприятия, например «1 00:00:00» — за сутки; пусто — не "
                    "напоминать"),
    )
    late_reminder = models.DurationField(
        _("второе напоминание, за"), null=True, blank=True, default=DEFAULT_REMINDERS[1],
        help_text=_("например «01:00:00» — за час; пусто — не напоминать"),
    )
    # Feeds show the name: their validators read this (events.calendar.feed_state).
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="program_unique_name"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="program_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(early_reminder__isnull=True)
                           | Q(early_reminder__gt=datetime.timedelta(0)))
                & (Q(late_reminder__isnull=True) | Q(late_reminder__gt=datetime.timedelta(0))),
                name="program_reminders_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def reminders(self):
        """How long before an event its reminders go out; an empty field means none."""
        return tuple(offset for offset in (self.early_reminder, self.late_reminder) if offset)


class Track(models.Model):
    """A track of the roadmap: a theme over a period of months with its forms of work."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("программа")
    )
    number = models.PositiveSmallIntegerField(_("номер"))
    theme = models.CharField(_("тема"), max_length=500)
    start_date = models.DateField(_("начало периода"))
    end_date = models.DateField(_("конец периода"))
    description = models.TextField(_("описание"), blank=True)
    responsible = models.ManyToManyField(
        Person, blank=True, related_name="responsible_tracks", verbose_name=_("ответственные")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="tracks",
                                    verbose_name=_("темы"))
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    is_draft = models.BooleanField(
        _("черновик"), default=False,
        help_text=_("предложен по затруднениям наставляемых и ещё не утверждён куратором"))

    class Meta:
        verbose_name = _("трек")
        verbose_name_plural = _("треки")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="track_unique_number"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="track_dates_ordered"),
        ]

    def __str__(self):
        return _("%(number)s трек: «%(theme)s»") % {"number": self.number, "theme": self.theme}


class EventFormQuerySet(models.QuerySet):
    def usable_in(self, municipality):
        """The shared forms and the municipality's own."""
        return self.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


class EventForm(models.Model):
    """A form of work (семинар, мастер-класс …). Without a municipality it is the shared
    vocabulary, which only a superuser changes; with one, that municipality's own form
    («мониторинг», «форум»), which its curator adds and renames."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True,
        related_name="event_forms", verbose_name=_("муниципалитет"),
        help_text=_("пусто — общая форма для всех муниципалитетов"),
    )
    name = models.CharField(_("название"), max_length=255)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = EventFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("форма мероприятия")
        verbose_name_plural = _("формы мероприятий")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(municipality__isnull=True),
                                    name="event_form_unique_shared_name"),
            models.UniqueConstraint(fields=["municipality", "name"],
                                    name="event_form_unique_name_per_municipality"),
        ]

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def with_counts(self):
        """Registered, waitlisted and attended counts in the same query."""
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(
                registrations__status=Registration.Status.CONFIRMED), distinct=True),
            waitlisted_count=Count("registrations", filter=Q(
                registrations__status=Registration.Status.WAITLISTED), distinct=True),
            attended_count=Count("attendances", filter=Q(attendances__present=True),
                                 distinct=True),
            walk_in_count=Count("attendances", filter=Q(attendances__present=True,
                                                        attendances__is_walk_in=True),
                                distinct=True),
        )

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def for_audience(self, code):
        """Events one of whose audiences is `code`."""
        if connections[self.db].features.supports_json_field_contains:
            return self.filter(audience__contains=[code])
        # SQLite has no JSON containment: match the quoted code in the list's text; codes are
        # plain words, none a part of another in quotes.
        return self.filter(audience__icontains=f'"{code}"')


class Audience(models.TextChoices):
    """For whom an event or a plan item is: an event may be for several of these at once."""

    ALL_TEACHERS = "all", _("все педагоги")
    YOUNG_SPECIALISTS = "young", _("молодые специалисты")
    MENTORS = "mentors", _("наставники")
    MENTEES = "mentees", _("наставляемые")
    DEPUTY_HEADS = "deputy_heads", _("заместители директоров")


def validate_audience(value):
    """A list of distinct Audience codes."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Укажите список значений «для кого»."), code="invalid")
    unknown = [code for code in value if code not in Audience.values]
    if unknown:
        raise ValidationError(_("Неизвестные значения «для кого»: %(codes)s.")
                              % {"codes": ", ".join(unknown)}, code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError(_("Значения «для кого» повторяются."), code="duplicate")


def audience_labels(codes):
    """«наставники, молодые специалисты»: the codes in words, in the order given."""
    labels = dict(Audience.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ())


def default_audience():
    return [Audience.ALL_TEACHERS.value]


class AudienceField(models.JSONField):
    """Several Audience codes kept as a JSON list; forms show them as checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_audience])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("validators") == [validate_audience]:
            del kwargs["validators"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=Audience.choices, required=not self.blank,
            widget=forms.CheckboxSelectMultiple, label=capfirst(self.verbose_name),
            help_text=self.help_text, **{k: v for k, v in kwargs.items() if k == "initial"})


def new_checkin_code():
    # Short enough to type from a projector; it only works for registered people signed in.
    return f"{secrets.randbelow(10**6):06d}"


class Event(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        CANCELLED = "cancelled", _("отменено")

    Audience = Audience

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="events",
        verbose_name=_("муниципалитет"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("программа"),
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("трек"),
    )
    title = models.CharField(_("название"), max_length=500)
    description = models.TextField(_("описание"), blank=True)
    form = models.ForeignKey(EventForm, on_delete=models.PROTECT, related_name="events",
                             verbose_name=_("форма"))
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    venue = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("место (школа)"),
    )
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    room = models.CharField(_("аудитория"), max_length=100, blank=True)
    online_url = models.URLField(_("ссылка на трансляцию"), blank=True)
    capacity = models.PositiveIntegerField(_("мест"), null=True, blank=True,
                                           help_text=_("пусто — без ограничения"))
    registration_opens_at = models.DateTimeField(_("запись открывается"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("запись закрывается"), null=True, blank=True)
    responsible = models.ManyToManyField(Person, blank=True, related_name="responsible_events",
                                         verbose_name=_("ответственные"))
    audience = AudienceField(_("для кого"), default=default_audience)
    topics = models.ManyToManyField(Topic, blank=True, related_name="events",
                                    verbose_name=_("темы"))
    academic_hours = models.DecimalField(_("академических часов"), max_digits=5,
                                         decimal_places=1, default=0)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED)
    sequence = models.PositiveIntegerField(_("версия для календарей"), default=0, editable=False)
    # Feeds keep a cancelled event for a while after this moment, so every client hears of it.
    cancelled_at = models.DateTimeField(_("когда отменено"), null=True, blank=True,
                                        editable=False)
    series_id = models.UUIDField(_("серия"), null=True, blank=True, db_index=True)
    checkin_code = models.CharField(_("код отметки"), max_length=6, default=new_checkin_code)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                                   name="event_capacity_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def no_show_count(self):
        """Registered (confirmed) people who did not come; needs with_counts()."""
        return self.confirmed_count - (self.attended_count - self.walk_in_count)

    @property
    def audience_display(self):
        """«наставники, молодые специалисты»."""
        return audience_labels(self.audience)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.municipality.zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.municipality.zone)

    @property
    def reminders(self):
        """The program's reminder offsets, or the defaults for an event without a program."""
        return self.program.reminders if self.program_id else DEFAULT_REMINDERS

    @property
    def place(self):
        """Where, in words: school, address, room; the online link when there is one."""
        return place_text(str(self.venue) if self.venue_id else "", self.address, self.room)


def place_text(venue, address, room):
    """«МБОУ СОШ № 1, ул. Кирова, 8, ауд. 12»: also for a place an event had before a change."""
    parts = [venue or "", address or "", _("ауд. %(room)s") % {"room": room} if room else ""]
    return ", ".join(str(p) for p in parts if p)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("записан")
        WAITLISTED = "waitlisted", _("в листе ожидания")
        CANCELLED = "cancelled", _("отменена")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("мероприятие"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations",
                               verbose_name=_("участник"))
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices)
    # The place in the waiting list: the time the person joined it, kept when they are promoted.
    queued_at = models.DateTimeField(_("в очереди с"), default=timezone.now)
    # Added to the event's SEQUENCE in this person's feed and invitations: a promotion or a
    # cancellation is a new version of the event for them alone.
    sequence = models.PositiveIntegerField(_("версия для календаря участника"), default=0,
                                           editable=False)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("кем записан"))

    class Meta:
        verbose_name = _("запись на мероприятие")
        verbose_name_plural = _("записи на мероприятия")
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_unique"),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self):
        return f"{self.person} — {self.event} ({self.get_status_display()})"


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances",
                              verbose_name=_("мероприятие"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances",
                               verbose_name=_("участник"))
    present = models.BooleanField(_("присутствовал"), default=True)
    is_walk_in = models.BooleanField(_("пришёл без записи"), default=False)
    self_checked_in = models.BooleanField(_("отметился сам"), default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("кто отметил"))
    marked_at = models.DateTimeField(_("когда отмечено"), default=timezone.now)

    class Meta:
        verbose_name = _("посещение")
        verbose_name_plural = _("посещаемость")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.event}"


class SheetClosure(models.Model):
    """«Лист закрыт»: the curator has checked the attendance sheet of an event. Staff may still
    correct it afterwards; each correction is then kept in the event's change history."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="sheet_closure",
                                 verbose_name=_("мероприятие"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("кто закрыл"))
    closed_at = models.DateTimeField(_("когда закрыт"), default=timezone.now)

    class Meta:
        verbose_name = _("закрытие листа посещаемости")
        verbose_name_plural = _("закрытые листы посещаемости")

    def __str__(self):
        return f"{self.event}: {self.closed_at:%d.%m.%Y %H:%M}"


class EventChange(models.Model):
    """Who changed what in an event and when; the history a curator can read."""

    class Kind(models.TextChoices):
        CREATED = "created", _("создано")
        UPDATED = "updated", _("изменено")
        RESCHEDULED = "rescheduled", _("перенесено")
        CANCELLED = "cancelled", _("отменено")
        SHEET_CLOSED = "sheet_closed", _("лист посещаемости закрыт")
        ATTENDANCE = "attendance", _("посещаемость исправлена после закрытия листа")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes",
                              verbose_name=_("мероприятие"))
    kind = models.CharField(_("что произошло"), max_length=16, choices=Kind.choices)
    changes = models.JSONField(_("изменения"), default=dict, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("кто изменил"))
    changed_at = models.DateTimeField(_("когда"), default=timezone.now)

    class Meta:
        verbose_name = _("изменение мероприятия")
        verbose_name_plural = _("история изменений")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.event}: {self.get_kind_display()}"


def new_feed_token():
    return secrets.token_urlsafe(24)  # 192 bits


class CalendarFeed(models.Model):
    """A person's secret feed URL; revoking it issues a new token, the old one stops working."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed",
                                  verbose_name=_("участник"))
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("выдан"), auto_now=True)

    class Meta:
        verbose_name = _("личный календарь")
        verbose_name_plural = _("личные календари")

    def __str__(self):
        return str(self.person)


class CalendarIdentity(models.Model):
    """The domain of calendar UIDs (`event-5@<domain>`), fixed once per installation.

    Not the site's address: moving the site must not re-identify every event in every calendar,
    and two installations must not share UIDs. The first migration stores it (see migration
    0006); one row.
    """

    uid_domain = models.CharField(_("домен UID календарей"), max_length=255)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("идентичность календарей")
        verbose_name_plural = _("идентичность календарей")

    def __str__(self):
        return self.uid_domain


# Certificates and the plan keep their models in their own packages; imported here so Django
# registers them with this app.
from events.certificates.models import Certificate  # noqa: E402,F401
from events.plan.models import PlanImport, PlanItem, PlanResponsible  # noqa: E402,F401
