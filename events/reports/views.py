"""Pages of attendance reports: the report as HTML, a period to choose, links to its files.

Thin: events/reports/builder.py makes the report, formats.py writes its values, files.py renders
the downloads; access.py decides who sees what (another municipality's object is a 404).
"""

import html
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config import svg
from config.errors import DomainError, Forbidden
from events import services
from events.formatting import format_date
from events.models import Event, Program, SheetClosure, Track
from events.reports import access, builder, files
from events.reports.formats import chart_fractions, display_facts, display_rows, format_value
from participants import roles
from participants.models import Person

FORMATS = (("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"))
RECENT_EVENTS = 30


def signin_required(view):
    return login_required(view, login_url="signin")


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("С"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=gettext_lazy("По"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, query):
        super().__init__({"date_from": query.get("from", ""), "date_to": query.get("to", "")})

    def period(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("date_from"), data.get("date_to")


def _report(request, subject, pk, period_form):
    user = request.user
    try:
        if subject == "event":
            return builder.event_report(access.event_or_404(user, pk))
        period = access.period(*period_form.period())
        if subject == "person":
            return builder.person_report(access.person_or_404(user, pk), period)
        find = access.program_or_404 if subject == "program" else access.track_or_404
        return builder.series_report(find(user, pk), period)
    except Forbidden as error:
        raise PermissionDenied(error.message) from error


@dataclass
class ShownTable:
    key: str
    title: str
    head: list  # (label, is_number)
    rows: list  # [(cells: [(text, is_number)], fill or None)]
    note: str
    has_bars: bool
    matrix: bool
    svg: str = ""  # the table's chart drawn on the server


def _html_rows(table, numbers):
    """A thousand-row matrix as ready rows: a template loop over 40,000 cells takes a second."""
    starts = ['<td class="num">' if number else "<td>" for number in numbers]
    # The standard library's escape: Django's lazy-aware wrapper costs twice as much per cell.
    return [mark_safe("<tr>" + "".join(f"{start}{html.escape(text)}</td>" for start, text
                                       in zip(starts, texts, strict=True)) + "</tr>")
            for texts in display_rows(table)]


def _shown(table):
    numbers = [column.kind in builder.NUMERIC for column in table.columns]
    if table.matrix:
        head = list(zip([c.label for c in table.columns], numbers, strict=True))
        return ShownTable(table.key, table.title, head, _html_rows(table, numbers), table.note,
                          has_bars=False, matrix=True)
    fractions = chart_fractions(table) or [None] * len(table.rows)
    rows = [(list(zip(texts, numbers, strict=True)),
             None if fill is None else f"{fill:.3f}")
            for texts, fill in zip(display_rows(table), fractions, strict=True)]
    return ShownTable(table.key, table.title,
                      list(zip([c.label for c in table.columns], numbers, strict=True)), rows,
                      table.note, has_bars=table.chart is not None, matrix=table.matrix,
                      svg=_svg(table))


def _svg(table):
    """The table's chart as SVG: a bar per group (a total row is no group)."""
    chart = table.chart
    rows = [row for row in table.rows if row.get(chart.label_key) != _("Итого")] \
        if chart else []
    if not rows:
        return ""
    kind = next(c.kind for c in table.columns if c.key == chart.value_key)
    return svg.bar_chart(chart.title, [row[chart.label_key] for row in rows],
                         [[row[chart.value_key] for row in rows]],
                         max_value=1 if kind == builder.PCT else None,
                         value_text=lambda value: format_value(value, kind))


def _query(request):
    keep = {key: request.GET[key] for key in ("from", "to") if request.GET.get(key)}
    return "?" + "&".join(f"{key}={value}" for key, value in keep.items()) if keep else ""


@signin_required
def report_page(request, subject, pk):
    """The attendance report of a program, a track, an event or a person."""
    form = PeriodForm(request.GET)
    error = ""
    try:
        report = _report(request, subject, pk, form)
    except DomainError as exc:  # a period that ends before it starts
        error, form = exc.message, PeriodForm({})
        report = _report(request, subject, pk, form)
    query = _query(request) if not error else ""
    files_links = [(label, reverse("attendance_report_file", args=[subject, pk, fmt]) + query)
                   for fmt, label in FORMATS]
    closable = (subject == "event" and roles.can_manage(request.user) and not report.closure)
    return render(request, "events/reports/report.html", {
        "report": report, "subject": subject, "pk": pk, "form": form, "error": error,
        "facts": display_facts(report), "tables": [_shown(t) for t in report.tables],
        "files": files_links, "closable": closable, "has_period": subject != "event",
    }, status=422 if error else 200)


@signin_required
def report_file(request, subject, pk, fmt):
    form = PeriodForm(request.GET)
    return files.download(_report(request, subject, pk, form), fmt)


@signin_required
@require_POST
def close_sheet(request, pk):
    """The curator closes the event's attendance sheet."""
    try:
        services.close_sheet(access.event_or_404(request.user, pk), by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Лист посещаемости закрыт. Исправления после закрытия "
                                    "сохраняются в истории мероприятия."))
    return redirect("attendance_report", "event", pk)


@signin_required
def index(request):
    """Staff: programs, tracks and recent events to open a report of; a participant: theirs."""
    person = Person.objects.filter(user=request.user).first()
    if not roles.can_view(request.user):
        if person is None:
            raise PermissionDenied(_("Учётная запись не связана с участником."))
        return redirect("attendance_report", "person", person.pk)
    curator = roles.can_manage(request.user)
    programs = (roles.scope(Program.objects.all(), request.user) if curator
                else Program.objects.none())
    tracks = (roles.scope(Track.objects.select_related("program"), request.user,
                          "program__municipality").order_by("program__name", "number")
              if curator else Track.objects.none())
    events = (Event.objects.select_related("municipality")
              .exclude(status=Event.Status.CANCELLED).order_by("-starts_at"))
    events = list(roles.scope(events, request.user)[:RECENT_EVENTS])
    closed = set(SheetClosure.objects.filter(event__in=[e.pk for e in events])
                 .values_list("event_id", flat=True))
    events = [(event, format_date(event.starts_at, event.municipality.zone)) for event in events]
    return render(request, "events/reports/index.html", {
        "programs": programs, "tracks": tracks, "events": events, "closed": closed,
        "person": person,
    })
