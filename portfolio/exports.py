"""The points summary for the payments commission as PDF (reportlab) and XLSX (openpyxl).

Both come from the one PointsSummary: a table per school (mentor, points per criterion, total),
then the table of points used; the workbook adds the long form behind every figure. Every text
of the workbook passes config.spreadsheet.safe_cell; numbers stay numbers.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.units import mm

from config import downloads, pdf
from config.spreadsheet import safe_cell
from portfolio.models import Criterion
from portfolio.points import CRITERIA_SHORT, detail_rows, rule_label


def title():
    return _("Сводка баллов наставников для комиссии по стимулирующим выплатам")


def head():
    return [_("Наставник"), *[str(CRITERIA_SHORT[c]) for c in Criterion.values],
            _("Итого баллов")]


def mentor_row(mentor):
    return [mentor.name, *mentor.by_criterion().values(), mentor.total]


def header_lines(summary):
    return [(_("Муниципалитет"), summary.municipality), (_("Период"), summary.period.label()),
            (_("Сформирована"), f"{summary.built_at:%d.%m.%Y}")]


def rules_rows(summary):
    return [[rule_label(criterion, level), points]
            for (criterion, level), points in summary.rules.items()]


# --- PDF -------------------------------------------------------------------------------------

def to_pdf(summary):
    sheet = pdf.styles()
    width = pdf.frame_width(wide=True)
    flow = pdf.header(title(), header_lines(summary), style_sheet=sheet)
    widths = [70 * mm, *[(width - 70 * mm - 25 * mm) / 5] * 5, 25 * mm]
    for school in summary.schools:
        flow.append(pdf.text(_("%(school)s — всего %(total)s") % {
            "school": school.name, "total": school.total}, sheet["section"]))
        flow += pdf.table(head(), [mentor_row(m) for m in school.mentors], widths=widths,
                          numeric={1, 2, 3, 4, 5, 6}, style_sheet=sheet)
    if not summary.schools:
        flow.append(pdf.text(_("Наставников нет."), sheet["body"]))
    flow.append(pdf.text(_("Таблица баллов (за каждый случай)"), sheet["section"]))
    flow += pdf.table([_("Показатель"), _("Баллов")], rules_rows(summary),
                      widths=[width - 30 * mm, 30 * mm], numeric={1}, style_sheet=sheet)
    flow += [pdf.spacer(8 * mm), pdf.text(
        _("Председатель комиссии ____________________ / ____________________"), sheet["body"])]
    return pdf.render(flow, title=title(), author=summary.municipality, wide=True,
                      footer=f"{title()} · {summary.municipality} · {summary.period.label()}")


# --- XLSX ------------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6EE")
WRAP = Alignment(wrap_text=True, vertical="top")


def _head(sheet, row, labels):
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row, column, safe_cell(str(label)))
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP


def _summary_sheet(book, summary):
    sheet = book.active
    sheet.title = _("Сводка")
    sheet.append([safe_cell(title())])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append([safe_cell(_("Муниципалитет")), safe_cell(summary.municipality)])
    sheet.append([safe_cell(_("Период с")), summary.period.start, safe_cell(_("по")),
                  summary.period.end])
    for column in (2, 4):
        sheet.cell(3, column).number_format = "DD.MM.YYYY"
    _head(sheet, 5, [_("Школа"), *head()])
    for school in summary.schools:
        for mentor in school.mentors:
            sheet.append([safe_cell(school.name), *[safe_cell(v) for v in mentor_row(mentor)]])
        sheet.append([safe_cell(school.name), safe_cell(_("Итого по школе")),
                      *[None] * 5, school.total])
        sheet.cell(sheet.max_row, 2).font = BOLD
    sheet.freeze_panes = "C6"
    sheet.auto_filter.ref = f"A5:H{max(sheet.max_row, 5)}"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 40
    for column in "CDEFGH":
        sheet.column_dimensions[column].width = 16


def _detail_sheet(book, summary):
    sheet = book.create_sheet(_("Подробно"))
    _head(sheet, 1, [_("Школа"), _("Наставник"), _("Показатель"), _("Уровень"),
                     _("Случаев"), _("Баллов за каждый"), _("Баллов")])
    for row in detail_rows(summary):
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:G{max(sheet.max_row, 1)}"
    for column, width in zip("ABCDEFG", (40, 40, 60, 16, 10, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width


def _rules_sheet(book, summary):
    sheet = book.create_sheet(_("Таблица баллов"))
    _head(sheet, 1, [_("Показатель"), _("Баллов за каждый")])
    for row in rules_rows(summary):
        sheet.append([safe_cell(v) for v in row])
    sheet.column_dimensions["A"].width = 90
    sheet.column_dimensions["B"].width = 18


def to_xlsx(summary):
    book = Workbook()
    _summary_sheet(book, summary)
    _detail_sheet(book, summary)
    _rules_sheet(book, summary)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RENDERERS = {
    "pdf": (to_pdf, "application/pdf"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def download(summary, fmt):
    """An HTTP attachment of the summary as PDF or XLSX."""
    name = f"points-{summary.period.start:%Y%m%d}-{summary.period.end:%Y%m%d}"
    return downloads.download(RENDERERS, summary, fmt, filename=name)
