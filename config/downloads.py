"""The one way a rendered document leaves as a file: an HTTP attachment.

Export modules keep a table of renderers {format: (render, content type)} and hand it to
`download` with the document; anything else already rendered goes through `attachment`. Imports
no app.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"


def attachment(content, content_type, filename):
    """`content` as a download named `filename` (RFC 6266: a Cyrillic name survives too)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def download(renderers, document, fmt, *, filename):
    """The document rendered in `fmt` as an attachment «<filename>.<fmt>»."""
    render, content_type = renderers[fmt]
    return attachment(render(document), content_type, f"{filename}.{fmt}")
