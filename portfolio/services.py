"""Operations of the portfolio: record an observation visit, add or remove a project, contest or
talk with its proof, set a municipality's points table. Every entry point writes through these.
"""

import datetime
import os

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import Invalid
from events.plan.services import clean_evidence_url, clean_line, validate_evidence
from participants.models import GroupMembership, MentoringGroup
from portfolio import access
from portfolio.models import Achievement, Criterion, ObservationVisit, PointsRule
from portfolio.points import RULE_KEYS, rules_of
from practices.models import Level
from surveys import services as surveys
from surveys.models import Invitation, Questionnaire, Round

# The shipped map (portfolio/migrations/0002_observation_map_template.py).
TEMPLATE_FAMILY = "5b1f0d3e-8a52-4c1e-9d7a-0c4f6e2b9a71"
Purpose = Questionnaire.Purpose


# --- the observation map ---------------------------------------------------------------------

def current_map(municipality):
    """The municipality's observation map as it stands, or None before its first use."""
    return (Questionnaire.objects.filter(municipality=municipality, purpose=Purpose.OBSERVATION,
                                         is_current=True).order_by("-created_at").first())


@transaction.atomic
def observation_map(municipality):
    """The municipality's own observation map; made from the shipped template on first use.

    Its curator edits it in the admin (a version with answers is never edited: they make the
    next version, and old visits keep the questions they answered).
    """
    found = current_map(municipality)
    if found is not None:
        return found
    template = (Questionnaire.objects.filter(family=TEMPLATE_FAMILY, is_current=True).first()
                or Questionnaire.objects.filter(purpose=Purpose.OBSERVATION, is_current=True,
                                                municipality__isnull=True).first())
    if template is None:
        raise Invalid(_("Нет шаблона карты наблюдений: обратитесь к администратору."))
    return surveys.copy_for_municipality(template, municipality)


# --- visits ----------------------------------------------------------------------------------

def _visit_fields(group, mentee, kind, date, school_class, subject):
    if kind not in ObservationVisit.Kind.values:
        raise Invalid(_("Неизвестный вид посещения."), details={"field": "kind"})
    if not GroupMembership.objects.filter(group=group, mentee=mentee).exists():
        raise Invalid(_("Наставляемый не состоит в этой паре или группе."),
                      details={"field": "mentee_id"})
    today = timezone.localdate(timezone=group.municipality.zone)
    if date is None or date > today:
        raise Invalid(_("Дата посещения не может быть в будущем."), details={"field": "date"})
    if date < datetime.date(2000, 1, 1):
        raise Invalid(_("Дата посещения слишком ранняя."), details={"field": "date"})
    return (clean_line(school_class, field="school_class", limit=20, required=True),
            clean_line(subject, field="subject", limit=255, required=True))


@transaction.atomic
def record_visit(group, *, mentee, date, school_class, subject, answers, by=None,
                 kind=ObservationVisit.Kind.LESSON):
    """A visit to a mentee's lesson with the filled observation map (`answers`: question code →
    raw answer, as on the survey page); every required criterion must be answered.

    The map is a named round of the municipality's map aimed at this pair, whose only response is
    the mentor's. The round opens at the visit's day and closes a second later, before this
    transaction commits: the sweep that mails open rounds never sees it open.
    """
    group = (MentoringGroup.objects.select_for_update(of=("self",))
             .select_related("municipality", "mentor").get(pk=group.pk))
    access.ensure_may_record(by, group)
    school_class, subject = _visit_fields(group, mentee, kind, date, school_class, subject)
    questionnaire = observation_map(group.municipality)
    opens = timezone.make_aware(datetime.datetime.combine(date, datetime.time()),
                                group.municipality.zone)
    round = surveys.create_round(
        questionnaire, audience=Round.Audience.MENTORING_GROUPS, mentoring_group=group,
        opens_at=opens, closes_at=opens + datetime.timedelta(seconds=1),
        # No names in the title: it outlives a person's erasure in the rounds' lists.
        title=_("Карта наблюдений: посещение %(date)s, пара № %(pair)s") % {
            "date": f"{date:%d.%m.%Y}", "pair": group.pk})
    invitation = Invitation.objects.filter(round=round, person=group.mentor).first()
    if invitation is None:
        raise Invalid(_("Наставник пары не может заполнить карту (его данные обезличены)."))
    response, = surveys.record_responses(round, [(invitation, answers, opens)])
    return ObservationVisit.objects.create(
        municipality=group.municipality, group=group, mentor=group.mentor, mentee=mentee,
        kind=kind, date=date, school_class=school_class, subject=subject, round=round,
        response=response, recorded_by=by if by is not None and by.is_authenticated else None)


# --- projects, contests, talks ---------------------------------------------------------------

def _achievement_fields(kind, level, title, date):
    if kind not in Achievement.Kind.values:
        raise Invalid(_("Неизвестный вид записи."), details={"field": "kind"})
    if level not in Level.values:
        raise Invalid(_("Неизвестный уровень."), details={"field": "level"})
    if date is None or not datetime.date(2000, 1, 1) <= date <= datetime.date(2100, 12, 31):
        raise Invalid(_("Укажите дату с 2000 по 2100 год."), details={"field": "date"})
    return clean_line(title, field="title", limit=500, required=True)


@transaction.atomic
def add_achievement(mentor, *, kind, level, title, date, evidence_url="", evidence_file=None,
                    by=None):
    """A project, contest or talk of the mentor with a proof link or file (or both).

    A file is checked before anything is written (size, type by its first bytes), so a refused
    one leaves no row and no stored file.
    """
    access.ensure_may_add(by, mentor)
    title = _achievement_fields(kind, level, title, date)
    url = clean_evidence_url(evidence_url)
    if evidence_file is not None:
        if not isinstance(evidence_file, UploadedFile):
            raise Invalid(_("Файл подтверждения не передан."),
                          details={"field": "evidence_file"})
        validate_evidence(evidence_file)
    if not url and evidence_file is None:
        raise Invalid(_("Приложите подтверждение: ссылку или файл."),
                      details={"field": "evidence_url"})
    achievement = Achievement(
        municipality_id=mentor.municipality_id, mentor=mentor, kind=kind, level=level,
        title=title, date=date, evidence_url=url,
        added_by=by if by is not None and by.is_authenticated else None)
    stored = None
    if evidence_file is not None:
        extension = os.path.splitext(evidence_file.name)[1].lower()
        # The stored name is ours: a person's file name may carry anything.
        name = f"mentor-{mentor.pk}-{timezone.now():%Y%m%d%H%M%S%f}{extension}"
        achievement.evidence_file.save(name, evidence_file, save=False)
        stored = achievement.evidence_file.name
    try:
        achievement.save()
    except Exception:
        # Every check ran before the file was stored; only the database can still refuse.
        if stored:
            achievement.evidence_file.storage.delete(stored)
        raise
    return achievement


@transaction.atomic
def delete_achievement(achievement, *, by=None):
    """Remove a record of the portfolio; its file goes with it once the removal commits."""
    achievement = Achievement.objects.select_related("mentor").get(pk=achievement.pk)
    access.ensure_may_add(by, achievement.mentor)
    name, storage = achievement.evidence_file.name, achievement.evidence_file.storage
    achievement.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- the points table ------------------------------------------------------------------------

@transaction.atomic
def set_points_table(municipality, points, *, by=None):
    """Replace the municipality's table: `points` maps (criterion, level) to points (0–100);
    a pair left out keeps its current (or default) value."""
    if by is not None and not access.is_curator_of(by, municipality.pk):
        raise access.Forbidden(_("Таблицу баллов меняет куратор муниципалитета."))
    table = dict(rules_of(municipality))
    for (criterion, level), value in points.items():
        if (criterion, level) not in RULE_KEYS:
            raise Invalid(_("Нет такого показателя или уровня: %(c)s %(l)s.")
                          % {"c": criterion, "l": level or "—"}, details={"field": "criterion"})
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise Invalid(_("Баллы — целое число от 0 до 100."), details={"field": "points"})
        table[(criterion, level)] = value
    PointsRule.objects.filter(municipality=municipality).delete()
    PointsRule.objects.bulk_create([
        PointsRule(municipality=municipality, criterion=criterion, level=level, points=value)
        for (criterion, level), value in table.items()])
    return table


__all__ = ["Criterion", "add_achievement", "delete_achievement", "observation_map",
           "record_visit", "set_points_table"]
