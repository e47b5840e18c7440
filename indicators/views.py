"""The curator's indicators page (charts drawn on the server) and its PDF and XLSX files.

Thin: access.py decides who reads which municipality and period, builder.py counts, charts.py
and exports.py draw. Another municipality is a 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import Forbidden, Invalid, NotFound
from indicators import access, charts, exports
from indicators.builder import indicator_report


class PeriodForm(forms.Form):
    # Named as in the API's query string.
    start = forms.DateField(label=_("С"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("По"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _report(request):
    """The report of the asked period; the form (with errors, if any) to show with it."""
    try:
        municipality = access.municipality_for(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = PeriodForm({"start": request.GET.get("from", ""), "end": request.GET.get("to", "")})
    today = timezone.localdate(timezone=municipality.zone)
    period = access.school_year(today)
    if form.is_valid():
        try:
            period = access.period_of(form.cleaned_data["start"], form.cleaned_data["end"],
                                      today=today)
        except Invalid as exc:
            form.add_error(None, exc.message)
    return indicator_report(municipality, period), form


@login_required(login_url="signin")
def indicators_page(request):
    """The indicators of a period with the previous one, charts and the lists behind them."""
    report, form = _report(request)
    query = f"from={report.period.start:%Y-%m-%d}&to={report.period.end:%Y-%m-%d}"
    files = [(label, f"{reverse('indicators_file', args=[fmt])}?{query}")
             for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))]
    return render(request, "indicators/page.html", {
        "report": report, "form": form, "files": files,
        "rows": list(zip(report.indicators, exports.summary_rows(report), strict=True)),
        "charts": [(_("Доли за период и за предыдущий период"), charts.indicators_chart(report)),
                   (_("Посещаемость по месяцам"),
                    charts.attendance_chart(report) if report.months else None),
                   (_("Удовлетворённость по мероприятиям"),
                    charts.satisfaction_chart(report) if report.satisfaction else None),
                   (_("Самые трудные темы (анкеты «Трудности в работе» за период)"),
                    charts.hardest_topics_chart(report) if charts.hardest_topics(report)
                    else None)],
    }, status=400 if form.errors else 200)


@login_required(login_url="signin")
def indicators_file(request, fmt):
    report, _form = _report(request)
    return exports.download(report, fmt)
