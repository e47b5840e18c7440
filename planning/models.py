"""Flash-mentoring choices (who took part in a meeting, whom each would continue with) and the
stored difficulty sums of closed rounds that the themes page reads instead of every answer."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from participants.models import MentoringGroup, Organisation, Person, Topic
from surveys.models import Round


def new_choice_token():
    return secrets.token_urlsafe(24)  # 192 bits


class FlashParticipant(models.Model):
    """A person at a flash-mentoring meeting with a personal link to mark their choices."""

    class Side(models.TextChoices):
        MENTOR = "mentor", _("наставник")
        MENTEE = "mentee", _("наставляемый")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="flash_participants",
                              verbose_name=_("встреча"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="flash_participations", verbose_name=_("участник"))
    side = models.CharField(_("сторона"), max_length=8, choices=Side.choices)
    # A mentor's free places when the choices opened; 0 for mentees.
    capacity = models.PositiveSmallIntegerField(_("свободных мест"), default=0)
    token = models.CharField(max_length=64, unique=True, default=new_choice_token,
                             editable=False)
    chosen_at = models.DateTimeField(_("выбор отмечен"), null=True, blank=True)
    # Ticked on the same page: agrees to form a pair with whom they chose, if it is mutual.
    consent_at = models.DateTimeField(_("согласие на пару"), null=True, blank=True)

    class Meta:
        verbose_name = _("участник флеш-наставничества")
        verbose_name_plural = _("участники флеш-наставничества")
        ordering = ["event", "side", "person__last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="flash_participant_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.event}"


class FlashChoice(models.Model):
    """One choice: `chooser` would continue with `chosen`, at `rank` (1 is the first wish)."""

    chooser = models.ForeignKey(FlashParticipant, on_delete=models.CASCADE,
                                related_name="choices", verbose_name=_("кто выбрал"))
    chosen = models.ForeignKey(FlashParticipant, on_delete=models.CASCADE,
                               related_name="chosen_by", verbose_name=_("кого выбрал"))
    rank = models.PositiveSmallIntegerField(_("порядок"))

    class Meta:
        verbose_name = _("выбор после флеш-наставничества")
        verbose_name_plural = _("выборы после флеш-наставничества")
        ordering = ["chooser", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["chooser", "chosen"], name="flash_choice_unique"),
            models.UniqueConstraint(fields=["chooser", "rank"], name="flash_choice_rank_unique"),
            models.CheckConstraint(condition=~Q(chooser=models.F("chosen")),
                                   name="flash_choice_not_self"),
        ]

    def __str__(self):
        return f"{self.chooser_id} → {self.chosen_id} ({self.rank})"


class FlashPair(models.Model):
    """A proposed pair the curator confirmed; the mentoring pair made for it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="flash_pairs",
                              verbose_name=_("встреча"))
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("наставник"))
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("наставляемый"))
    group = models.OneToOneField(MentoringGroup, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("пара"))
    confirmed_at = models.DateTimeField(_("подтверждено"), auto_now_add=True)

    class Meta:
        verbose_name = _("пара после флеш-наставничества")
        verbose_name_plural = _("пары после флеш-наставничества")
        constraints = [
            models.UniqueConstraint(fields=["event", "mentee"], name="flash_pair_one_per_mentee"),
        ]

    def __str__(self):
        return f"{self.mentor} — {self.mentee}"


class DifficultySummary(models.Model):
    """The difficulty sums of a closed round, kept so that the themes page need not read them all.

    Valid while the round's submitted responses are those summarised: their number and the last
    id are compared with the live ones at every read (paper questionnaires may still be typed in
    after closing); a stale or missing summary means the round is read live.
    """

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("опрос"))
    responses = models.PositiveIntegerField(_("отправленных ответов"))
    last_response_id = models.BigIntegerField(null=True)
    made_at = models.DateTimeField(_("подсчитано"), auto_now=True)

    class Meta:
        verbose_name = _("итоги опроса о трудностях")
        verbose_name_plural = _("итоги опросов о трудностях")

    def __str__(self):
        return str(self.round)


class DifficultySum(models.Model):
    """Per topic, school and experience group: answers, their sum and how many were 4–5.

    A row without a topic counts the group's respondents (submitted responses with a rating).
    """

    summary = models.ForeignKey(DifficultySummary, on_delete=models.CASCADE, related_name="sums")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    is_young_specialist = models.BooleanField(null=True)
    n = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    hard = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("сумма оценок трудности")
        verbose_name_plural = _("суммы оценок трудности")

    def __str__(self):
        return f"{self.summary_id}: {self.topic_id or '—'} × {self.n}"
