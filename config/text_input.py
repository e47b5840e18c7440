"""Text that comes in from outside (API bodies, query strings, forms, imported rows), cleaned once.

NUL breaks PostgreSQL text columns, other control characters break XML (XLSX) and terminals, and
a CR/LF in a one-line value (a title, a name) breaks the lines of an .ics or of a mail header.
So every text that enters is cleaned here: line breaks of any kind become "\n", other controls
and bidirectional overrides are dropped, and a one-line value has its breaks folded into a space.
Formula prefixes (=, +, -, @) are kept: they are harmless text until an export, which escapes them.
"""

import re

from django import forms

# Word's Shift+Enter (VT), form feed, NEL and the Unicode separators all mean "new line".
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls except TAB and LF, DEL, C1 controls, and the bidi overrides/isolates that make
# text read differently from what it is.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_SPACE = re.compile(r"[ \t]*\n[\s]*")


def clean_text(value):
    """Multi-line text: any line break as "\\n", control characters removed."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))


def clean_line(value):
    """One-line text (titles, names, codes): clean_text, breaks folded into a space, stripped."""
    if not isinstance(value, str):
        return value
    return _LINE_SPACE.sub(" ", clean_text(value)).strip()


class CleanTextMixin:
    """For forms: every CharField is cleaned before it is validated (Textarea keeps its lines)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                clean = clean_text if isinstance(field.widget, forms.Textarea) else clean_line
                field.to_python = _cleaning(field.to_python, clean)


def _cleaning(to_python, clean):
    def cleaned_to_python(value):
        return to_python(clean(value))
    return cleaned_to_python
