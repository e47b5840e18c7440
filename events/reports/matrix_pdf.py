"""The person × event matrix of a PDF, drawn as text lines rather than a table of cells.

A Table draws each of a thousand people × forty events as its own string (about 4 s without
ReportLab's C accelerator, rl-accel). In a monospaced font the marks of one row are one
string of fixed-width cells, so a row costs four strings whatever the number of events.
"""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable

from config import pdf

MONO = "DejaVuSansMono"
SIZE = 6.5
ROW = 8.5  # points per row
CELL = 4  # characters per event column
TOTAL = 6  # characters per total column
NAME_WIDTH = 150
SCHOOL_WIDTH = 70

_registered = False


def register_mono():
    global _registered
    if not _registered:
        pdf.register_fonts()
        pdfmetrics.registerFont(TTFont(MONO, pdf.FONTS_DIR / "DejaVuSansMono.ttf"))
        _registered = True


def char_width():
    register_mono()
    return pdfmetrics.stringWidth("0", MONO, SIZE)


def events_per_piece(width):
    """How many event columns fit next to the name, the school and the two totals."""
    room = width - NAME_WIDTH - SCHOOL_WIDTH - 2 * TOTAL * char_width()
    return max(1, int(room // (CELL * char_width())))


def cut(text, width, font=pdf.FONT):
    """A name cut with «…» to its column: the matrix has no room to wrap."""
    return pdf.fit(text, width, SIZE, font=font)


def marks_line(marks, totals):
    return ("".join(mark.center(CELL) for mark in marks)
            + "".join(total.rjust(TOTAL) for total in totals))


class MatrixRows(Flowable):
    """A heading line and rows of (name, school, marks line); splits at page ends, the heading
    repeated on every page."""

    def __init__(self, head, rows, *, cells):
        super().__init__()
        register_mono()
        self.head, self.rows, self.cells = head, rows, cells

    def wrap(self, available_width, available_height):
        self.width = NAME_WIDTH + SCHOOL_WIDTH + len(self.head[2]) * char_width()
        self.height = ROW * (len(self.rows) + 1)
        return self.width, self.height

    def split(self, available_width, available_height):
        fits = int(available_height // ROW) - 1
        if fits < 1 or fits >= len(self.rows):
            return [] if fits < 1 else [self]
        return [MatrixRows(self.head, self.rows[:fits], cells=self.cells),
                MatrixRows(self.head, self.rows[fits:], cells=self.cells)]

    def _line(self, canvas, y, name, school, marks, font=pdf.FONT):
        canvas.setFont(font, SIZE)
        canvas.drawString(2, y, name)
        canvas.drawString(NAME_WIDTH + 2, y, school)
        canvas.setFont(MONO, SIZE)
        canvas.drawString(NAME_WIDTH + SCHOOL_WIDTH, y, marks)

    def draw(self):
        canvas = self.canv
        top = self.height
        canvas.setFillColor(pdf.BRAND)
        canvas.rect(0, top - ROW, self.width, ROW, stroke=0, fill=1)
        canvas.setFillColor(pdf.ZEBRA)
        for n in range(1, len(self.rows), 2):
            canvas.rect(0, top - ROW * (n + 2), self.width, ROW, stroke=0, fill=1)
        canvas.setStrokeColor(pdf.LINE)
        canvas.setLineWidth(0.3)
        step = CELL * char_width()
        left = NAME_WIDTH + SCHOOL_WIDTH
        xs = [NAME_WIDTH, left] + [left + step * n for n in range(1, self.cells + 1)]
        canvas.lines([(x, 0, x, top) for x in xs] + [(0, 0, self.width, 0)])
        canvas.setFillColorRGB(1, 1, 1)
        self._line(canvas, top - ROW + 2, *self.head, font=pdf.FONT_BOLD)
        canvas.setFillColorRGB(0, 0, 0)
        for n, (name, school, marks) in enumerate(self.rows, start=2):
            self._line(canvas, top - ROW * n + 2, name, school, marks)
