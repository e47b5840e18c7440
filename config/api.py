"""The one NinjaAPI: mounts every app's router and maps every error to one JSON shape."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import django_auth

from config.errors import DomainError
from events.api import router as events_router
from participants.api import router as participants_router
from participants.auth import ApiTokenAuth

api = NinjaAPI(
    title="Школа наставничества API",
    version="1",
    description="REST API школы наставничества: участники, наставники, мероприятия, анкеты.",
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)


def error_response(request, status, code, message, details=None):
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error_response(
        request, 422, "invalid", _("Данные запроса не прошли проверку."), {"errors": exc.errors}
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "unauthorized", _("Требуется вход или API-токен."))


@api.exception_handler(AuthorizationError)
def on_authorization_error(request, exc):
    return error_response(request, 403, "forbidden", _("Недостаточно прав."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, "forbidden", str(exc) or _("Недостаточно прав."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Объект не найден."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        # Session requests need the CSRF token; integrations should use an API token instead.
        message = _("Нет CSRF-токена: передайте заголовок X-CSRFToken или используйте API-токен.")
        return error_response(request, 403, "csrf_failed", message)
    return error_response(request, exc.status_code, "http_error", str(exc))


api.add_router("/", participants_router)
api.add_router("/", events_router)
api.add_router("/", "surveys.api.router")
api.add_router("/", "surveys.api_evaluation.router")
