"""A report as a file to download: PDF, XLSX or tidy CSV."""

from config import downloads
from events.reports import pdf, tidy, xlsx

RENDERERS = {
    "pdf": (pdf.to_pdf, downloads.PDF),
    "xlsx": (xlsx.to_xlsx, downloads.XLSX),
    "csv": (tidy.to_csv, downloads.CSV),
}


def download(report, fmt):
    """An HTTP attachment of the report in one of RENDERERS' formats."""
    return downloads.download(RENDERERS, report, fmt, filename=report.filename)
