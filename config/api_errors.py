"""Every error of /api/v1/ as JSON {code, message, details} with a Russian message.

`install(api)` registers one handler per kind of failure on the NinjaAPI; `ApiErrorMiddleware`
catches what never reaches ninja (an unknown path, a body Django cannot parse) so that even those
answer in the same shape. Database errors that a service did not turn into a domain error become
a 409 or a 422, never a 500; anything else is a 500 whose message says nothing of the internals.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from config.api_labels import DEFAULT_ERROR_MESSAGE, ERROR_MESSAGES, FIELD_LABELS
from config.errors import DomainError, NotFound
from config.unavailable import RETRY_AFTER, is_database_away

logger = logging.getLogger("django.request")

API_PREFIX = "/api/v1/"


def _defaults():
    return {
        400: ("bad_request", _("Некорректный запрос.")),
        401: ("unauthorized", _("Требуется вход или API-токен.")),
        403: ("forbidden", _("Недостаточно прав.")),
        404: ("not_found", str(NotFound.default_message)),
        405: ("method_not_allowed", _("Метод не поддерживается для этого адреса.")),
        409: ("conflict", _("Конфликт с текущим состоянием данных.")),
        413: ("too_large", _("Запрос слишком большой.")),
        422: ("invalid", _("Данные запроса не прошли проверку.")),
        429: ("too_many_requests", _("Слишком много запросов: повторите позже.")),
        500: ("server_error", _("Внутренняя ошибка сервера. Мы уже знаем о ней.")),
        503: ("unavailable", _("База данных временно недоступна: повторите запрос через "
                               "полминуты. Ничего не сохранено наполовину.")),
    }


def error_body(status, *, code=None, message=None, details=None):
    """The common error shape for a status; code and message default to the status's own."""
    default_code, default_message = _defaults().get(status, ("error", _("Ошибка запроса.")))
    return {"code": code or default_code, "message": str(message or default_message),
            "details": details or {}}


def error_response(status, **kwargs):
    return JsonResponse(error_body(status, **kwargs), status=status,
                        json_dumps_params={"ensure_ascii": False})


# --- validation details -------------------------------------------------------------------------

def _field(loc):
    """The field an error is about: the last name in its location ("body", "payload", ...)."""
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if len(names) > 1 else (names[0] if names else "")


def _message(error):
    template = ERROR_MESSAGES.get(error.get("type"), DEFAULT_ERROR_MESSAGE)
    context = error.get("ctx") or {}
    try:
        return str(template).format(**context)
    except (KeyError, IndexError):
        return str(DEFAULT_ERROR_MESSAGE)


def validation_details(errors):
    """pydantic's errors as Russian ones: field name, its Russian label, where, what is wrong."""
    result = []
    for error in errors:
        loc = list(error.get("loc", ()))
        field = _field(loc)
        result.append({"field": field, "label": str(FIELD_LABELS.get(field, field)),
                       "loc": loc, "message": _message(error)})
    return {"errors": result}


# --- handlers -----------------------------------------------------------------------------------

def _log_server_error(request, exc):
    logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                 extra={"status_code": 500, "request": request})
    # As Django does for an uncaught exception: the test client re-raises it, reporters see it.
    got_request_exception.send(sender=None, request=request)


def _on_http_error(request, exc):
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        # Session requests need the CSRF token; integrations should use an API token instead.
        message = _("Нет CSRF-токена: передайте заголовок X-CSRFToken или используйте API-токен.")
        return error_response(403, code="csrf_failed", message=message)
    return error_response(exc.status_code)


def _on_database_error(request, exc):
    if is_database_away(exc):
        logger.warning("Database unavailable at %s: %s", request.path, exc)
        response = error_response(503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    if isinstance(exc, IntegrityError):
        logger.warning("Integrity error at %s: %s", request.path, exc)
        return error_response(409)
    if isinstance(exc, DataError):
        logger.warning("Data error at %s: %s", request.path, exc)
        return error_response(422, message=_("Значение не помещается в базу данных."))
    _log_server_error(request, exc)
    return error_response(500)


def _on_unexpected(request, exc):
    _log_server_error(request, exc)
    return error_response(500)


def install(api):
    """Register the handlers of every failure on the NinjaAPI."""
    handlers = {
        DomainError: lambda request, exc: error_response(
            exc.status, code=exc.code, message=exc.message, details=exc.details),
        ValidationError: lambda request, exc: error_response(
            422, details=validation_details(exc.errors)),
        AuthenticationError: lambda request, exc: error_response(401),
        AuthorizationError: lambda request, exc: error_response(403),
        PermissionDenied: lambda request, exc: error_response(
            403, message=str(exc) or None),
        Http404: lambda request, exc: error_response(404),
        HttpError: _on_http_error,
        RequestDataTooBig: lambda request, exc: error_response(413),
        MultiPartParserError: lambda request, exc: error_response(
            400, message=_("Тело запроса — не форма multipart/form-data.")),
        SuspiciousOperation: lambda request, exc: error_response(400),
        DatabaseError: _on_database_error,
        InterfaceError: _on_database_error,  # not a DatabaseError: a connection that is gone
        Exception: _on_unexpected,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)


# --- what never reaches ninja -------------------------------------------------------------------

class ApiErrorMiddleware:
    """Under /api/v1/, an error answer that is not JSON (Django's HTML 404, 400, 500, ninja's
    plain-text 405) is replaced by the common shape with the same status and headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path.startswith(API_PREFIX) or response.status_code < 400
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        details = {}
        if response.status_code == 405 and response.has_header("Allow"):
            details["allowed"] = [m.strip() for m in response["Allow"].split(",")]
        replacement = error_response(response.status_code, details=details)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request, exc):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exc, Http404):
            return error_response(404)
        if isinstance(exc, RequestDataTooBig):
            return error_response(413)
        if isinstance(exc, (SuspiciousOperation, MultiPartParserError)):
            return error_response(400)
        if is_database_away(exc):
            return _on_database_error(request, exc)
        return None  # Django logs it and answers 500; __call__ turns that into the shape
