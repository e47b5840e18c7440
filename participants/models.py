"""The people of a mentoring school: municipalities, schools, teachers, mentors, mentees, pairs."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

YOUNG_SPECIALIST_YEARS = 3


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Неизвестный часовой пояс: %(value)s"), params={"value": value})


class Municipality(models.Model):
    name = models.CharField(_("название"), max_length=255, unique=True)
    time_zone = models.CharField(
        _("часовой пояс"),
        max_length=64,
        default="Europe/Moscow",
        validators=[validate_time_zone],
        help_text=_("IANA, например Asia/Vladivostok"),
    )
    department = models.CharField(
        _("орган управления образованием"), max_length=300, blank=True,
        help_text=_("Как он называется в шапке отчётов и на сертификатах, например «Управление "
                    "образования администрации Ханкайского муниципального округа»."),
    )
    # Calendar feeds name the zone: their validators read this.
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def department_name(self):
        """The issuing department as the curator named it; until then, a generic name."""
        return self.department or _("Управление образования · %(municipality)s") % {
            "municipality": self.name}


class Organisation(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("муниципалитет"),
    )
    name = models.CharField(_("полное название"), max_length=500)
    short_name = models.CharField(_("краткое название"), max_length=255, blank=True)
    # Calendar feeds show it as the place of events: their validators read this.
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["short_name", "name"]
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="organisation_unique_name_per_municipality"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class Topic(models.Model):
    """A professional area shared by mentor expertise, mentee difficulties, tracks and surveys."""

    name = models.CharField(_("название"), max_length=255, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("тема")
        verbose_name_plural = _("темы")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def young_specialists(self):
        return self.filter(experience_years__lt=YOUNG_SPECIALIST_YEARS)

    def search(self, text):
        """Every word must occur in the name or e-mail; case and ё/е do not matter."""
        query = Q()
        for word in fold(text).split():
            query &= Q(search_text__contains=word)
        return self.filter(query)


def fold(text):
    """Lower-case with ё as е: SQLite's LIKE folds only ASCII, so we fold in Python."""
    return (text or "").lower().replace("ё", "е")


class Person(models.Model):
    class Category(models.TextChoices):
        NONE = "", _("без категории")
        CONFORMITY = "conformity", _("соответствие занимаемой должности")
        FIRST = "first", _("первая")
        HIGHEST = "highest", _("высшая")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="people",
        verbose_name=_("муниципалитет"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("организация"),
    )
    last_name = models.CharField(_("фамилия"), max_length=150)
    first_name = models.CharField(_("имя"), max_length=150)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=16, blank=True, help_text="+7XXXXXXXXXX")
    position = models.CharField(_("должность"), max_length=255, blank=True)
    subject = models.CharField(_("предмет"), max_length=255, blank=True)
    category = models.CharField(
        _("квалификационная категория"), max_length=16, choices=Category.choices, blank=True
    )
    experience_years = models.PositiveSmallIntegerField(
        _("педагогический стаж, лет"), null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person", verbose_name=_("учётная запись"),
    )
    is_anonymised = models.BooleanField(_("обезличен"), default=False, editable=False)
    # Added by an import or the API, without a signature on paper: asked at first sign-in, and
    # mailed nothing but sign-in links until then (notifications.delivery).
    awaits_consent = models.BooleanField(_("согласие ещё не дано"), default=False,
                                         editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник")
        verbose_name_plural = _("участники")
        ordering = ["last_name", "first_name", "patronymic", "id"]
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("email"),
                condition=~Q(email=""),
                name="person_unique_email_per_municipality",
                violation_error_message=_("Участник с таким e-mail уже есть в муниципалитете."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+7[0-9]{10}$"),
                name="person_phone_normalised",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "last_name"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self):
        """Keep the folded search text in step; bulk writers call this before bulk_create."""
        self.search_text = fold(f"{self.full_name} {self.email}")

    @property
    def full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def is_young_specialist(self):
        return self.experience_years is not None and self.experience_years < YOUNG_SPECIALIST_YEARS


class ConsentText(models.Model):
    """One version of the consent wording; a consent points at the exact text agreed to."""

    version = models.CharField(_("версия"), max_length=32, unique=True)
    text = models.TextField(_("текст согласия"))
    effective_from = models.DateField(_("действует с"))

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласия")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.version} ({self.effective_from:%d.%m.%Y})"


class Consent(models.Model):
    """Consent to personal-data processing (152-FZ), a record of its own, withdrawable."""

    class Source(models.TextChoices):
        PAPER = "paper", _("бумажный бланк")
        WEB = "web", _("на сайте")
        IMPORT = "import", _("импорт списка")
        ADMIN = "admin", _("внесено куратором")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("участник")
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("текст")
    )
    given_at = models.DateTimeField(_("дата и время согласия"))
    source = models.CharField(_("источник"), max_length=16, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("кем внесено"),
    )
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку ПДн")
        verbose_name_plural = _("согласия на обработку ПДн")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.text.version}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class MentorProfile(models.Model):
    """An entry of the municipal mentor registry (реестр наставников)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("участник")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="mentors", verbose_name=_("может помочь (темы)")
    )
    can_help = models.TextField(_("может помочь"), blank=True)
    since = models.DateField(_("наставник с"), null=True, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)
    capacity = models.PositiveSmallIntegerField(
        _("мест для наставляемых"), default=3,
        help_text=_("сколько наставляемых наставник готов вести одновременно"),
    )

    class Meta:
        verbose_name = _("наставник")
        verbose_name_plural = _("реестр наставников")
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self):
        return str(self.person)


class MenteeRecord(models.Model):
    """An entry of the mentee base (база наставляемых)."""

    class Reason(models.TextChoices):
        YOUNG_SPECIALIST = "young_specialist", _("молодой специалист")
        DEFICIT = "deficit", _("профессиональные дефициты")
        BURNOUT = "burnout", _("профессиональное выгорание")
        NEW_DEPUTY_HEAD = "new_deputy_head", _("новый заместитель директора")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="mentee_record", verbose_name=_("участник")
    )
    reason = models.CharField(_("основание"), max_length=32, choices=Reason.choices)
    difficulty_topics = models.ManyToManyField(
        Topic, blank=True, related_name="mentees", verbose_name=_("затруднения (темы)")
    )
    notes = models.TextField(_("примечание"), blank=True)
    since = models.DateField(_("в базе с"), null=True, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)

    class Meta:
        verbose_name = _("наставляемый")
        verbose_name_plural = _("база наставляемых")
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self):
        return str(self.person)


class MentoringGroup(models.Model):
    """A mentoring pair (one mentee) or group, fixed by order with each member's consent."""

    class Form(models.TextChoices):
        TEACHER_TEACHER = "teacher_teacher", _("учитель – учитель")
        STUDENT_STUDENT = "student_student", _("ученик – ученик")
        UNDERGRAD_STUDENT = "undergrad_student", _("студент – ученик")
        TEACHER_STUDENT = "teacher_student", _("учитель – ученик")
        PARTNER_STUDENT = "partner_student", _("социальный партнёр – ученик")

    class RoleModel(models.TextChoices):
        EXPERIENCED_YOUNG = "experienced_young", _("опытный педагог – молодой педагог")
        YOUNG_EXPERIENCED = "young_experienced", _("молодой педагог – опытный педагог")
        DIRECTOR_TEACHER = "director_teacher", _("директор – педагог")
        EXPERIENCED_EXPERIENCED = "experienced_experienced", _("опытный педагог – опытный педагог")

    class Format(models.TextChoices):
        TRADITIONAL = "traditional", _("традиционное")
        VIRTUAL = "virtual", _("виртуальное (дистанционное)")
        SHORT_TERM = "short_term", _("краткосрочное (целеполагающее)")
        REVERSE = "reverse", _("реверсивное")
        SITUATIONAL = "situational", _("ситуационное")
        SPEED = "speed", _("скоростное")
        FLASH = "flash", _("флеш-наставничество")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="mentoring_groups",
        verbose_name=_("муниципалитет"),
    )
    mentor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentored_groups",
        verbose_name=_("наставник"),
    )
    mentor_consent_at = models.DateTimeField(_("согласие наставника"), null=True, blank=True)
    mentees = models.ManyToManyField(
        Person, through="GroupMembership", related_name="mentoring_groups",
        verbose_name=_("наставляемые"),
    )
    form = models.CharField(
        _("форма"), max_length=32, choices=Form.choices, default=Form.TEACHER_TEACHER
    )
    role_model = models.CharField(
        _("ролевая модель"), max_length=32, choices=RoleModel.choices,
        default=RoleModel.EXPERIENCED_YOUNG,
    )
    format = models.CharField(
        _("формат"), max_length=32, choices=Format.choices, default=Format.TRADITIONAL
    )
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("окончание"), null=True, blank=True)
    goal = models.TextField(_("цель"), blank=True)
    order_reference = models.CharField(_("приказ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("наставническая пара или группа")
        verbose_name_plural = _("наставнические пары и группы")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mentoring_group_dates_ordered",
            ),
        ]

    def __str__(self):
        return _("Наставник %(mentor)s с %(start)s") % {
            "mentor": self.mentor, "start": self.start_date.strftime("%d.%m.%Y"),
        }


class GroupMembership(models.Model):
    group = models.ForeignKey(
        MentoringGroup, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("пара/группа"),
    )
    mentee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("наставляемый")
    )
    consent_at = models.DateTimeField(_("согласие наставляемого"), null=True, blank=True)

    class Meta:
        verbose_name = _("участник пары/группы")
        verbose_name_plural = _("участники пары/группы")
        constraints = [
            models.UniqueConstraint(fields=["group", "mentee"], name="membership_unique_mentee"),
        ]

    def __str__(self):
        return str(self.mentee)


class PersonalProgram(models.Model):
    """A personalised mentoring program (3 months to a year) of a pair or group."""

    group = models.OneToOneField(
        MentoringGroup, on_delete=models.CASCADE, related_name="program",
        verbose_name=_("пара/группа"),
    )
    goal = models.TextField(_("цель"))
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("окончание"))
    expected_result = models.TextField(_("ожидаемый результат или продукт"), blank=True)

    class Meta:
        verbose_name = _("персонализированная программа")
        verbose_name_plural = _("персонализированные программы")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="personal_program_dates_ordered",
            ),
        ]

    def __str__(self):
        return _("Программа: %(group)s") % {"group": self.group}


class PlanItem(models.Model):
    program = models.ForeignKey(
        PersonalProgram, on_delete=models.CASCADE, related_name="items",
        verbose_name=_("программа"),
    )
    position = models.PositiveSmallIntegerField(_("№"), default=0)
    title = models.CharField(_("мероприятие плана"), max_length=500)
    due_date = models.DateField(_("срок"), null=True, blank=True)
    is_done = models.BooleanField(_("выполнено"), default=False)

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("план")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A personal API token for integrations; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("пользователь"),
    )
    name = models.CharField(_("назначение"), max_length=100)
    prefix = models.CharField(_("начало токена"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-токен")
        verbose_name_plural = _("API-токены")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ImportBatch(models.Model):
    """An uploaded roster: previewed first, then applied all at once.

    The file and the preview name people, so they live only as long as needed: applying
    keeps only counts (see importing.apply_batch), and unapplied uploads expire after
    IMPORT_BATCH_RETENTION_DAYS (importing.purge_batches, run daily).
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="import_batches",
        verbose_name=_("муниципалитет"),
    )
    file_name = models.CharField(_("файл"), max_length=255)
    content = models.BinaryField(_("содержимое"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("загрузил"),
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    applied_at = models.DateTimeField(_("применён"), null=True, blank=True)
    summary = models.JSONField(_("итог"), default=dict, blank=True)

    class Meta:
        verbose_name = _("импорт участников")
        verbose_name_plural = _("импорты участников")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})"
