"""«Мои данные»: the page, and the same data as JSON and as PDF."""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from reportlab.lib.units import mm

from config import pdf
from config.downloads import PDF, attachment
from participants.models import Person
from personal_data.builder import personal_data


def _person(request):
    return (Person.objects.filter(user=request.user)
            .select_related("municipality", "organisation", "user").first())


@login_required(login_url="signin")
@never_cache
def my_data(request):
    person = _person(request)
    return render(request, "personal_data/my_data.html",
                  {"person": person, "sections": personal_data(person) if person else []})


@login_required(login_url="signin")
@never_cache
def my_data_json(request):
    person = _person(request)
    sections = personal_data(person) if person else []
    body = {"exported_at": timezone.now().isoformat(),
            "sections": [{"title": s.title, "columns": s.head, "rows": s.rows}
                         for s in sections]}
    return attachment(json.dumps(body, ensure_ascii=False, indent=2),
                      "application/json; charset=utf-8", "my-data.json")


@login_required(login_url="signin")
@never_cache
def my_data_pdf(request):
    person = _person(request)
    sections = personal_data(person) if person else []
    sheet = pdf.styles()
    title = _("Мои данные в «Школе наставничества»")
    flowables = pdf.header(title, [(_("Участник"), person.full_name if person else ""),
                                   (_("Выгружено"), timezone.localtime().strftime(
                                       "%d.%m.%Y %H:%M"))], style_sheet=sheet)
    for section in sections:
        flowables.append(pdf.text(section.title, sheet["section"]))
        if section.rows:
            widths = [w * mm for w in section.widths] or None
            flowables += pdf.table(section.head, section.rows, widths=widths, style_sheet=sheet)
        else:
            flowables.append(pdf.text(_("нет записей"), sheet["muted"]))
    return attachment(pdf.render(flowables, title=title, footer=title), PDF, "my-data.pdf")
