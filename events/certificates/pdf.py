"""The certificate as an A4 page: drawn on one canvas, so a batch of hundreds is one quick PDF.

The QR code (segno) is drawn as vector squares, not an image: sharp when printed and cheap to
make. Every text from people (names, titles) goes through a Paragraph with markup escaped.
"""

import zipfile
from io import BytesIO

import segno
from django.conf import settings
from PIL import Image
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from config import pdf as pdf_style

WIDTH, HEIGHT = A4
MARGIN = 22 * mm
TEXT_WIDTH = WIDTH - 2 * MARGIN


def _styles():
    pdf_style.register_fonts()
    base = ParagraphStyle("cert", fontName=pdf_style.FONT, fontSize=12, leading=16,
                          alignment=TA_CENTER)
    return {
        "issuer": ParagraphStyle("issuer", parent=base, fontSize=11, leading=14,
                                 textColor=pdf_style.MUTED),
        "body": base,
        "name": ParagraphStyle("name", parent=base, fontName=pdf_style.FONT_BOLD, fontSize=18,
                               leading=23),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12,
                                alignment=0, textColor=pdf_style.MUTED),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=14, alignment=0),
    }


def _draw(canvas, paragraph, y, width=TEXT_WIDTH, x=MARGIN):
    """Draw a paragraph with its top at y; returns the y under it."""
    _w, height = paragraph.wrap(width, HEIGHT)
    paragraph.drawOn(canvas, x, y - height)
    return y - height


def _line(canvas, words, y, font=pdf_style.FONT, size=12, colour=None):
    """One centred line of our own wording with its top at y; returns the y under it."""
    canvas.setFont(font, size)
    canvas.setFillColor(colour or pdf_style.colors.black)
    canvas.drawCentredString(WIDTH / 2, y - size, words)
    canvas.setFillColor(pdf_style.colors.black)
    return y - size * 1.25


def _qr(canvas, url, x, y, size):
    """The QR code of `url` as a size × size square with its corner at x, y.

    A fixed mask: segno otherwise tries all eight and scores each, which took most of a
    batch's time; any mask makes a valid code. Drawn as a tiny 1-bit image with smoothing off,
    so it stays sharp when printed and costs one image per page instead of a thousand squares.
    """
    code = segno.make(url, error="m", mask=4, micro=False)
    rows = list(code.matrix_iter(scale=1, border=0))
    image = Image.new("1", (len(rows), len(rows)), 1)
    image.putdata([0 if dark else 1 for row in rows for dark in row])
    canvas.drawImage(ImageReader(image), x, y, size, size)


def _page(canvas, certificate, styles):
    text = pdf_style.text
    canvas.setStrokeColor(pdf_style.BRAND)
    canvas.setLineWidth(2)
    canvas.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    y = HEIGHT - 30 * mm
    y = _draw(canvas, text(certificate.issuer, styles["issuer"]), y) - 20 * mm
    # Fixed one-line texts are drawn as strings: a Paragraph per line made a batch slow.
    y = _line(canvas, "СЕРТИФИКАТ", y, pdf_style.FONT_BOLD, 30, colour=pdf_style.BRAND) - 2 * mm
    y = _line(canvas, f"участника школы наставничества № {certificate.number}", y) - 14 * mm
    if certificate.holder_name_dative:
        y = _line(canvas, "Настоящий сертификат выдан", y) - 3 * mm
        y = _draw(canvas, text(certificate.holder_name_dative, styles["name"]), y) - 6 * mm
    else:
        y = _line(canvas, "Выдан:", y) - 3 * mm
        y = _draw(canvas, text(certificate.holder_name, styles["name"]), y) - 6 * mm
    y = _draw(canvas, text(f"за участие в {certificate.activity}", styles["body"]), y) - 5 * mm
    y = _draw(canvas, text(f"Сроки: {certificate.period}", styles["body"]), y) - 2 * mm
    y = _draw(canvas, text(f"Объём: {certificate.hours_text} "
                           f"(посещено мероприятий: {certificate.events_attended})",
                           styles["body"]), y)
    sign_y = 95 * mm
    if certificate.curator_name:
        _draw(canvas, text(f"Куратор: ____________________ {certificate.curator_name}",
                           styles["sign"]), sign_y)
    _draw(canvas, text(f"Дата выдачи: {certificate.issued_date}", styles["sign"]),
          sign_y - 12 * mm)
    qr_size = 32 * mm
    _qr(canvas, certificate.verify_url, MARGIN, 22 * mm, qr_size)
    check = "Проверить подлинность: отсканируйте QR-код или откройте адрес"
    x = MARGIN + qr_size + 6 * mm
    below = _draw(canvas, text(check, styles["small"]), 22 * mm + qr_size,
                  width=TEXT_WIDTH - qr_size - 6 * mm, x=x) - 2 * mm
    _draw(canvas, text(f"{settings.SITE_URL}/certificates/{certificate.printed_code}/",
                       styles["sign"]), below,
          width=TEXT_WIDTH - qr_size - 6 * mm, x=x)


def certificates_pdf(certificates):
    """One PDF, a page per certificate (a batch prints in one go)."""
    styles = _styles()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Сертификаты участника школы наставничества")
    for certificate in certificates:
        _page(canvas, certificate, styles)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def filename(certificate):
    return f"certificate-{certificate.number}.pdf"


def certificates_zip(certificates):
    """A ZIP with one PDF per certificate, named by its number.

    Stored, not deflated: a PDF is compressed already, and deflating it again cost time for
    nothing."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            archive.writestr(filename(certificate), certificates_pdf([certificate]))
    return buffer.getvalue()
