"""PDF building blocks shared by every report: a Cyrillic font, the header, tables, bar charts.

ReportLab's built-in fonts have no Cyrillic glyphs, so Russian text would come out as boxes;
DejaVu Sans (vendored in config/fonts/ with its licence, so no system font is needed) is
embedded instead. Imports no app: reports hand in plain strings and numbers.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"

BRAND = colors.HexColor("#1f5f8b")
LINE = colors.HexColor("#c9d3dd")
ZEBRA = colors.HexColor("#f3f6f9")
MUTED = colors.HexColor("#5b6670")

_registered = False


def register_fonts():
    """Register the embedded font once per process (parsing the TTF takes tens of ms)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, FONTS_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    _registered = True


def styles():
    """Paragraph styles of every report, all in the embedded font."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15,
                                leading=19, textColor=BRAND, spaceAfter=4),
        "section": ParagraphStyle("section", parent=body, fontName=FONT_BOLD, fontSize=12.5,
                                  leading=16, textColor=BRAND, spaceBefore=10, spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=10.5,
                                  leading=13.5, spaceBefore=8, spaceAfter=3),
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, fontSize=8.5, leading=11,
                                textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=10.5,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=8.5,
                               leading=10.5, textColor=colors.white),
    }


def text(value, style):
    """A paragraph of plain text: markup characters in user input are escaped, not parsed."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def header(title, lines, *, style_sheet=None):
    """The report heading: a title, then «label: value» lines (program, municipality, dates)."""
    sheet = style_sheet or styles()
    flowables = [text(title, sheet["title"])]
    for label, value in lines:
        if value in (None, ""):
            continue
        flowables.append(Paragraph(f"<b>{escape(str(label))}:</b> {escape(str(value))}",
                                   sheet["body"]))
    flowables.append(Spacer(1, 4 * mm))
    return flowables


CHUNK_ROWS = 10


def table(head, rows, *, widths=None, numeric=(), bars=None, bar_width=40 * mm,
          style_sheet=None):
    """A table with a header row and zebra stripes, as a list of flowables; `numeric` columns
    align right.

    Cells are wrapped paragraphs, so long Russian texts break inside their column. `bars`, one
    fraction (0..1) or None per row, adds a last column of horizontal bars: a bar chart that
    stays next to the numbers it draws. A long table comes as contiguous pieces of CHUNK_ROWS
    rows: ReportLab measures the whole rest of a table at every page break, which makes one
    table of thousands of rows (free-text answers) slow.
    """
    sheet = style_sheet or styles()
    numeric = set(numeric)
    room = [None] * len(head) if widths is None else [w - CELL_PADDING for w in widths]
    body = [[_cell(value, sheet["cell_right"] if index in numeric else sheet["cell"],
                   room[index])
             for index, value in enumerate(row)] for row in rows]
    first = [text(label, sheet["head"]) for label in head]
    if bars is not None:
        first.append("")
        for cells, fraction in zip(body, bars, strict=True):
            cells.append(bar(fraction, bar_width - 6))
        widths = None if widths is None else [*widths, bar_width]
    pieces = [_grid([first, *body[:CHUNK_ROWS]], widths, header=True, offset=0,
                    numeric=numeric, sheet=sheet)]
    pieces += [_grid(body[start:start + CHUNK_ROWS], widths, header=False, offset=start,
                     numeric=numeric, sheet=sheet)
               for start in range(CHUNK_ROWS, len(body), CHUNK_ROWS)]
    return pieces


CELL_PADDING = 8  # LEFTPADDING + RIGHTPADDING of _grid


def _cell(value, style, room):
    """A cell: a plain string when it fits on one line of its column, else a paragraph.

    ReportLab draws a string as it is; a paragraph it parses as markup and breaks into lines,
    which made a 136-page evaluation PDF of numbers spend most of its time on paragraphs.
    Only printable text qualifies (no line breaks, no control characters).
    """
    value = "" if value is None else str(value)
    if room is not None and value.isprintable() and (
            pdfmetrics.stringWidth(value, style.fontName, style.fontSize) <= room):
        return value
    return text(value, style)


def heat_table(head, rows, colours, *, style_sheet=None):
    """A heat map: rows of (label, [(text, level 1..len(colours) or None)]), each cell filled
    with the colour of its level; the header repeats on every page."""
    sheet = style_sheet or styles()
    data = [[text(label, sheet["head"]) for label in head]]
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BACKGROUND", (0, 0), (-1, 0), BRAND)]
    for y, (label, cells) in enumerate(rows, start=1):
        data.append([text(label, sheet["cell"])]
                    + [text(value, sheet["cell_right"]) for value, _level in cells])
        commands += [("BACKGROUND", (x, y), (x, y), colors.HexColor(colours[level - 1]))
                     for x, (_value, level) in enumerate(cells, start=1) if level]
    result = Table(data, repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return [result]


def _grid(data, widths, *, header, offset, numeric=(), sheet=None):
    result = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    cell = (sheet or styles())["cell"]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Plain-string cells (see _cell) look like the paragraph cells beside them.
        ("FONTNAME", (0, 0), (-1, -1), cell.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
        ("LEADING", (0, 0), (-1, -1), cell.leading),
        *(("ALIGN", (index, 0), (index, -1), "RIGHT") for index in numeric),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), BRAND))
    first_body = 1 if header else 0
    # Stripes on every second body row, counted across the pieces so they run on unbroken.
    commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(first_body, len(data))
                 if (i - first_body + offset) % 2 == 1]
    result.setStyle(TableStyle(commands))
    return result


def bar(fraction, width, height=8):
    """One horizontal bar filled to `fraction` of its width; an empty track for None."""
    drawing = Drawing(width, height + 2)
    drawing.add(Rect(0, 1, width, height, fillColor=colors.white, strokeColor=LINE,
                     strokeWidth=0.3))
    if fraction:
        drawing.add(Rect(0, 1, width * max(0.0, min(float(fraction), 1.0)), height,
                         fillColor=BRAND, strokeColor=None))
    return drawing


def longest_word_width(label, size=8.5):
    """Width of the longest word of a table heading (bold), which a column cannot break."""
    register_fonts()
    return max((pdfmetrics.stringWidth(word, FONT_BOLD, size) for word in str(label).split()),
               default=0)


def fit(label, width, size, *, font=FONT):
    """Cut a label with «…» so that it fits the width at the font size."""
    if pdfmetrics.stringWidth(label, font, size) <= width:
        return label
    while label and pdfmetrics.stringWidth(label + "…", font, size) > width:
        label = label[:-1]
    return label.rstrip() + "…"


SERIES_COLOURS = (colors.HexColor("#9aa7b3"), BRAND)


def bar_chart(labels, series, *, width, names=(), max_value=None, value_text=str):
    """Grouped horizontal bars: for each label one bar per series (e.g. «было» and «стало»),
    each with its value printed after it, and a legend of the series names on top."""
    register_fonts()
    size, bar_height, gap = 7.5, 8, 6
    label_width, value_width = min(width * 0.4, 70 * mm), 14 * mm
    bar_area = width - label_width - value_width
    numbers = [float(v) for values in series for v in values if v is not None]
    top = max_value or max(numbers + [0.0]) or 1.0
    group = len(series) * bar_height + gap
    legend = 14 if names else 0
    height = len(labels) * group + legend
    drawing = Drawing(width, height)
    for index, name in enumerate(names):
        x = label_width + index * 40 * mm
        drawing.add(Rect(x, height - 9, 8, 8, fillColor=SERIES_COLOURS[index % 2],
                         strokeColor=None))
        drawing.add(String(x + 11, height - 8, str(name), fontName=FONT, fontSize=size))
    for row, label in enumerate(labels):
        y_top = height - legend - row * group
        drawing.add(String(0, y_top - bar_height * len(series) / 2 - 3,
                           fit(str(label), label_width - 6, size), fontName=FONT,
                           fontSize=size))
        for index, values in enumerate(series):
            value = values[row]
            y = y_top - (index + 1) * bar_height
            length = 0 if value is None else bar_area * max(0.0, min(float(value) / top, 1.0))
            drawing.add(Rect(label_width, y, bar_area, bar_height - 1, fillColor=ZEBRA,
                             strokeColor=None))
            if length:
                drawing.add(Rect(label_width, y, length, bar_height - 1,
                                 fillColor=SERIES_COLOURS[(index + 2 - len(series)) % 2],
                                 strokeColor=None))
            drawing.add(String(label_width + bar_area + 3, y + 1,
                               "—" if value is None else value_text(value), fontName=FONT,
                               fontSize=size - 0.5, fillColor=MUTED))
    return drawing


class _KeepTogetherIfShort(KeepTogether):
    """KeepTogether that lets content taller than SHORT of a page flow from where it is:
    moving it to the next page would leave most of this one blank."""

    SHORT = 0.6

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        if frame is not None and self._H > self.SHORT * frame._height:
            return list(self._content)
        return super().split(aW, aH)


def keep_together(flowables):
    """Keep flowables on one page when they are short; let a long run break across pages."""
    return _KeepTogetherIfShort(flowables)


def spacer(height):
    return Spacer(1, height)


def render(flowables, *, title, author="", footer="", wide=False):
    """The PDF bytes of the flowables on A4 (landscape when `wide`), pages numbered."""
    register_fonts()
    buffer = BytesIO()
    pagesize = landscape(A4) if wide else A4

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 10 * mm,
                          fit(footer, pagesize[0] - doc.leftMargin - doc.rightMargin - 15 * mm,
                               7.5))
        canvas.drawRightString(pagesize[0] - doc.rightMargin, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer, pagesize=pagesize, title=title, author=author,
        leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm, bottomMargin=16 * mm,
    )
    document.build(list(flowables), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def frame_width(*, wide=False):
    """Width available to a flowable inside the margins used by `render`."""
    pagesize = landscape(A4) if wide else A4
    return pagesize[0] - 30 * mm
