"""An attendance report as a workbook: a summary sheet, then a sheet per table with typed cells
(dates as dates, numbers as numbers), its heading frozen, filters on, and native bar charts."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from config.spreadsheet import safe_cell
from events.reports.builder import DATE, HOURS, INT, MARK, PCT
from events.reports.pdf import generated

FORMATS = {INT: "0", HOURS: "0.0", PCT: "0.0%", DATE: "DD.MM.YYYY", MARK: "0.0"}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_WIDTH = {"full_name": 36, "school": 22, "title": 44, "group": 30, "form": 20}


def _sheet_name(title, taken):
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip(" '")[:31] or _("Лист")
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _styled(sheet, value, *, font=None, fill=None, alignment=None, number_format=None):
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


def _summary(book, report):
    sheet = book.create_sheet(_("Сводка"))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    sheet.append([safe_cell(report.department)])
    sheet.append([_styled(sheet, report.title, font=TITLE)])
    for label, value in report.header:
        sheet.append([safe_cell(label), safe_cell(value)])
    if report.closure:
        sheet.append([safe_cell(report.closure)])
    sheet.append([_("Сформирован"), generated(report.zone)])
    sheet.append([])
    for fact in report.facts:
        sheet.append([safe_cell(fact.label), _styled(sheet, fact.value,
                                                     number_format=FORMATS.get(fact.kind))])


def _head(sheet, table):
    for index, column in enumerate(table.columns, start=1):
        width = TEXT_WIDTH.get(column.key, 7 if column.kind == MARK else 13)
        sheet.column_dimensions[get_column_letter(index)].width = width
    labels = [_("№ %(n)s") % {"n": c.label} if c.kind == MARK else c.label
              for c in table.columns]
    sheet.append([_styled(sheet, label, font=BOLD, fill=HEAD_FILL, alignment=WRAP)
                  for label in labels])


def _body(sheet, table):
    """Rows streamed whole; only dates and shares need a number format, whole and decimal
    numbers read right as they are."""
    keys = [column.key for column in table.columns]
    formatted = {column.key: FORMATS[column.kind] for column in table.columns
                 if column.kind in (DATE, PCT)}
    for row in table.rows:
        values = [safe_cell(row.get(key)) for key in keys]
        for index, key in enumerate(keys):
            if key in formatted and values[index] is not None \
                    and not isinstance(values[index], str):
                values[index] = _styled(sheet, values[index], number_format=formatted[key])
        sheet.append(values)


def _chart(sheet, table):
    chart = table.chart
    keys = [column.key for column in table.columns]
    label_col, value_col = keys.index(chart.label_key) + 1, keys.index(chart.value_key) + 1
    last = len(table.rows) + 1
    bars = BarChart()
    bars.type = "bar" if len(table.rows) > 6 else "col"
    bars.title = chart.title
    bars.legend = None
    bars.height = max(7.5, min(0.6 * len(table.rows), 30))
    bars.width = 18
    bars.add_data(Reference(sheet, min_col=value_col, min_row=1, max_row=last),
                  titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=last))
    if next(c.kind for c in table.columns if c.key == chart.value_key) == PCT:
        bars.y_axis.number_format = "0%"
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 1
    sheet.add_chart(bars, f"{get_column_letter(len(keys) + 2)}2")


def _table_sheet(book, table, taken):
    sheet = book.create_sheet(_sheet_name(table.title, taken))
    # Names stay in view while scrolling through forty events.
    sheet.freeze_panes = "C2" if table.matrix else "A2"
    _head(sheet, table)
    _body(sheet, table)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    if table.chart and table.rows:
        _chart(sheet, table)
    if table.note:
        sheet.append([])
        sheet.append([safe_cell(table.note)])


def to_xlsx(report):
    """The report as XLSX bytes, written in openpyxl's streaming (write-only) mode."""
    book = Workbook(write_only=True)
    _summary(book, report)
    taken = {_("Сводка")}
    for table in report.tables:
        _table_sheet(book, table, taken)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
