"""Renderers of an evaluation form: PDF, XLSX and CSV, each from the very tables the builder made.

They add nothing and drop nothing: every section, table, fact and note of the form appears in
each format, numbers written as a Russian reader expects (3,86; 71,4 %).
"""

import csv
import io
import re
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm

from config import downloads, pdf
from config.spreadsheet import safe_cell
from surveys.evaluation.figures import DELTA, INT, NUM, NUMERIC, PCT, POINTS

MINUS = "−"
NBSP = "\u00a0"


# --- values as people read them -----------------------------------------------------------------

def _decimal(value, digits, *, signed=False):
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace(".", ",").replace("-", MINUS)


def format_value(value, kind):
    """A value for the page and the PDF: «3,86», «71,4 %», «+1,50», «—» for none."""
    if value is None:
        return "—"
    if isinstance(value, str) or kind not in NUMERIC:
        return str(value)
    if kind == INT:
        return str(int(value))
    if kind == PCT:
        return _decimal(value * 100, 1) + NBSP + "%"
    if kind == DELTA:
        return _decimal(value, 2, signed=True) if value else "0,00"
    if kind == POINTS:
        return _decimal(value, 1, signed=True) if value else "0,0"
    return _decimal(value, 2)


def display_rows(table):
    """The rows of a table as strings in column order."""
    return [[format_value(row.get(column.key), column.kind) for column in table.columns]
            for row in table.rows]


def display_facts(table):
    return [(fact.label, format_value(fact.value, fact.kind)) for fact in table.facts]


def bar_fractions(table):
    """Per row, how full its bar is (0..1), for a chart drawn inside the table; else None."""
    chart = table.chart
    if chart is None or chart.compare_key:
        return None
    values = [row.get(chart.value_key) for row in table.rows]
    numbers = [v for v in values if isinstance(v, int | float)]
    top = chart.max_value or max(numbers, default=0) or 1
    return [v / top if isinstance(v, int | float) else None for v in values]


def _generated(form):
    return timezone.localtime(timezone=zoneinfo.ZoneInfo(form.time_zone)).strftime(
        "%d.%m.%Y %H:%M")


# --- PDF ---------------------------------------------------------------------------------------

NUMBER_WIDTH = 26 * mm
TEXT_MIN_WIDTH = 45 * mm  # a label column narrower than this pushes numbers to a next piece
TEXT_FLOOR = 30 * mm


def _column_chunks(table, width):
    """Column index lists that fit the page: a wide breakdown repeats its label column."""
    numeric = [i for i, c in enumerate(table.columns) if c.kind in NUMERIC]
    text = [i for i, c in enumerate(table.columns) if c.kind not in NUMERIC]
    per_chunk = max(1, int((width - TEXT_MIN_WIDTH * min(len(text), 1)) // NUMBER_WIDTH))
    if len(numeric) <= per_chunk or not text:
        return [list(range(len(table.columns)))]
    return [sorted(text + numeric[i:i + per_chunk]) for i in range(0, len(numeric), per_chunk)]


def _numbers(table, columns):
    return sum(table.columns[i].kind in NUMERIC for i in columns)


def _number_width(label):
    """As wide as the longest word of its heading needs, within 16 mm and NUMBER_WIDTH."""
    return min(NUMBER_WIDTH, max(16 * mm, pdf.longest_word_width(label) + 10))


def _widths(kinds, labels, rows, width):
    """Numbers as wide as their headings need; texts share the rest by how long they are
    (at least TEXT_FLOOR each, or an equal share of the page when that many columns cannot
    have it), squeezing the numbers if they must. Every width is positive; they sum to width."""
    numbers = [_number_width(label) for kind, label in zip(kinds, labels, strict=True)
               if kind in NUMERIC]
    texts = [i for i, kind in enumerate(kinds) if kind not in NUMERIC]
    if not texts:
        return [width / len(kinds)] * len(kinds)
    # Six texts at TEXT_FLOOR are wider than a portrait page: the floor itself must give way,
    # else the numbers would get what is left of the page — a negative width.
    floor = min(TEXT_FLOOR, width / len(kinds))
    room = max(width - sum(numbers), floor * len(texts))
    if numbers and sum(numbers) > width - room:
        numbers = [n * (width - room) / sum(numbers) for n in numbers]
    # A date needs a tenth of what a question does: share by content length, capped.
    lengths = [max([len(str(row[i])) for row in rows] + [len(labels[i]) // 2, 8])
               for i in texts]
    weights = [min(length, 60) for length in lengths]
    shares = {i: max(floor, room * w / sum(weights)) for i, w in zip(texts, weights,
                                                                     strict=True)}
    scale = room / sum(shares.values())
    numbers = iter(numbers)
    return [shares[i] * scale if i in shares else next(numbers) for i in range(len(kinds))]


def _pdf_table(table, rows, columns, width, sheet, bars=None):
    kinds = [table.columns[i].kind for i in columns]
    labels = [table.columns[i].label for i in columns]
    bar_width = 38 * mm if bars is not None else 0
    cells = [[row[i] for i in columns] for row in rows]
    return pdf.table(labels, cells, widths=_widths(kinds, labels, cells, width - bar_width),
                     numeric=[n for n, kind in enumerate(kinds) if kind in NUMERIC],
                     bars=bars, bar_width=bar_width, style_sheet=sheet)


def _compare_chart(table, width):
    chart = table.chart
    rows = [row for row in table.rows if isinstance(row.get(chart.value_key), int | float)]
    if not rows:
        return None
    compare = next(c.label for c in table.columns if c.key == chart.compare_key)
    value = next(c.label for c in table.columns if c.key == chart.value_key)
    return pdf.bar_chart([row[chart.label_key] for row in rows],
                         [[row[chart.compare_key] for row in rows],
                          [row[chart.value_key] for row in rows]],
                         width=width, names=(compare, value), max_value=chart.max_value,
                         value_text=lambda v: format_value(v, chart.kind))


def _pdf_blocks(table, width, sheet):
    """The flowables of a table, and how many of them to keep on one page (title, facts and
    the first piece of the table — never a title alone at the foot of a page)."""
    blocks = [pdf.text(table.title, sheet["heading"])]
    shown_facts = display_facts(table)
    if all(fact.kind in NUMERIC for fact in table.facts) and len(shown_facts) <= 5:
        lines = [" · ".join(f"{label}: {value}" for label, value in shown_facts)]
    else:  # texts (which rounds, «2 из 3») read better one per line
        lines = [f"{label}: {value}" for label, value in shown_facts]
    blocks += [pdf.text(line, sheet["body"]) for line in lines if line]
    lead = len(blocks) + 1
    if table.columns and table.rows:
        rows, bars = display_rows(table), bar_fractions(table)
        chunks = _column_chunks(table, width)
        widest = max(_numbers(table, chunk) for chunk in chunks)
        for n, chunk in enumerate(chunks):
            # A narrower last piece keeps the label column as wide as in the others.
            piece = width - (widest - _numbers(table, chunk)) * NUMBER_WIDTH
            blocks += _pdf_table(table, rows, chunk, piece, sheet, bars if n == 0 else None)
        if table.chart and table.chart.compare_key:
            chart = _compare_chart(table, width)
            blocks += [pdf.spacer(3 * mm), chart] if chart else []
    elif table.columns:
        blocks.append(pdf.text(_("Ответов нет."), sheet["muted"]))
    if table.note:
        blocks.append(pdf.text(table.note, sheet["muted"]))
    return blocks, (len(blocks) if len(table.rows) <= LONG_TABLE else lead)


LONG_TABLE = 12  # rows; a longer table may break across pages, a shorter one stays whole


def to_pdf(form):
    """The form as a PDF: header, then each section and its tables with bar charts."""
    return pdf.render(pdf_flowables(form, pdf.styles()), title=form.title,
                      author=_("Школа наставничества"), footer=form.title)


def pdf_flowables(form, sheet):
    """The flowables of a form's PDF, for a report that adds its own after them."""
    width = pdf.frame_width()
    flowables = pdf.header(form.title, [(f.label, f.value) for f in form.header]
                           + [(_("Сформирован"), _generated(form))], style_sheet=sheet)
    for section in form.sections:
        heading = [pdf.text(section.title, sheet["section"])]
        for table in section.tables:
            blocks, kept = _pdf_blocks(table, width, sheet)
            # The section heading stays with its first table; a short table stays whole.
            kept += len(heading)
            blocks = heading + blocks
            flowables += [pdf.keep_together(blocks[:kept]), *blocks[kept:]]
            heading = []
    return flowables


# --- XLSX --------------------------------------------------------------------------------------

XLSX_FORMATS = {INT: "0", NUM: "0.00", PCT: "0.0%", DELTA: "+0.00;-0.00;0.00",
                POINTS: "+0.0;-0.0;0.0"}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_name(title, taken):
    name = re.sub(r"[\[\]:*?/\\\s]", " ", safe_cell(title)).strip(" '")[:31] or _("Лист")
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _append(sheet, values):
    sheet.append([safe_cell(value) for value in values])


def _xlsx_table(sheet, table):
    _append(sheet, [table.title])
    sheet.cell(sheet.max_row, 1).font = BOLD
    for fact in table.facts:
        _append(sheet, [fact.label, fact.value])
        if fact.kind in XLSX_FORMATS and not isinstance(fact.value, str):
            sheet.cell(sheet.max_row, 2).number_format = XLSX_FORMATS[fact.kind]
    if table.columns:
        head = sheet.max_row + 1
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(head, index, safe_cell(column.label))
            cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP
        for number, row in enumerate(table.rows, start=head + 1):
            for index, column in enumerate(table.columns, start=1):
                cell = sheet.cell(number, index, safe_cell(row.get(column.key)))
                if column.kind in XLSX_FORMATS and not isinstance(cell.value, str):
                    cell.number_format = XLSX_FORMATS[column.kind]
                elif column.kind not in NUMERIC:
                    cell.alignment = WRAP
        if table.chart and table.rows:
            _xlsx_chart(sheet, table, head)
    if table.note:
        _append(sheet, [table.note])
    sheet.append([])


def _xlsx_chart(sheet, table, head):
    """A native bar chart of the table's chart column (and its «было» column) beside it."""
    chart = table.chart
    keys = [column.key for column in table.columns]
    last = head + len(table.rows)
    bars = BarChart()
    bars.type = "bar"
    bars.title = safe_cell(table.title)
    bars.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    for key in filter(None, (chart.compare_key, chart.value_key)):
        column = keys.index(key) + 1
        bars.add_data(Reference(sheet, min_col=column, min_row=head, max_row=last),
                      titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=keys.index(chart.label_key) + 1,
                                  min_row=head + 1, max_row=last))
    if not chart.compare_key:
        bars.legend = None
    if chart.kind == PCT:
        bars.y_axis.number_format = "0%"
    bars.y_axis.scaling.min = 0
    bars.y_axis.scaling.max = chart.max_value or (1 if chart.kind == PCT else None)
    bars.height = max(6.0, min(0.7 * len(table.rows) + 3, 24))
    bars.width = 16
    sheet.add_chart(bars, f"{get_column_letter(len(keys) + 2)}{head}")


def _fit_columns(sheet):
    """Readable widths: as wide as the longest value, between 10 and 60 characters."""
    widths = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and len(str(cell.value)) < 200:
                widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)


def to_xlsx(form):
    """The form as a workbook: general facts first, then one sheet per section."""
    book = Workbook()
    cover = book.active
    taken = set()
    cover.title = _sheet_name(_("Общие сведения"), taken)
    _append(cover, [form.title])
    cover.cell(1, 1).font = TITLE
    for fact in form.header:
        if fact.value not in (None, ""):
            _append(cover, [fact.label, fact.value])
    _append(cover, [_("Сформирован"), _generated(form)])
    _fit_columns(cover)
    for section in form.sections:
        sheet = book.create_sheet(_sheet_name(section.title, taken))
        for table in section.tables:
            _xlsx_table(sheet, table)
        _fit_columns(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------

def csv_value(value, kind):
    """As Excel in Russia reads it: decimal comma, a percent sign, empty for none."""
    if value is None:
        return ""
    if isinstance(value, str) or kind not in NUMERIC:
        return str(value)
    if kind == INT:
        return str(int(value))
    if kind == PCT:
        return f"{value * 100:.1f}%".replace(".", ",")
    return f"{value:.{1 if kind == POINTS else 2}f}".replace(".", ",")


class _SafeWriter:
    """A csv writer whose every field goes through safe_cell."""

    def __init__(self, buffer):
        self._writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def writerow(self, values):
        self._writer.writerow([safe_cell(value) for value in values])


def to_csv(form):
    """One file, sections one after another: UTF-8 with a BOM, «;» between fields."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerow([form.title])
    for fact in form.header:
        if fact.value not in (None, ""):
            writer.writerow([fact.label, fact.value])
    writer.writerow([_("Сформирован"), _generated(form)])
    for section in form.sections:
        writer.writerow([])
        writer.writerow([section.title.upper()])
        for table in section.tables:
            writer.writerow([table.title])
            for fact in table.facts:
                writer.writerow([fact.label, csv_value(fact.value, fact.kind)])
            if table.columns:
                writer.writerow([column.label for column in table.columns])
                for row in table.rows:
                    writer.writerow([csv_value(row.get(c.key), c.kind) for c in table.columns])
            if table.note:
                writer.writerow([table.note])
            writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


RENDERERS = {
    "pdf": (to_pdf, "application/pdf"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
}


def download(form, fmt):
    """An HTTP attachment of the form in one of RENDERERS' formats."""
    return downloads.download(RENDERERS, form, fmt, filename=form.filename)
