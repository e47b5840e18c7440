"""The one way a rendered document leaves as a file: an HTTP attachment named by its format.

Every export module keeps a table of renderers {format: (render, content type)} and hands it
here with the document; imports no app.
"""

from django.http import HttpResponse

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def download(renderers, document, fmt, *, filename):
    """The document rendered in `fmt` as an attachment «<filename>.<fmt>»."""
    render, content_type = renderers[fmt]
    response = HttpResponse(render(document), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
