"""Questionnaires (versioned), survey rounds, personal invitations, responses and answers."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Program, Track
from participants.models import Municipality, Organisation, Person, Topic


class Questionnaire(models.Model):
    """One version of a questionnaire; versions of the same questionnaire share a family id.

    A version that has answers is never edited: revising it creates the next version, and old
    answers stay with the questions they answered.
    """

    class Purpose(models.TextChoices):
        DIFFICULTY = "difficulty", _("трудности в работе")
        EVENT_SATISFACTION = "event_satisfaction", _("оценка мероприятия")
        PROGRAM_SATISFACTION = "program_satisfaction", _("удовлетворённость программой")
        OBSERVATION = "observation", _("карта наблюдений")
        OTHER = "other", _("другое")

    family = models.UUIDField(_("анкета (все версии)"), default=uuid.uuid4, db_index=True)
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    is_current = models.BooleanField(_("текущая версия"), default=True)
    title = models.CharField(_("название"), max_length=255)
    purpose = models.CharField(_("назначение"), max_length=32, choices=Purpose.choices)
    description = models.TextField(_("пояснение для респондента"), blank=True)
    is_anonymous = models.BooleanField(_("анонимная"), default=False)
    # Empty: a template shared by every municipality (the administrator edits it). Set: the
    # municipality's own copy (its observation map), which its curator edits.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True,
        related_name="questionnaires", verbose_name=_("муниципалитет (своя анкета)"),
        help_text=_("пусто — общий шаблон всех муниципалитетов"))
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="questionnaire_version"),
            models.UniqueConstraint(fields=["family"], condition=Q(is_current=True),
                                    name="questionnaire_one_current_version"),
        ]

    def __str__(self):
        return _("%(title)s (версия %(version)s)") % {"title": self.title,
                                                     "version": self.version}


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE_5 = "scale5", _("шкала 1–5")
        SCALE_10 = "scale10", _("шкала 0–10")
        SINGLE = "single", _("один вариант")
        MULTIPLE = "multiple", _("несколько вариантов")
        TEXT = "text", _("свободный ответ")
        NUMBER = "number", _("число")
        MATRIX = "matrix", _("темы × шкала 1–5")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="questions", verbose_name=_("анкета"))
    position = models.PositiveSmallIntegerField(_("№"))
    # Stable across versions, so that a trend can follow "the same question".
    code = models.SlugField(_("код"), max_length=64)
    kind = models.CharField(_("тип"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("вопрос"))
    help_text = models.CharField(_("подсказка"), max_length=500, blank=True)
    required = models.BooleanField(_("обязательный"), default=True)
    choices = models.JSONField(_("варианты ответа"), default=list, blank=True)
    allow_other = models.BooleanField(_("вариант «другое» со своим ответом"), default=False)
    # Labels of the scale points, low to high; empty means the default Russian labels.
    scale_labels = models.JSONField(_("подписи шкалы"), default=list, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions",
                                    verbose_name=_("темы (строки матрицы)"))

    class Meta:
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"],
                                    name="question_position"),
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code"),
        ]

    def __str__(self):
        return f"{self.position}. {self.text}"


class Round(models.Model):
    """A questionnaire sent to an audience between two moments."""

    class Audience(models.TextChoices):
        EVENT_ATTENDEES = "event", _("участники мероприятия")
        TRACK = "track", _("участники трека")
        PROGRAM = "program", _("участники программы")
        MENTEES = "mentees", _("все наставляемые")
        MENTORS = "mentors", _("все наставники")
        HAND_PICKED = "hand_picked", _("выбранные вручную")
        MENTORING_GROUPS = "mentoring_groups", _("наставнические пары и группы (обе стороны)")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="survey_rounds",
                                     verbose_name=_("муниципалитет"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT,
                                      related_name="rounds", verbose_name=_("анкета"))
    title = models.CharField(_("название"), max_length=255)
    audience = models.CharField(_("кому"), max_length=16, choices=Audience.choices)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="survey_rounds", verbose_name=_("мероприятие"))
    track = models.ForeignKey(Track, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="survey_rounds", verbose_name=_("трек"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="survey_rounds", verbose_name=_("программа"))
    mentoring_group = models.ForeignKey(
        "participants.MentoringGroup", on_delete=models.PROTECT, null=True, blank=True,
        related_name="survey_rounds", verbose_name=_("пара или группа"),
        help_text=_("для аудитории «наставнические пары и группы»: одна пара или группа; "
                    "пусто — все действующие"))
    opens_at = models.DateTimeField(_("открывается"))
    closes_at = models.DateTimeField(_("закрывается"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("создал"))
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    # Declared when the round is made; an anonymous "after" pairs only with its own "before".
    pair_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="paired_after", verbose_name=_("опрос «до»"),
                                help_text=_("для сравнения «до и после»: первый опрос серии"))

    class Meta:
        verbose_name = _("опрос")
        verbose_name_plural = _("опросы")
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="round_closes_after_opening"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_anonymous(self):
        return self.questionnaire.is_anonymous

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def pair_anchor_id(self):
        """The first round of its before/after series (itself unless declared as an "after")."""
        return self.pair_of_id or self.pk


def new_invitation_token():
    return secrets.token_urlsafe(24)  # 192 bits


class Invitation(models.Model):
    """A person's personal link to one round; knows whether they answered, not what.

    The token stays readable here because every reminder mails the link again; alone it leads
    to no response (the response key is a keyed hash of it). An anonymous round's
    `answered_at` is the local day only.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations",
                              verbose_name=_("опрос"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("участник"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token,
                             editable=False)
    answered_at = models.DateTimeField(_("ответил"), null=True, blank=True)
    created_at = models.DateTimeField(_("приглашён"), auto_now_add=True)

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="invitation_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.round}"


class Response(models.Model):
    """One respondent's answers in a round.

    A response is found by `respondent_key`, a keyed hash (HMAC with a key derived from
    SECRET_KEY) of its invitation's token: different in every round, and nothing stored lets
    one compute it without the key. Named rounds keep the person and a segment snapshot
    (school, young specialist) for breakdowns. Anonymous rounds keep none of these: no person,
    no segment, and the round's opening in place of every time (it says that the response was
    sent, not when); `pair_key` is their only link, and only to the rounds declared as the same
    before/after series. See README «Анонимные опросы: модель угроз».
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses",
                              verbose_name=_("опрос"))
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="survey_responses", verbose_name=_("участник"))
    respondent_key = models.CharField(max_length=64, editable=False)
    pair_key = models.CharField(max_length=64, blank=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("организация"))
    is_young_specialist = models.BooleanField(_("молодой специалист"), null=True)
    is_from_paper = models.BooleanField(
        _("введён с бумажной анкеты"), default=False,
        help_text=_("анкету заполнили на бумаге, ответы ввёл куратор или наставник"))
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    # Set by the service, never auto_now: an anonymous response must not keep its real time.
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)

    class Meta:
        verbose_name = _("ответ на анкету")
        verbose_name_plural = _("ответы на анкеты")
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent_key"],
                                    name="response_one_per_respondent"),
        ]

    def __str__(self):
        return _("Ответ №%(id)s") % {"id": self.pk}


class Answer(models.Model):
    """One answer; a matrix question has one answer per topic row."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("ответ на анкету"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers",
                                 verbose_name=_("вопрос"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("тема"))
    number = models.DecimalField(_("число"), max_digits=8, decimal_places=2, null=True,
                                 blank=True)
    choices = models.JSONField(_("выбранные варианты"), default=list, blank=True)
    text = models.TextField(_("текст"), blank=True)

    class Meta:
        verbose_name = _("ответ")
        verbose_name_plural = _("ответы")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"],
                                    condition=Q(topic__isnull=True), name="answer_unique"),
            models.UniqueConstraint(fields=["response", "question", "topic"],
                                    condition=Q(topic__isnull=False),
                                    name="answer_unique_per_topic"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.number or self.choices or self.text}"
