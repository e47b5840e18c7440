"""Domain errors shared by every app: a machine-readable code, a Russian message, details."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused an operation; the API maps it to one JSON shape."""

    code = "domain_error"
    status = 400

    def __init__(self, message, *, code=None, details=None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details or {}


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Объект не найден.")  # also any other 404 of the API (api_errors)

    def __init__(self, message=None, **kwargs):
        super().__init__(self.default_message if message is None else message, **kwargs)


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Invalid(DomainError):
    code = "invalid"
    status = 422


class TooManyRequests(DomainError):
    """A brake on guessing is engaged: too many tries from this client or on this object."""

    code = "too_many_requests"
    status = 429
