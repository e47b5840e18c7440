"""Renderers of the execution report: PDF and XLSX, each from ExecutionReport.table()."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm

from config import downloads, pdf
from config.spreadsheet import safe_cell

# Shares of the landscape page: the title and the events need the room.
PDF_WIDTHS = (10, 70, 28, 36, 30, 62, 31)
XLSX_WIDTHS = (6, 60, 22, 30, 24, 60, 40)
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def to_pdf(report):
    sheet = pdf.styles()
    head, rows = report.table()
    flowables = pdf.header(report.title, report.header(), style_sheet=sheet)
    counts = "; ".join(f"{label}: {count}" for label, count in report.counts())
    flowables.append(pdf.text(_("Пунктов: %(total)s (%(counts)s)") % {
        "total": len(rows), "counts": counts}, sheet["body"]))
    flowables.append(pdf.spacer(3 * mm))
    width = pdf.frame_width(wide=True)
    scale = width / sum(PDF_WIDTHS)
    flowables += pdf.table(head, rows, widths=[w * scale for w in PDF_WIDTHS], style_sheet=sheet)
    return pdf.render(flowables, title=report.title, wide=True,
                      footer=f"{report.title} — {report.program}")


def to_xlsx(report):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Исполнение плана")[:31]
    sheet.append([safe_cell(report.title)])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    for label, value in report.header():
        sheet.append([safe_cell(label), safe_cell(value)])
    for label, count in report.counts():
        sheet.append([safe_cell(label), count])
    sheet.append([])
    head, rows = report.table()
    sheet.append([safe_cell(label) for label in head])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RENDERERS = {
    "pdf": (to_pdf, downloads.PDF),
    "xlsx": (to_xlsx, downloads.XLSX),
}


def download(report, fmt):
    return downloads.download(RENDERERS, report, fmt, filename=report.filename)
