"""Plan items, their responsible people and uploaded plan tables.

Imported at the end of events/models.py, so Django registers them in the events app.
"""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import AudienceField, Event, EventForm, Program, Track
from participants.models import Organisation, Person


class PeriodKind(models.TextChoices):
    # Each kind keeps its meaning; starts_on/ends_on give every kind dates to sort and feed by.
    DAY = "day", _("дата")
    RANGE = "range", _("период")
    MONTH = "month", _("месяц")
    DEADLINE = "deadline", _("срок «до»")
    WHOLE = "whole", _("весь период программы")


class PlanItemQuerySet(models.QuerySet):
    def in_order(self):
        """By start date (the program's for «весь период»), then number, then id."""
        start = models.functions.Coalesce("starts_on", "program__start_date")
        return self.annotate(sort_start=start).order_by("sort_start", "number", "pk")

    def overlapping(self, start, end):
        """Items whose period meets [start, end]; None leaves that side open."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(Q(ends_on__gte=start)
                                       | Q(ends_on__isnull=True, program__end_date__gte=start))
        if end is not None:
            queryset = queryset.filter(Q(starts_on__lte=end)
                                       | Q(starts_on__isnull=True, program__start_date__lte=end))
        return queryset


class PlanItem(models.Model):
    """One numbered line of a program's plan of events."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        DONE = "done", _("выполнено")
        POSTPONED = "postponed", _("перенесено")
        NOT_DONE = "not_done", _("не выполнено")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_items",
                                verbose_name=_("программа"))
    track = models.ForeignKey(Track, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="plan_items", verbose_name=_("трек"))
    number = models.PositiveIntegerField(_("№"), null=True, blank=True)
    title = models.CharField(_("мероприятие"), max_length=1000)
    period_kind = models.CharField(_("вид срока"), max_length=16, choices=PeriodKind.choices)
    # Empty only for «весь период»: those dates are the program's, read when needed.
    starts_on = models.DateField(_("с"), null=True, blank=True)
    ends_on = models.DateField(_("по"), null=True, blank=True)
    at_time = models.TimeField(_("время"), null=True, blank=True,
                               help_text=_("для даты со временем, по времени муниципалитета"))
    period_text = models.CharField(_("срок, как в плане"), max_length=200, blank=True)
    form = models.ForeignKey(EventForm, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="plan_items", verbose_name=_("форма"))
    audience = AudienceField(_("участники"), default=list, blank=True,
                             help_text=_("для кого, как у мероприятий"))
    audience_note = models.CharField(_("участники (текстом)"), max_length=500, blank=True)
    events = models.ManyToManyField(Event, blank=True, related_name="plan_items",
                                    verbose_name=_("мероприятия"))
    status = models.CharField(_("исполнение"), max_length=16, choices=Status.choices,
                              default=Status.PLANNED)
    status_note = models.TextField(_("примечание об исполнении"), blank=True)
    evidence_url = models.URLField(_("подтверждение (ссылка)"), max_length=500, blank=True)
    evidence_file = models.FileField(_("подтверждение (файл)"), upload_to="plan-evidence/%Y/%m/",
                                     max_length=300, blank=True)
    sequence = models.PositiveIntegerField(_("версия для календарей"), default=0, editable=False)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("план мероприятий")
        ordering = ["program", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="plan_item_unique_number"),
            models.CheckConstraint(
                condition=(Q(period_kind=PeriodKind.WHOLE, starts_on__isnull=True,
                             ends_on__isnull=True)
                           | (~Q(period_kind=PeriodKind.WHOLE) & Q(starts_on__isnull=False,
                                                                    ends_on__isnull=False,
                                                                    ends_on__gte=models.F(
                                                                        "starts_on")))),
                name="plan_item_period_dates",
                violation_error_message=_("Даты срока не соответствуют его виду: у «весь "
                                          "период» дат нет, у остальных конец не раньше "
                                          "начала."),
            ),
            models.CheckConstraint(
                condition=Q(at_time__isnull=True) | Q(period_kind=PeriodKind.DAY),
                name="plan_item_time_only_on_day",
                violation_error_message=_("Время указывается только для срока-даты."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def start(self):
        """The first day of the item: its own, or the program's for «весь период»."""
        return self.starts_on or self.program.start_date

    @property
    def end(self):
        """The last day (inclusive): for a deadline, the due date."""
        return self.ends_on or self.program.end_date


class PlanResponsible(models.Model):
    """One responsible of an item: a person, an organisation, or a role written as text."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="responsibles",
                             verbose_name=_("пункт плана"))
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="plan_responsibilities", verbose_name=_("участник"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="plan_responsibilities",
                                     verbose_name=_("организация"))
    text = models.CharField(_("роль или подразделение"), max_length=300, blank=True,
                            help_text=_("например «МК» или «кураторы наставничества в ОО»"))

    class Meta:
        verbose_name = _("ответственный")
        verbose_name_plural = _("ответственные")
        ordering = ["item", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, organisation__isnull=True, text="")
                           | Q(person__isnull=True, organisation__isnull=False, text="")
                           | (Q(person__isnull=True, organisation__isnull=True) & ~Q(text=""))),
                name="plan_responsible_one_kind",
                violation_error_message=_("Укажите что-то одно: участника, организацию или "
                                          "текст."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def kind(self):
        if self.person_id:
            return "person"
        return "organisation" if self.organisation_id else "text"

    @property
    def name(self):
        """As the plan writes it: «Буглак С.Г.», the school's short name, or the text."""
        if self.person_id:
            return initials_name(self.person)
        if self.organisation_id:
            return self.organisation.short_name or self.organisation.name
        return self.text


class PlanImport(models.Model):
    """An uploaded plan table waiting for «Применить»; the file is dropped once applied."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_imports",
                                verbose_name=_("программа"))
    file_name = models.CharField(_("файл"), max_length=255)
    content = models.BinaryField(_("содержимое"), null=True, editable=False)
    summary = models.JSONField(_("предпросмотр / итог"), default=dict, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("кто загрузил"))
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    applied_at = models.DateTimeField(_("применён"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("импорт плана")
        verbose_name_plural = _("импорт плана")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name


def initials_name(person):
    """«Буглак С.Г.»: a person as orders of the education department name them."""
    initials = "".join(f"{part[0]}." for part in (person.first_name, person.patronymic) if part)
    return f"{person.last_name} {initials}".strip()


def month_bounds(year, month):
    """The first and the last day of a month."""
    return (datetime.date(year, month, 1),
            datetime.date(year, month, calendar.monthrange(year, month)[1]))
