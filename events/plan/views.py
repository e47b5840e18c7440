"""Pages of the plan for curators and mentors: the execution report and its files, and the
download of an item's evidence. Another municipality's program or item is a 404."""

import datetime
import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import Program
from events.plan import exports, report
from events.plan.models import PlanItem
from participants import roles


def _staff(user):
    if not roles.can_view(user):
        raise PermissionDenied(_("План и отчёт доступны куратору и наставникам."))


def _program(user, pk):
    _staff(user)
    queryset = roles.scope(Program.objects.select_related("municipality"), user)
    return get_object_or_404(queryset, pk=pk)


def _date(request, name):
    value = request.GET.get(name) or ""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None  # a mistyped date shows the whole program, never a 500


def _built(request, pk):
    program = _program(request.user, pk)
    start, end = _date(request, "start"), _date(request, "end")
    return report.execution_report(program, start=start, end=end), start, end


@login_required(login_url="signin")
def report_page(request, pk):
    """The execution report of a program's plan, with links to its PDF and XLSX."""
    built, start, end = _built(request, pk)
    query = request.GET.urlencode()
    files = [(label, reverse("plan_report_file", args=[pk, fmt]) + (f"?{query}" if query else ""))
             for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))]
    head, rows = built.table()
    return render(request, "events/plan/report.html", {
        "report": built, "head": head, "rows": zip(built.rows, rows, strict=True),
        "files": files, "start": start, "end": end,
    })


@login_required(login_url="signin")
def report_file(request, pk, fmt):
    built, _start, _end = _built(request, pk)
    return exports.download(built, fmt)


@login_required(login_url="signin")
def evidence(request, pk):
    """An item's evidence file, from the storage, as an attachment."""
    _staff(request.user)
    items = roles.scope(PlanItem.objects.all(), request.user, "program__municipality")
    item = get_object_or_404(items, pk=pk)
    if not item.evidence_file:
        raise Http404(_("Файла подтверждения нет."))
    name = item.evidence_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(item.evidence_file.open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)
