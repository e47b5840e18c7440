"""Facts the curator keeps for the indicators that the other apps do not record."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Organisation


class ModelAdoption(models.Model):
    """A school has adopted the target model of mentoring (внедрила целевую модель), from a date."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="model_adoption",
        verbose_name=_("образовательная организация"),
    )
    adopted_on = models.DateField(_("дата внедрения"))
    document = models.CharField(_("основание (приказ)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("внедрение целевой модели")
        verbose_name_plural = _("внедрение целевой модели")
        ordering = ["-adopted_on", "id"]

    def __str__(self):
        return _("%(school)s — с %(date)s") % {
            "school": self.organisation, "date": self.adopted_on.strftime("%d.%m.%Y"),
        }


class StaffCount(models.Model):
    """How many teachers a school employs, and how many of them are young (стаж до 3 лет).

    Not every teacher is a participant of the service, yet the shares of the plan are over all
    the teachers of the district (286 in seed 003), so the curator enters each school's figures.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="staff_count",
        verbose_name=_("образовательная организация"),
    )
    teachers = models.PositiveIntegerField(_("педагогов"))
    young_teachers = models.PositiveIntegerField(_("из них молодых (стаж до 3 лет)"))
    counted_on = models.DateField(_("по состоянию на"))

    class Meta:
        verbose_name = _("численность педагогов")
        verbose_name_plural = _("численность педагогов")
        ordering = ["organisation__short_name", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(young_teachers__lte=models.F("teachers")),
                                   name="staff_count_young_within_teachers"),
        ]

    def __str__(self):
        return _("%(school)s: %(n)s педагогов") % {"school": self.organisation, "n": self.teachers}


class PracticePresentation(models.Model):
    """A school's mentoring practice presented at a level (школьный … федеральный) on a date.

    Minimal on purpose: the bank of best practices, when it comes, holds the practice itself.
    """

    class Level(models.TextChoices):
        SCHOOL = "school", _("школьный")
        MUNICIPAL = "municipal", _("муниципальный")
        REGIONAL = "regional", _("региональный")
        FEDERAL = "federal", _("федеральный")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="practice_presentations",
        verbose_name=_("образовательная организация"),
    )
    title = models.CharField(_("практика"), max_length=500)
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    presented_on = models.DateField(_("дата представления"))

    class Meta:
        verbose_name = _("представление практики")
        verbose_name_plural = _("представления практик")
        ordering = ["-presented_on", "id"]

    def __str__(self):
        return f"{self.title} ({self.get_level_display()}, {self.presented_on:%d.%m.%Y})"

    def clean(self):
        if not (self.title or "").strip():
            raise ValidationError({"title": _("Укажите название практики.")})
