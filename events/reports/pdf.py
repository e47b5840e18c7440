"""An attendance report as a PDF: A4 (landscape for the person × event matrix), pages numbered,
the department, program and period on top, a place for the curator's signature at the end."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from config import pdf
from events.reports import matrix_pdf
from events.reports.builder import MARK, NUMERIC
from events.reports.formats import chart_fractions, display_facts, display_rows


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


def _matrix(table, width):
    """The person × event matrix: pieces of as many event columns as fit, rows as text lines."""
    rows = display_rows(table)
    marks = [i for i, c in enumerate(table.columns) if c.kind == MARK]
    totals = [i for i, c in enumerate(table.columns) if c.kind != MARK][2:]
    per = matrix_pdf.events_per_piece(width)
    names = [(matrix_pdf.cut(row[0], matrix_pdf.NAME_WIDTH - 4),
              matrix_pdf.cut(row[1], matrix_pdf.SCHOOL_WIDTH - 4)) for row in rows]
    flowables = []
    for start in range(0, max(len(marks), 1), per):
        chunk = marks[start:start + per]
        head = (table.columns[0].label, table.columns[1].label, matrix_pdf.marks_line(
            [table.columns[i].label for i in chunk],
            [_short(table.columns[i].label) for i in totals]))
        body = [(name, school, matrix_pdf.marks_line([row[i] for i in chunk],
                                                     [row[i] for i in totals]))
                for (name, school), row in zip(names, rows, strict=True)]
        flowables += [matrix_pdf.MatrixRows(head, body, cells=len(chunk)), pdf.spacer(3 * mm)]
    return flowables


def _short(label):
    return label[:matrix_pdf.TOTAL - 1]


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
