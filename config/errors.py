"""Domain errors shared by every app: a machine-readable code, a Russian message, details."""


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
