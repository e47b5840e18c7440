"""Errors the participants services raise; the API turns them into the common JSON shape."""

from config.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "DuplicateEmail", "ImportFailed"]


class DuplicateEmail(Conflict):
    code = "duplicate_email"


class ImportFailed(Invalid):
    code = "import_failed"
