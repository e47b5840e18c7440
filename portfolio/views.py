"""Pages of the portfolio: a mentor's portfolio, a pair's visits and the form to record one, the
points summary for the payments commission (page, PDF, XLSX), a proof file's download.

Thin: access.py decides who sees what (another municipality's mentor or pair is a 404),
services.py writes, builder.py and points.py read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import DomainError, Forbidden, Invalid, NotFound
from participants.models import Organisation
from portfolio import access, exports, services
from portfolio.builder import mentor_portfolio, visit_history
from portfolio.forms import AchievementForm, PeriodForm, VisitForm
from portfolio.models import Achievement
from portfolio.points import points_summary, rule_label
from surveys import questions
from surveys.errors import InvalidAnswers
from surveys.services import questions_of


def _found(call, *args):
    try:
        return call(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def _period(request, municipality):
    """The asked period (the school year by default) and the form, with its error if any."""
    form = PeriodForm({"start": request.GET.get("from", ""), "end": request.GET.get("to", "")})
    today = timezone.localdate(timezone=municipality.zone)
    period = access.period_of(None, None, today=today)
    if form.is_valid():
        try:
            period = access.period_of(form.cleaned_data["start"], form.cleaned_data["end"],
                                      today=today)
        except Invalid as exc:
            form.add_error(None, exc.message)
    return period, form


def _portfolio_page(request, mentor, form=None, status=200):
    period, period_form = _period(request, mentor.municipality)
    portfolio = mentor_portfolio(mentor, period)
    lines = [(rule_label(*key), n, portfolio.rules.get(key, 0), portfolio.points.points.get(key, 0))
             for key, n in sorted(portfolio.points.counts.items())]
    return render(request, "portfolio/portfolio.html", {
        "portfolio": portfolio, "mentor": mentor, "period_form": period_form,
        "lines": lines, "form": form or AchievementForm(),
    }, status=400 if period_form.errors else status)


@login_required(login_url="signin")
def portfolio_page(request, person_id):
    """The mentor's programs, practices, events led, visits, projects and contests, points."""
    return _portfolio_page(request, _found(access.mentor_for, request.user, person_id))


@login_required(login_url="signin")
@require_POST
def add_achievement(request, person_id):
    mentor = _found(access.mentor_for, request.user, person_id)
    form = AchievementForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_achievement(
                mentor, kind=data["kind"], level=data["level"], title=data["title"],
                date=data["date"], evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"], by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Запись добавлена в портфолио."))
            return redirect("portfolio", person_id=mentor.pk)
    return _portfolio_page(request, mentor, form, status=422)


def _achievement(request, pk):
    achievement = get_object_or_404(Achievement.objects.select_related("mentor"), pk=pk)
    _found(access.mentor_for, request.user, achievement.mentor_id)
    return achievement


@login_required(login_url="signin")
@require_POST
def delete_achievement(request, pk):
    achievement = _achievement(request, pk)
    try:
        services.delete_achievement(achievement, by=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Запись удалена из портфолио."))
    return redirect("portfolio", person_id=achievement.mentor_id)


@login_required(login_url="signin")
def achievement_evidence(request, pk):
    """A proof file, from the storage, as an attachment."""
    achievement = _achievement(request, pk)
    if not achievement.evidence_file:
        raise Http404(_("Файла нет."))
    name = achievement.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(achievement.evidence_file.open("rb"), as_attachment=True, filename=name)


# --- observation visits ------------------------------------------------------------------------

def _group(request, group_id):
    groups = access.visible_groups(request.user).select_related("mentor", "municipality")
    return get_object_or_404(groups, pk=group_id)


@login_required(login_url="signin")
def pair_visits(request, group_id):
    """The pair's visits over time: what the map noted at each, criterion by criterion."""
    group = _group(request, group_id)
    may_record = True
    try:
        access.ensure_may_record(request.user, group)
    except Forbidden:
        may_record = False
    return render(request, "portfolio/visits.html", {
        "group": group, "history": visit_history(group.observation_visits.all()),
        "may_record": may_record})


def _visit_form(request, group, form, question_list, raws, errors=None, status=200):
    errors = errors or {}
    fields = [questions.field(q, raws.get(q.code), error=errors.get(q.code, ""), number=number)
              for number, q in enumerate(question_list, start=1)]
    return render(request, "portfolio/visit_form.html", {
        "group": group, "form": form, "fields": fields, "error_count": len(errors)},
        status=status)


@login_required(login_url="signin")
@require_http_methods(["GET", "POST"])
def record_visit(request, group_id):
    """The observation map of one visit: who, when, which class and subject, then the criteria."""
    group = _group(request, group_id)
    _found(access.ensure_may_record, request.user, group)
    mentees = list(group.mentees.order_by("last_name", "first_name", "pk"))
    question_list = questions_of(services.observation_map(group.municipality))
    if request.method == "GET":
        today = timezone.localdate(timezone=group.municipality.zone)
        return _visit_form(request, group, VisitForm(mentees=mentees, initial={"date": today}),
                           question_list, {})
    form = VisitForm(request.POST, mentees=mentees)
    raws = {q.code: questions.read_form(q, request.POST) for q in question_list}
    if not form.is_valid():
        return _visit_form(request, group, form, question_list, raws, status=422)
    data = form.cleaned_data
    try:
        services.record_visit(
            group, mentee=next(m for m in mentees if m.pk == data["mentee"]), date=data["date"],
            kind=data["kind"], school_class=data["school_class"], subject=data["subject"],
            answers=raws, by=request.user)
    except InvalidAnswers as exc:
        return _visit_form(request, group, form, question_list, raws, exc.errors, status=422)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _visit_form(request, group, form, question_list, raws, status=422)
    messages.success(request, _("Посещение записано."))
    return redirect("pair_visits", group_id=group.pk)


# --- the points summary --------------------------------------------------------------------------

def _summary(request):
    municipality = _found(access.municipality_for, request.user)
    period, form = _period(request, municipality)
    schools = list(Organisation.objects.filter(municipality=municipality)
                   .order_by("short_name", "name"))
    wanted = request.GET.get("school", "")
    school = next((s for s in schools if str(s.pk) == wanted), None)
    summary = points_summary(municipality, period,
                             organisation_id=school.pk if school else None)
    return summary, form, schools, school


@login_required(login_url="signin")
def points_page(request):
    """Each school's mentors with their points by criterion, for the payments commission."""
    summary, form, schools, school = _summary(request)
    query = (f"from={summary.period.start:%Y-%m-%d}&to={summary.period.end:%Y-%m-%d}"
             + (f"&school={school.pk}" if school else ""))
    return render(request, "portfolio/points.html", {
        "summary": summary, "form": form, "schools": schools, "school": school,
        "head": exports.head(), "rules": exports.rules_rows(summary),
        "tables": [(s, [(m, exports.mentor_row(m)) for m in s.mentors])
                   for s in summary.schools],
        "files": [(label, f"{reverse('points_file', args=[fmt])}?{query}")
                  for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))],
    }, status=400 if form.errors else 200)


@login_required(login_url="signin")
def points_file(request, fmt):
    summary, _form, _schools, _school = _summary(request)
    return exports.download(summary, fmt)
