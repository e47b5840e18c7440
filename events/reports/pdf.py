"""An attendance report as a PDF: A4 (landscape for the person × event matrix), pages numbered,
the department, program and period on top, a place for the curator's signature at the end."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle

from config import pdf
from events.reports.builder import MARK, NUMERIC
from events.reports.formats import chart_fractions, display_facts, display_rows

MARK_WIDTH = 7.5 * mm
NAME_WIDTH = 58 * mm
SCHOOL_WIDTH = 30 * mm
TOTAL_WIDTH = 16 * mm
MATRIX_ROWS = 40  # rows per piece: a page break then measures one small table, not a thousand
MATRIX_FONT = 6.5


def generated(zone):
    return timezone.localtime(timezone=zone or zoneinfo.ZoneInfo("UTC")).strftime(
        "%d.%m.%Y %H:%M")


def _head(report, sheet):
    flowables = [pdf.text(report.department, sheet["heading"])]
    flowables += pdf.header(report.title, [*report.header, (_("Сформирован"),
                                                            generated(report.zone))],
                            style_sheet=sheet)
    if report.closure:
        flowables.insert(-1, pdf.text(report.closure, sheet["body"]))
    line = " · ".join(f"{label}: {value}" for label, value in display_facts(report))
    flowables.append(pdf.text(line, sheet["body"]))
    return flowables


def _table(table, width, sheet):
    numeric = [i for i, c in enumerate(table.columns) if c.kind in NUMERIC]
    texts = len(table.columns) - len(numeric)
    bars = chart_fractions(table)
    bar_width = 32 * mm if bars is not None else 0
    numbers = {i: max(14 * mm, pdf.longest_word_width(table.columns[i].label) + 10)
               for i in numeric}
    text_width = max((width - bar_width - sum(numbers.values())) / max(texts, 1), 25 * mm)
    widths = [numbers.get(i, text_width) for i in range(len(table.columns))]
    return pdf.table([c.label for c in table.columns], display_rows(table), widths=widths,
                     numeric=numeric, bars=bars, bar_width=bar_width, style_sheet=sheet)


def _matrix_chunks(table, width):
    """Groups of event columns that fit the page next to the name, school and totals."""
    marks = [i for i, c in enumerate(table.columns) if c.kind == MARK]
    fixed = [i for i in range(len(table.columns)) if i not in marks]
    room = width - NAME_WIDTH - SCHOOL_WIDTH - TOTAL_WIDTH * (len(fixed) - 2)
    per = max(1, int(room // MARK_WIDTH))
    chunks = [marks[i:i + per] for i in range(0, len(marks), per)] or [[]]
    return [sorted(fixed[:2] + chunk + fixed[2:]) for chunk in chunks]


MATRIX_STYLE = [
    ("FONT", (0, 0), (-1, -1), pdf.FONT, MATRIX_FONT),
    ("FONT", (0, 0), (-1, 0), pdf.FONT_BOLD, MATRIX_FONT),
    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
    ("BACKGROUND", (0, 0), (-1, 0), pdf.BRAND),
    ("GRID", (0, 0), (-1, -1), 0.3, pdf.LINE),
    ("ALIGN", (2, 0), (-1, -1), "CENTER"),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
]


def _cut(text, width):
    """Plain strings (no paragraphs) keep a thousand-row matrix fast; long names are cut."""
    room = width - 4
    if pdfmetrics.stringWidth(text, pdf.FONT, MATRIX_FONT) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", pdf.FONT, MATRIX_FONT) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _matrix(table, width):
    """The person × event matrix as plain-string tables, in pieces of rows and of columns."""
    rows = display_rows(table)
    flowables = []
    for chunk in _matrix_chunks(table, width):
        widths = [NAME_WIDTH, SCHOOL_WIDTH] + [
            MARK_WIDTH if table.columns[i].kind == MARK else TOTAL_WIDTH for i in chunk[2:]]
        head = [table.columns[i].label for i in chunk]
        body = [[_cut(row[0], NAME_WIDTH), _cut(row[1], SCHOOL_WIDTH),
                 *(row[i] for i in chunk[2:])] for row in rows]
        for start in range(0, max(len(body), 1), MATRIX_ROWS):
            piece = PdfTable([head, *body[start:start + MATRIX_ROWS]], colWidths=widths,
                             repeatRows=1, hAlign="LEFT")
            piece.setStyle(TableStyle(MATRIX_STYLE))
            flowables.append(piece)
        flowables.append(pdf.spacer(3 * mm))
    return flowables


def _signature(report, sheet):
    signer = report.signer or "_" * 28
    return [pdf.spacer(10 * mm), pdf.keep_together([
        pdf.text(_("Куратор программы: %(name)s") % {"name": signer}, sheet["body"]),
        pdf.spacer(8 * mm),
        pdf.text(_("Подпись ____________________        Дата «____» ____________ 20____ г."),
                 sheet["body"]),
    ])]


def to_pdf(report):
    """The report as PDF bytes."""
    sheet = pdf.styles()
    width = pdf.frame_width(wide=report.wide)
    flowables = _head(report, sheet)
    for table in report.tables:
        blocks = [pdf.text(table.title, sheet["section"])]
        if not table.rows:
            blocks.append(pdf.text(_("Нет данных."), sheet["muted"]))
            flowables.append(pdf.keep_together(blocks))
            continue
        body = _matrix(table, width) if table.matrix else _table(table, width, sheet)
        flowables += [pdf.keep_together(blocks + body[:1]), *body[1:]]
        if table.note:
            flowables.append(pdf.text(table.note, sheet["muted"]))
    flowables += _signature(report, sheet)
    footer = f"{report.department} · {report.title}"
    return pdf.render(flowables, title=report.title, author=report.department, footer=footer,
                      wide=report.wide)
