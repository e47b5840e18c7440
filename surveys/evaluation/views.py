"""Pages of evaluation forms for curators and mentors: the form as HTML, links to its files.

Thin: the builders of surveys/evaluation/builder.py make the form, page.py beside it turns its
tables into HTML rows, exports.py formats its values and renders the files; a round, track or
program of another municipality is a 404.
"""


from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.downloads import PDF, attachment
from config.errors import Invalid
from events.models import Program, Track
from participants import roles
from surveys import pair_answers, school_comparison
from surveys.errors import AnonymousRound, NotPairRound
from surveys.evaluation import builder, exports, page
from surveys.evaluation.figures import local_date
from surveys.models import Questionnaire, Round

# What a page can show a form of: the model, the path to its municipality, the builder.
SUBJECTS = {
    "round": (Round, "municipality", builder.round_evaluation),
    "track": (Track, "program__municipality", builder.series_evaluation),
    "program": (Program, "municipality", builder.series_evaluation),
}
FORMATS = (("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"))


def signin_required(view):
    return login_required(view, login_url="signin")


def _require_staff(user):
    if not roles.can_view(user):
        raise PermissionDenied(_("Оценочные листы доступны куратору и наставникам."))


def _scoped(user, subject, pk):
    model, path, _builder = SUBJECTS[subject]
    return get_object_or_404(roles.scope(model.objects.all(), user, path), pk=pk)


def _page(request, form, files, links=()):
    sections = [(section.key, section.title, [page.table_for_page(t) for t in section.tables])
                for section in form.sections]
    return render(request, "surveys/evaluation/form.html", {
        "form": form, "sections": sections, "files": files, "links": links,
        "header": [(f.label, f.value) for f in form.header if f.value not in (None, "")],
    })


@signin_required
def evaluation_form(request, subject, pk):
    """The evaluation form of a round, a track or a program."""
    _require_staff(request.user)
    form = SUBJECTS[subject][2](_scoped(request.user, subject, pk))
    files = [(label, reverse("evaluation_file", args=[subject, pk, fmt]))
             for fmt, label in FORMATS]
    links = []
    if subject == "round":
        links = [(_("Сравнение школ"), reverse("evaluation_schools", args=[pk])),
                 (_("Ввести бумажные анкеты"), reverse("survey_paper_entry", args=[pk]))]
        if form.kind == "round" and _is_pair_round(pk):
            links.append((_("Наставники и наставляемые рядом"),
                          reverse("evaluation_pairs", args=[pk])))
    return _page(request, form, files, links)


@signin_required
def evaluation_file(request, subject, pk, fmt):
    _require_staff(request.user)
    form = SUBJECTS[subject][2](_scoped(request.user, subject, pk))
    return exports.download(form, fmt)


def _prepost_form(request):
    _require_staff(request.user)
    try:
        before_id, after_id = int(request.GET["before"]), int(request.GET["after"])
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    before = _scoped(request.user, "round", before_id)
    after = _scoped(request.user, "round", after_id)
    return builder.prepost_evaluation(before, after)


def _refused(request, error):
    """Two rounds that cannot be compared: the choice again, with the reason."""
    return _index(request, error=error.message, status=422)


@signin_required
def prepost(request):
    """Before and after: the paired change of those who answered both rounds."""
    try:
        form = _prepost_form(request)
    except Invalid as error:
        return _refused(request, error)
    query = request.GET.urlencode()
    files = [(label, f"{reverse('evaluation_prepost_file', args=[fmt])}?{query}")
             for fmt, label in FORMATS]
    return _page(request, form, files)


@signin_required
def prepost_file(request, fmt):
    try:
        return exports.download(_prepost_form(request), fmt)
    except Invalid as error:
        return _refused(request, error)


@signin_required
def index(request):
    """The rounds, tracks and programs of the municipality, and the before/after choice."""
    return _index(request)


def _index(request, *, error="", status=200):
    _require_staff(request.user)
    rounds = list(roles.scope(Round.objects.select_related("questionnaire", "municipality",
                                                           "event"), request.user)
                  .order_by("-opens_at", "-id"))
    for round in rounds:
        round.date = local_date(builder.round_date(round), round.municipality.zone)
    difficulty = [r for r in rounds
                  if r.questionnaire.purpose == Questionnaire.Purpose.DIFFICULTY] or rounds
    return render(request, "surveys/evaluation/index.html", {
        "rounds": rounds, "difficulty_rounds": sorted(difficulty, key=lambda r: r.opens_at),
        "tracks": roles.scope(Track.objects.select_related("program"), request.user,
                              "program__municipality").order_by("program__name", "number"),
        "programs": roles.scope(Program.objects.all(), request.user),
        "min_group": builder.MIN_GROUP, "error": error,
    }, status=status)


@signin_required
def schools(request, pk):
    """Per-school comparison of a round: response rates, hardest topics, the heat map."""
    _require_staff(request.user)
    comparison = school_comparison.school_comparison(_scoped(request.user, "round", pk))
    form = school_comparison.comparison_form(comparison)
    return render(request, "surveys/evaluation/schools.html", {
        "form": form, "tables": [page.table_for_page(t) for t in form.sections[0].tables],
        "topics": [name for _pk, name in comparison.topics],
        "heat": school_comparison.heat_rows(comparison), "round": comparison.round,
        "pdf_url": reverse("evaluation_schools_pdf", args=[pk])})


@signin_required
def schools_pdf(request, pk):
    _require_staff(request.user)
    comparison = school_comparison.school_comparison(_scoped(request.user, "round", pk))
    return attachment(school_comparison.comparison_pdf(comparison), PDF,
                      f"schools-round-{pk}.pdf")


def _is_pair_round(pk):
    return Round.objects.filter(pk=pk, audience=Round.Audience.MENTORING_GROUPS,
                                questionnaire__is_anonymous=False).exists()


def _pairs_form(request, pk):
    _require_staff(request.user)
    round = _scoped(request.user, "round", pk)
    try:
        return pair_answers.pair_answers(round)
    except (AnonymousRound, NotPairRound) as error:
        raise Http404(error.message) from error


@signin_required
def pairs(request, pk):
    """Mentor and mentee answers side by side, per pair and per mentor (named rounds)."""
    form = _pairs_form(request, pk)
    files = [(label, reverse("evaluation_pairs_file", args=[pk, fmt]))
             for fmt, label in FORMATS[:2]]
    return _page(request, form, files)


@signin_required
def pairs_file(request, pk, fmt):
    return exports.download(_pairs_form(request, pk), fmt)
