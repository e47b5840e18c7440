"""Observation visits, the mentor's projects and contests, and each municipality's points table."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import MentoringGroup, Municipality, Person
from practices.models import Level
from surveys.models import Response, Round


class Criterion(models.TextChoices):
    """The criteria of the act «О стимулирующих выплатах педагогическим работникам» (seed 001)."""

    PROGRAM = "program", _("Разработка и реализация персонализированных программ наставничества")
    PRACTICE = "practice", _("Участие в формировании и пополнении банка наставнических практик")
    EXPERIENCE = "experience", _("Трансляция опыта наставничества (семинары, вебинары, "
                                 "методическое объединение наставников, конференции, фестивали)")
    PROJECT = "project", _("Участие в наставнических проектах")
    CONTEST = "contest", _("Участие в конкурсном движении")


class ObservationVisit(models.Model):
    """A visit to a mentee's lesson recorded on the observation map (seed 000: «карта
    наблюдений», «посещение и взаимопосещение уроков, внеклассных занятий»).

    The map's answers are a response of a surveys round aimed at the pair; the round is open only
    while the visit is recorded, so nobody is ever invited to it by mail.
    """

    class Kind(models.TextChoices):
        LESSON = "lesson", _("посещение урока")
        MUTUAL = "mutual", _("взаимопосещение уроков")
        EXTRACURRICULAR = "extracurricular", _("посещение внеклассного занятия")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("муниципалитет"))
    group = models.ForeignKey(MentoringGroup, on_delete=models.PROTECT,
                              related_name="observation_visits",
                              verbose_name=_("наставническая пара или группа"))
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits_made",
                               verbose_name=_("наставник"))
    mentee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits_received",
                               verbose_name=_("наставляемый"))
    kind = models.CharField(_("вид посещения"), max_length=16, choices=Kind.choices,
                            default=Kind.LESSON)
    date = models.DateField(_("дата"))
    school_class = models.CharField(_("класс"), max_length=20)
    subject = models.CharField(_("предмет"), max_length=255)
    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("опрос карты наблюдений"))
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("заполненная карта"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("кто записал"))
    created_at = models.DateTimeField(_("записано"), auto_now_add=True)

    class Meta:
        verbose_name = _("посещение урока (карта наблюдений)")
        verbose_name_plural = _("посещения уроков (карты наблюдений)")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return (f"{self.date:%d.%m.%Y} {self.get_kind_display()}: "
                f"{self.subject}, {self.school_class}")


class Achievement(models.Model):
    """A project, a contest or a talk of the mentor outside the service, with its proof."""

    class Kind(models.TextChoices):
        EXPERIENCE = "experience", _("трансляция опыта (семинар, вебинар, МО, конференция, "
                                     "фестиваль)")
        PROJECT = "project", _("наставнический проект")
        CONTEST = "contest", _("конкурс")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("муниципалитет"))
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="achievements",
                               verbose_name=_("наставник"))
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    title = models.CharField(_("название"), max_length=500)
    date = models.DateField(_("дата"))
    evidence_url = models.URLField(_("подтверждение (ссылка)"), max_length=500, blank=True)
    evidence_file = models.FileField(_("подтверждение (файл)"),
                                     upload_to="portfolio-evidence/%Y/%m/", max_length=255,
                                     blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("кто добавил"))
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    class Meta:
        verbose_name = _("проект, конкурс, выступление")
        verbose_name_plural = _("проекты, конкурсы, выступления")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "date"])]
        constraints = [
            models.CheckConstraint(condition=~Q(evidence_url="") | ~Q(evidence_file=""),
                                   name="achievement_has_evidence"),
        ]

    def __str__(self):
        return self.title


class PointsRule(models.Model):
    """One line of a municipality's points table: a criterion at a level gives so many points."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE,
                                     related_name="points_rules",
                                     verbose_name=_("муниципалитет"))
    criterion = models.CharField(_("показатель"), max_length=16, choices=Criterion.choices)
    # Empty for a criterion without levels (a personal program).
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices, blank=True)
    points = models.PositiveSmallIntegerField(_("баллов за каждый"),
                                              validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("баллы за показатель")
        verbose_name_plural = _("таблица баллов")
        ordering = ["municipality", "criterion", "level"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "criterion", "level"],
                                    name="points_rule_unique"),
            models.CheckConstraint(condition=Q(points__lte=100), name="points_rule_at_most_100"),
        ]

    def __str__(self):
        level = f" ({self.get_level_display()})" if self.level else ""
        return f"{self.get_criterion_display()}{level}: {self.points}"
