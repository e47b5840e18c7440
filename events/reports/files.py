"""A report as a file to download: PDF, XLSX or tidy CSV."""

from django.http import HttpResponse

from events.reports import pdf, tidy, xlsx

RENDERERS = {
    "pdf": (pdf.to_pdf, "application/pdf"),
    "xlsx": (xlsx.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (tidy.to_csv, "text/csv; charset=utf-8"),
}


def download(report, fmt):
    """An HTTP attachment of the report in one of RENDERERS' formats."""
    render, content_type = RENDERERS[fmt]
    response = HttpResponse(render(report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{fmt}"'
    return response
