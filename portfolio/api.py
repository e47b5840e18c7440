"""REST endpoints of the portfolio: the observation map and visits, a mentor's portfolio with
projects and contests, the points table and the points summary (JSON, PDF, XLSX).

Lookups are scoped like the rest of the API (portfolio/access.py): another municipality's mentor,
pair, visit or record is a 404. Writes call portfolio/services.py, which decides who may write.
"""

from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from config.api_types import PathId
from config.errors import Forbidden, Invalid
from participants import roles
from participants.models import GroupMembership, Municipality
from portfolio import access, exports, services
from portfolio.builder import mentor_portfolio
from portfolio.models import Achievement, ObservationVisit
from portfolio.points import points_summary, rule_label, rules_of
from portfolio.schemas import (
    AchievementIn,
    AchievementOut,
    MapOut,
    MapQuery,
    PortfolioOut,
    PortfolioPeriodQuery,
    RuleIn,
    RuleOut,
    SummaryOut,
    SummaryQuery,
    VisitFilters,
    VisitIn,
    VisitOut,
)
from surveys.models import Answer
from surveys.services import questions_of

router = Router(tags=["Портфолио наставника"])


def _municipality(user, municipality_id=None):
    if not roles.can_view(user):
        raise Forbidden(_("Доступно куратору и наставникам муниципалитета."))
    wanted = municipality_id or roles.municipality_id_of(user)
    return get_object_or_404(roles.scope(Municipality.objects.all(), user, "pk"), pk=wanted or 0)


# --- the observation map and visits ---------------------------------------------------------

@router.get("/observation-map", response=MapOut, summary="Карта наблюдений муниципалитета")
def observation_map(request, query: Query[MapQuery]):
    """The criteria of the municipality's observation map (its current version)."""
    questionnaire = services.observation_map(_municipality(request.auth, query.municipality_id))
    questionnaire.questions_list = questions_of(questionnaire)
    return {"id": questionnaire.pk, "title": questionnaire.title,
            "version": questionnaire.version, "description": questionnaire.description,
            "questions": questionnaire.questions_list}


def _visits(user):
    answers = Answer.objects.select_related("question").order_by("question__position")
    return (ObservationVisit.objects.filter(group__in=access.visible_groups(user))
            .select_related("mentor", "mentee", "round")
            .prefetch_related(Prefetch("response__answers", queryset=answers))
            .order_by("-date", "-pk"))


@router.get("/observation-visits", response=list[VisitOut], summary="Посещения уроков")
@paginate
def list_visits(request, filters: Query[VisitFilters]):
    """Visits the user may see: of their own pair (either side), or every pair for the curator."""
    visits = _visits(request.auth)
    if filters.group_id is not None:
        visits = visits.filter(group_id=filters.group_id)
    if filters.mentor_id is not None:
        visits = visits.filter(mentor_id=filters.mentor_id)
    return visits


@router.post("/observation-visits", response={201: VisitOut},
             summary="Записать посещение урока (карта наблюдений)")
def create_visit(request, payload: VisitIn):
    """The pair's mentor (or the curator) records a visit with the filled map; a criterion left
    unanswered or out of the scale is a 422 `invalid_answers` with a message per criterion."""
    user = request.auth
    group = get_object_or_404(access.visible_groups(user).select_related("mentor"),
                              pk=payload.group_id)
    membership = (GroupMembership.objects.filter(group=group, mentee_id=payload.mentee_id)
                  .select_related("mentee").first())
    if membership is None:
        raise Invalid(_("Наставляемый не состоит в этой паре или группе."),
                      details={"field": "mentee_id"})
    visit = services.record_visit(
        group, mentee=membership.mentee, kind=payload.kind, date=payload.date,
        school_class=payload.school_class, subject=payload.subject, answers=payload.answers,
        by=user)
    return Status(201, _visits(user).get(pk=visit.pk))


@router.get("/observation-visits/{visit_id}", response=VisitOut, summary="Посещение урока")
def get_visit(request, visit_id: PathId):
    return get_object_or_404(_visits(request.auth), pk=visit_id)


# --- the portfolio ----------------------------------------------------------------------------

def _period(mentor_or_municipality, query):
    municipality = getattr(mentor_or_municipality, "municipality", mentor_or_municipality)
    today = timezone.localdate(timezone=municipality.zone)
    return access.period_of(query.date_from, query.date_to, today=today)


def _achievement_out(item):
    url = (reverse("portfolio_achievement_evidence", args=[item.pk])
           if item.evidence_file else None)
    return {"id": item.pk, "mentor_id": item.mentor_id, "kind": item.kind, "level": item.level,
            "title": item.title, "date": item.date, "evidence_url": item.evidence_url,
            "evidence_file_url": url, "created_at": item.created_at}


@router.get("/mentors/{person_id}/portfolio", response=PortfolioOut,
            summary="Портфолио наставника")
def portfolio(request, person_id: PathId, query: Query[PortfolioPeriodQuery]):
    """Programs led, practices and their accepted levels, events led, observation visits,
    projects and contests; points over the period. The mentor, their curator, a superuser."""
    mentor = access.mentor_for(request.auth, person_id)
    found = mentor_portfolio(mentor, _period(mentor, query))
    visits = {v.pk: v for v in _visits(request.auth).filter(mentor=mentor)}
    return {
        "mentor_id": mentor.pk, "name": mentor.full_name,
        "school": str(mentor.organisation or ""), "period": found.period,
        "points_total": found.points.total,
        "points": [{"criterion": c, "level": lvl, "label": rule_label(c, lvl), "count": n,
                    "points_each": found.rules.get((c, lvl), 0),
                    "points": found.points.points[(c, lvl)]}
                   for (c, lvl), n in sorted(found.points.counts.items())],
        "programs": [{"id": p.pk, "group_id": p.group_id, "goal": p.goal,
                      "start_date": p.start_date, "end_date": p.end_date}
                     for p in found.programs],
        "practices": [{"id": p.pk, "title": p.title, "status": p.status,
                       "accepted": [{"level": r.level, "accepted_at": r.decided_at}
                                    for r in p.accepted_reviews]} for p in found.practices],
        "events": [{"id": e.pk, "title": e.title, "starts_at": e.starts_at,
                    "form": str(e.form)} for e in found.events],
        "visits": [visits[v.pk] for v in found.visits if v.pk in visits],
        "achievements": [_achievement_out(a) for a in found.achievements],
    }


@router.get("/mentors/{person_id}/achievements", response=list[AchievementOut],
            summary="Проекты, конкурсы, выступления наставника")
@paginate
def list_achievements(request, person_id: PathId):
    mentor = access.mentor_for(request.auth, person_id)
    return [_achievement_out(a) for a in Achievement.objects.filter(mentor=mentor)
            .order_by("-date", "-pk")]


@router.post("/mentors/{person_id}/achievements", response={201: AchievementOut},
             summary="Добавить проект, конкурс или выступление с подтверждением")
def add_achievement(request, person_id: PathId, payload: Form[AchievementIn],
                    evidence_file: File[UploadedFile] = None):
    """A proof link or a file (PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT, ODS, up to 10 MB) is
    required; a refused file is a 422 and nothing is stored."""
    mentor = access.mentor_for(request.auth, person_id)
    item = services.add_achievement(
        mentor, kind=payload.kind, level=payload.level, title=payload.title, date=payload.date,
        evidence_url=payload.evidence_url, evidence_file=evidence_file, by=request.auth)
    return Status(201, _achievement_out(item))


@router.delete("/achievements/{achievement_id}", response={204: None},
               summary="Удалить запись портфолио")
def delete_achievement(request, achievement_id: PathId):
    item = get_object_or_404(Achievement, pk=achievement_id)
    access.mentor_for(request.auth, item.mentor_id)
    services.delete_achievement(item, by=request.auth)
    return Status(204, None)


# --- points -----------------------------------------------------------------------------------

def _rules_out(rules):
    return [{"criterion": c, "level": lvl, "label": rule_label(c, lvl), "points": points}
            for (c, lvl), points in rules.items()]


@router.get("/points-table", response=list[RuleOut], summary="Таблица баллов муниципалитета")
def points_table(request, query: Query[MapQuery]):
    """Points for each case of a criterion at a level; the default until the curator sets one."""
    return _rules_out(rules_of(access.municipality_for(request.auth, query.municipality_id)))


@router.put("/points-table", response=list[RuleOut], summary="Изменить таблицу баллов")
def set_points_table(request, payload: list[RuleIn], query: Query[MapQuery]):
    """The lines given replace those of the table; lines not given keep their points."""
    municipality = access.municipality_for(request.auth, query.municipality_id)
    if len(payload) > 50:
        raise Invalid(_("Слишком много строк."))
    table = services.set_points_table(
        municipality, {(r.criterion, r.level or ""): r.points for r in payload}, by=request.auth)
    return _rules_out(table)


def _summary(request, query):
    municipality = access.municipality_for(request.auth, query.municipality_id)
    return points_summary(municipality, _period(municipality, query),
                          organisation_id=query.organisation_id)


@router.get("/points-summary", response=SummaryOut,
            summary="Сводка баллов наставников по школам")
def summary(request, query: Query[SummaryQuery]):
    """For the payments commission: each school's mentors with points per criterion."""
    found = _summary(request, query)
    return {"municipality": found.municipality, "period": found.period,
            "rules": _rules_out(found.rules), "total": found.total,
            "schools": [{"name": s.name, "total": s.total, "mentors": [
                {"person_id": m.person_id, "name": m.name, "school": m.school,
                 "by_criterion": m.by_criterion(), "total": m.total} for m in s.mentors]}
                for s in found.schools]}


@router.get("/points-summary.{fmt}", summary="Сводка баллов файлом")
def summary_file(request, fmt: Literal["pdf", "xlsx"], query: Query[SummaryQuery]):
    """The same summary as a PDF (A4, landscape) or an XLSX workbook."""
    return exports.download(_summary(request, query), fmt)

