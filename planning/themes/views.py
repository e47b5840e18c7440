"""The themes page (curators and mentors), its PDF and XLSX, and the curator's acceptance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError, Forbidden
from events.models import Program
from participants import roles
from participants.models import Person, Topic
from planning.themes import services
from planning.themes.form import themes_form
from planning.themes.query import parse_date, themes_for
from surveys.evaluation import exports
from surveys.evaluation.page import table_for_page

FORMATS = (("pdf", "PDF"), ("xlsx", "XLSX"))


def _themes(request):
    try:
        return themes_for(request.user, start=request.GET.get("start"),
                          end=request.GET.get("end"), round_id=_int(request.GET.get("round")))
    except Forbidden as error:
        raise PermissionDenied(error.message) from error


def _int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


@login_required(login_url="signin")
def themes_page(request):
    """Rankings, coverage, gaps and suggestions, with links to the same report as files."""
    try:
        themes = _themes(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("planning_themes")
    form = themes_form(themes)
    query = request.GET.urlencode()
    sections = [(s.key, s.title, [table_for_page(t) for t in s.tables]) for s in form.sections]
    return render(request, "planning/themes.html", {
        "form": form, "sections": sections, "themes": themes,
        "header": [(f.label, f.value) for f in form.header if f.value not in (None, "")],
        "files": [(label, f"{reverse('planning_themes_file', args=[fmt])}?{query}")
                  for fmt, label in FORMATS],
        "can_accept": roles.can_manage(request.user),
        "programs": roles.scope(Program.objects.all(), request.user).order_by("-start_date"),
        "start": themes.start.isoformat(), "end": themes.end.isoformat()})


@login_required(login_url="signin")
def themes_file(request, fmt):
    try:
        themes = _themes(request)
    except DomainError as error:
        raise Http404 from error
    return exports.download(themes_form(themes), fmt)


@require_POST
@login_required(login_url="signin")
def accept(request):
    """The curator accepts a suggested theme: a draft track in the chosen program."""
    if not roles.can_manage(request.user):
        raise PermissionDenied(_("Принять тему может куратор."))
    program = get_object_or_404(roles.scope(Program.objects.all(), request.user),
                                pk=_int(request.POST.get("program")) or 0)
    topic = get_object_or_404(Topic, pk=_int(request.POST.get("topic")) or 0)
    mentor_id = _int(request.POST.get("mentor"))
    mentor = get_object_or_404(roles.scope(Person.objects.all(), request.user),
                               pk=mentor_id) if mentor_id else None
    try:
        track = services.accept_theme(
            program, topic, mentor=mentor, by=request.user,
            start_date=parse_date(request.POST.get("start_date"), "start_date"),
            end_date=parse_date(request.POST.get("end_date"), "end_date"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Создан черновик трека: %(track)s.") % {"track": track})
    return redirect("planning_themes")
