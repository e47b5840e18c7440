"""A PDF's text as poppler's pdftotext lays it out, for tests that read what a file says."""

import shutil
import subprocess

import pytest


def pdf_text(content, tmp_path, *, layout=True):
    """The text; with `layout`, columns stay where the page has them."""
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")
