"""A best practice: its information card (seed 001), materials, and a review per level."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import (
    MentoringGroup,
    Municipality,
    Organisation,
    Person,
    PersonalProgram,
    Topic,
    fold,
)


class Level(models.TextChoices):
    """The levels of the bank, lowest first; a practice climbs them in this order."""

    SCHOOL = "school", _("школьный")
    MUNICIPAL = "municipal", _("муниципальный")
    REGIONAL = "regional", _("региональный")

    @classmethod
    def rank(cls, value):
        return list(cls.values).index(value) if value else -1

    @classmethod
    def at_least(cls, value):
        """This level and those above it."""
        return list(cls.values)[cls.rank(value):]


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Accepted at one level at least: what the public bank shows."""
        return self.exclude(accepted_level="")

    def search(self, text):
        """Every word must occur in the theme, the texts or the author's name; ё is е."""
        query = Q()
        for word in fold(text).split():
            query &= Q(search_text__contains=word)
        return self.filter(query)


class ReviewQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(outcome=Review.Outcome.ACCEPTED)

    def pending(self):
        return self.filter(outcome=Review.Outcome.PENDING)


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на рассмотрении")
        RETURNED = "returned", _("возвращена на доработку")
        ACCEPTED = "accepted", _("принята")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="practices",
        verbose_name=_("муниципалитет"),
    )
    program = models.ForeignKey(
        PersonalProgram, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="practices", verbose_name=_("персонализированная программа"),
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="practices",
        verbose_name=_("автор (наставник)"),
    )
    mentees = models.ManyToManyField(
        Person, blank=True, related_name="practices_as_mentee", verbose_name=_("наставляемые"),
    )
    # The information card (seed 001, «Форма наставнической практики»): what the author wrote on
    # it, kept apart from the person record, which may change after the practice is published.
    author_name = models.CharField(_("Ф. И. О. автора опыта"), max_length=500)
    author_email = models.EmailField(_("e-mail автора"), blank=True)
    author_phone = models.CharField(_("телефон автора"), max_length=16, blank=True,
                                    help_text="+7XXXXXXXXXX")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="practices",
        verbose_name=_("образовательная организация"),
    )
    position = models.CharField(_("должность"), max_length=255, blank=True)
    years_in_position = models.PositiveSmallIntegerField(_("стаж работы в должности, лет"),
                                                         null=True, blank=True)
    title = models.CharField(_("тема практики"), max_length=500)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="practices",
        verbose_name=_("тематическое направление"),
    )
    form = models.CharField(_("форма наставничества"), max_length=32,
                            choices=MentoringGroup.Form.choices, blank=True)
    role_model = models.CharField(_("ролевая модель"), max_length=32,
                                  choices=MentoringGroup.RoleModel.choices, blank=True)
    goal = models.TextField(_("цель"), blank=True)
    plan = models.TextField(_("план (дорожная карта)"), blank=True)
    result = models.TextField(_("результат, продукт"), blank=True)
    note = models.TextField(_("пояснительная записка"), blank=True,
                            help_text=_("цель, результаты практики, ролевая модель"))
    content = models.TextField(_("содержание практики"), blank=True,
                               help_text=_("формы, способы, события"))
    # The author's consent to show their e-mail and phone in the public bank: when and to what
    # wording. Empty: the contacts are never shown.
    contacts_consent_at = models.DateTimeField(_("согласие на публикацию контактов"),
                                               null=True, blank=True)
    contacts_consent_text = models.TextField(_("текст согласия на публикацию контактов"),
                                             blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    # The highest level accepted so far, kept with the reviews so the bank filters on one column.
    accepted_level = models.CharField(_("принята на уровне"), max_length=16,
                                      choices=Level.choices, blank=True)
    published_at = models.DateTimeField(_("опубликована"), null=True, blank=True)
    # Folded (lower case, ё as е) theme, note, content and author: SQLite's LIKE folds ASCII only.
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("кем создана"),
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставническая практика")
        verbose_name_plural = _("наставнические практики")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "accepted_level", "published_at"]),
            models.Index(fields=["author", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_phone="") | Q(author_phone__regex=r"^\+7[0-9]{10}$"),
                name="practice_phone_normalised",
            ),
            models.CheckConstraint(
                condition=Q(accepted_level="") | Q(published_at__isnull=False),
                name="practice_accepted_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self):
        """Keep the folded search text in step; bulk writers call this before bulk_create."""
        self.search_text = fold(" ".join((self.title, self.author_name, self.note, self.content,
                                          self.goal, self.result)))

    @property
    def shows_contacts(self):
        return self.contacts_consent_at is not None


class Review(models.Model):
    """One submission of a practice to one level, and its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        ACCEPTED = "accepted", _("принята")
        RETURNED = "returned", _("возвращена")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("практика"),
    )
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    submitted_at = models.DateTimeField(_("подана"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("кем подана"),
    )
    outcome = models.CharField(_("итог"), max_length=16, choices=Outcome.choices,
                               default=Outcome.PENDING)
    decided_at = models.DateTimeField(_("дата решения"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("рецензент"),
    )
    comment = models.TextField(_("комментарий"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("рассмотрение практики")
        verbose_name_plural = _("рассмотрения практик")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"], condition=Q(outcome="pending"),
                name="review_one_pending_per_practice",
            ),
            models.UniqueConstraint(
                fields=["practice", "level"], condition=Q(outcome="accepted"),
                name="review_accepted_once_per_level",
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(decided_at__isnull=False),
                name="review_decided_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.practice} — {self.get_level_display()}: {self.get_outcome_display()}"


class Material(models.Model):
    """A piece of the mentor's case (кейс наставника): an uploaded file or a link."""

    class Kind(models.TextChoices):
        MEDIA = "media", _("фото- и видеоматериалы")
        DIAGNOSIS = "diagnosis", _("диагностика дефицитов")
        QUESTIONNAIRE = "questionnaire", _("анкеты, опросники")
        OBSERVATION = "observation", _("листы наблюдений")
        RECOMMENDATIONS = "recommendations", _("методические рекомендации, пособия, памятки")
        TECHNIQUES = "techniques", _("описание техник, технологий, методик")
        PUBLICATION = "publication", _("публикация о практике в интернете")
        OTHER = "other", _("другое")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="materials", verbose_name=_("практика"),
    )
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("название"), max_length=255)
    file = models.FileField(_("файл"), upload_to="practices/%Y/%m/", max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("размер, байт"), null=True, blank=True,
                                               editable=False)
    url = models.URLField(_("ссылка"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    created_at = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("материал практики")
        verbose_name_plural = _("материалы практики")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_or_link",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self):
        return not self.file
