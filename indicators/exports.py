"""The «отчёт куратора» as PDF (reportlab, its own charts) and XLSX (openpyxl, native charts).

Both come from the one IndicatorReport; every spreadsheet text passes config.spreadsheet.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from config import downloads, pdf
from config.spreadsheet import safe_cell
from indicators.charts import hardest_topics, mean_text

PREVIOUS_COLOUR = colors.HexColor("#9aa7b3")


def percent_text(share):
    return "—" if share is None else f"{share * 100:.1f}\u00a0%".replace(".", ",")


def change_text(change):
    if change is None:
        return "—"
    return f"{change:+.1f}".replace(".", ",").replace("-", "−") + "\u00a0п. п."


def figure_text(value):
    return "—" if value is None else str(value)


def title():
    return _("Отчёт куратора: показатели наставничества")


def header_lines(report):
    return [(_("Муниципалитет"), report.municipality),
            (_("Период"), report.period.label()),
            (_("Предыдущий период для сравнения"), report.previous.label()),
            (_("Сформирован"), f"{report.built_at:%d.%m.%Y}")]


def summary_rows(report):
    """One row per indicator: title, numerator, denominator, share, previous share, change."""
    return [[i.title, figure_text(i.numerator), figure_text(i.denominator),
             percent_text(i.share), percent_text(i.previous_share), change_text(i.change)]
            for i in report.indicators]


SUMMARY_HEAD = ("Показатель", "Числитель", "Знаменатель", "Доля", "Доля за предыдущий период",
                "Изменение")


# --- PDF -----------------------------------------------------------------------------------------

def _legend(drawing, x, y, names):
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = pdf.FONT, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = list(zip((PREVIOUS_COLOUR, pdf.BRAND), names, strict=True))
    drawing.add(legend)


def _shares_chart(report, width):
    count = len(report.indicators)
    height = count * 22 + 40
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 75 * mm, 10
    chart.width, chart.height = width - 80 * mm, height - 35
    chart.data = [[(i.previous_share or 0) * 100 for i in reversed(report.indicators)],
                  [(i.share or 0) * 100 for i in reversed(report.indicators)]]
    chart.categoryAxis.categoryNames = [str(n + 1) + ". " + pdf.fit(i.title, 64 * mm, 7)
                                        for n, i in reversed(list(enumerate(report.indicators)))]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = pdf.FONT, 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = pdf.FONT, 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.bars[0].fillColor, chart.bars[1].fillColor = PREVIOUS_COLOUR, pdf.BRAND
    chart.bars.strokeColor = None
    drawing.add(chart)
    _legend(drawing, 75 * mm, height - 6, [_("предыдущий период"), _("текущий период")])
    return drawing


def _attendance_chart(report, width):
    height = 150
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, width - 40, height - 50
    chart.data = [[m.registered for m in report.months], [m.attended for m in report.months]]
    chart.categoryAxis.categoryNames = [m.label for m in report.months]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = pdf.FONT, 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor, chart.bars[1].fillColor = PREVIOUS_COLOUR, pdf.BRAND
    chart.bars.strokeColor = None
    drawing.add(chart)
    _legend(drawing, 30, height - 6, [_("записались"), _("пришли")])
    return drawing


def to_pdf(report):
    """The report on A4: the summary, its charts, then the list behind every indicator."""
    sheet = pdf.styles()
    width = pdf.frame_width()
    flow = [pdf.text(report.department, sheet["heading"])]
    flow += pdf.header(title(), header_lines(report), style_sheet=sheet)
    flow += pdf.table([_(h) for h in SUMMARY_HEAD], summary_rows(report),
                      widths=[62 * mm, 22 * mm, 25 * mm, 18 * mm, 30 * mm, 23 * mm],
                      numeric={1, 2, 3, 4, 5}, style_sheet=sheet)
    flow.append(pdf.text(_("Доли — за выбранный период; изменение — разница долей в процентных "
                           "пунктах против предыдущего периода той же длины."), sheet["muted"]))
    flow.append(pdf.text(_("Показатели за период"), sheet["section"]))
    flow.append(_shares_chart(report, width))
    if report.months:
        flow.append(pdf.keep_together([pdf.text(_("Посещаемость по месяцам"), sheet["section"]),
                                       _attendance_chart(report, width)]))
    if report.satisfaction:
        rows = report.satisfaction
        flow.append(pdf.keep_together([
            pdf.text(_("Удовлетворённость по мероприятиям"), sheet["section"]),
            pdf.bar_chart([f"{s.date:%d.%m} {s.title}" for s in rows], [[s.share for s in rows]],
                          width=width, max_value=1, value_text=percent_text)]))
    topics = hardest_topics(report)
    if topics:
        flow.append(pdf.keep_together([
            pdf.text(_("Самые трудные темы: средняя трудность (1–5)"), sheet["section"]),
            pdf.bar_chart([t.topic for t in topics], [[t.mean for t in topics]], width=width,
                          max_value=5, value_text=mean_text),
            pdf.text(_("По анкетам «Трудности в работе», отправленным в периоде; темы, которые "
                       "оценили меньше 5 человек, не показаны."), sheet["muted"])]))
    for number, indicator in enumerate(report.indicators, start=1):
        flow.append(pdf.text(f"{number}. {indicator.title}", sheet["section"]))
        flow.append(pdf.text(_("%(share)s: %(num)s из %(den)s; предыдущий период — %(prev)s") % {
            "share": percent_text(indicator.share), "num": figure_text(indicator.numerator),
            "den": figure_text(indicator.denominator),
            "prev": percent_text(indicator.previous_share)}, sheet["body"]))
        flow.append(pdf.text(indicator.source, sheet["muted"]))
        if indicator.note:
            flow.append(pdf.text(indicator.note, sheet["muted"]))
        if indicator.items:
            flow += pdf.table([_("Кто или что"), _("Подробности")],
                              [[i.name, i.detail] for i in indicator.items],
                              widths=[70 * mm, width - 70 * mm], style_sheet=sheet)
    flow += [pdf.spacer(10 * mm),
             pdf.text(_("Муниципальный куратор ____________________ / ____________________"),
                      sheet["body"])]
    return pdf.render(flow, title=title(), author=report.department,
                      footer=f"{report.department} · {title()} · {report.period.label()}")


# --- XLSX ----------------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6EE")
WRAP = Alignment(wrap_text=True, vertical="top")
PERCENT = "0.0%"


def _head(sheet, row, labels):
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row, column, safe_cell(_(label)))
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP


def _summary_sheet(book, report):
    sheet = book.active
    sheet.title = _("Показатели")
    sheet.append([safe_cell(title())])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.append([safe_cell(_("Орган управления образованием")), safe_cell(report.department)])
    sheet.append([safe_cell(_("Муниципалитет")), safe_cell(report.municipality)])
    sheet.append([safe_cell(_("Период с")), report.period.start, safe_cell(_("по")),
                  report.period.end])
    sheet.append([safe_cell(_("Предыдущий период с")), report.previous.start,
                  safe_cell(_("по")), report.previous.end])
    for row in (4, 5):
        for column in (2, 4):
            sheet.cell(row, column).number_format = "DD.MM.YYYY"
    head = 7
    _head(sheet, head, (*SUMMARY_HEAD[:4], "Числитель за предыдущий период",
                        "Знаменатель за предыдущий период", SUMMARY_HEAD[4],
                        "Изменение, п. п."))
    for index, i in enumerate(report.indicators, start=head + 1):
        values = (safe_cell(i.title), i.numerator, i.denominator, i.share, i.previous_numerator,
                  i.previous_denominator, i.previous_share, i.change)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(index, column, value)
            if column in (4, 7):
                cell.number_format = PERCENT
        sheet.cell(index, 1).alignment = WRAP
    last = head + len(report.indicators)
    sheet.freeze_panes = sheet.cell(head + 1, 2)
    sheet.auto_filter.ref = f"A{head}:H{last}"
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Доли: текущий и предыдущий период")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    for column in (7, 4):
        chart.add_data(Reference(sheet, min_col=column, min_row=head, max_row=last),
                       titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=head + 1, max_row=last))
    chart.height, chart.width = 11, 22
    sheet.add_chart(chart, f"A{last + 3}")
    sheet.column_dimensions["A"].width = 60
    for column in range(2, 9):
        sheet.column_dimensions[get_column_letter(column)].width = 16


def _lists_sheet(book, report):
    """The lists behind the numerators in long form: indicator, who or what, details."""
    sheet = book.create_sheet(_("Списки"))
    _head(sheet, 1, ("Показатель", "Кто или что", "Подробности"))
    for indicator in report.indicators:
        for item in indicator.items:
            sheet.append([safe_cell(indicator.title), safe_cell(item.name),
                          safe_cell(item.detail)])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:C{max(sheet.max_row, 1)}"
    for column, width in (("A", 50), ("B", 40), ("C", 70)):
        sheet.column_dimensions[column].width = width


def _attendance_sheet(book, report):
    sheet = book.create_sheet(_("Посещаемость"))
    _head(sheet, 1, ("Месяц", "Записались", "Пришли"))
    for month in report.months:
        sheet.append([safe_cell(month.label), month.registered, month.attended])
    sheet.freeze_panes = "A2"
    if report.months:
        chart = BarChart()
        chart.title = _("Посещаемость по месяцам")
        last = len(report.months) + 1
        chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
        sheet.add_chart(chart, "E2")
    head = len(report.months) + 3
    _head(sheet, head, ("Мероприятие", "Дата", "Ответивших", "Доля довольных"))
    for s in report.satisfaction:
        sheet.append([safe_cell(s.title), s.date, s.respondents,
                      s.share if s.share is not None else safe_cell(_("скрыто"))])
        sheet.cell(sheet.max_row, 2).number_format = "DD.MM.YYYY"
        sheet.cell(sheet.max_row, 4).number_format = PERCENT
    if report.satisfaction:
        _satisfaction_chart(sheet, head, len(report.satisfaction))
    sheet.column_dimensions["A"].width = 45
    for column in ("B", "C", "D"):
        sheet.column_dimensions[column].width = 16


def _satisfaction_chart(sheet, head, count):
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Удовлетворённость по мероприятиям")
    chart.legend = None
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.scaling.orientation = "maxMin"  # in the order of the table
    chart.add_data(Reference(sheet, min_col=4, min_row=head, max_row=head + count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=head + 1, max_row=head + count))
    chart.height, chart.width = max(7.5, min(0.8 * count + 3, 30)), 20
    sheet.add_chart(chart, f"F{head}")


def _topics_sheet(book, report):
    """Every topic of the period's difficulty answers, hardest first, and a chart of the top."""
    sheet = book.create_sheet(_("Трудные темы"))
    _head(sheet, 1, ("Тема", "Ответивших", "Средняя трудность (1–5)",
                     "Доля «скорее трудно» и «очень трудно»"))
    for t in report.topics:
        sheet.append([safe_cell(t.topic), t.respondents,
                      t.mean if t.mean is not None else safe_cell(_("скрыто")),
                      t.hard_share if t.hard_share is not None else safe_cell(_("скрыто"))])
        sheet.cell(sheet.max_row, 3).number_format = "0.00"
        sheet.cell(sheet.max_row, 4).number_format = PERCENT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:D{max(sheet.max_row, 1)}"
    sheet.column_dimensions["A"].width = 50
    for column in ("B", "C", "D"):
        sheet.column_dimensions[column].width = 18
    shown = len(hardest_topics(report))
    if shown:
        # Hidden topics sort last, so the top rows are the topics the chart shows.
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Самые трудные темы")
        chart.legend = None
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 1, 5
        chart.x_axis.scaling.orientation = "maxMin"  # the hardest on top
        chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=shown + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=shown + 1))
        chart.height, chart.width = max(7.5, 0.8 * shown), 20
        sheet.add_chart(chart, "F2")


def to_xlsx(report):
    book = Workbook()
    _summary_sheet(book, report)
    _lists_sheet(book, report)
    _attendance_sheet(book, report)
    _topics_sheet(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RENDERERS = {
    "pdf": (to_pdf, downloads.PDF),
    "xlsx": (to_xlsx, downloads.XLSX),
}


def download(report, fmt):
    """An HTTP attachment of the report as PDF or XLSX."""
    return downloads.download(
        RENDERERS, report, fmt,
        filename=f"indicators-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}")
