"""The one NinjaAPI: mounts every app's router; errors and docs are completed in config."""

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import SessionAuth

from config import api_docs, api_errors
from events.api import router as events_router
from participants.api import router as participants_router
from participants.auth import ApiTokenAuth


class SessionCookieAuth(SessionAuth):
    """The Django session; the CSRF check only when a session cookie came with the request.

    Without any credentials there is nothing a forged request could use, so the answer is the
    honest 401, not 403 csrf_failed.
    """

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


class MentoringAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return api_docs.complete(schema)


api = MentoringAPI(
    title="Школа наставничества API",
    version="1",
    description="REST API школы наставничества: участники, наставники, мероприятия, анкеты.",
    auth=[ApiTokenAuth(), SessionCookieAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
api_errors.install(api)

api.add_router("/", participants_router)
api.add_router("/", events_router)
api.add_router("/", "events.plan.api.router")
api.add_router("/", "surveys.api.router")
api.add_router("/", "surveys.evaluation.api.router")
api.add_router("/", "planning.themes.api.router")
api.add_router("/", "planning.matching.api.router")
api.add_router("/", "planning.matching.flash_api.router")
api.add_router("/", "events.certificates.api.router")
api.add_router("/", "events.reports.api.router")
api.add_router("/", "indicators.api.router")
api.add_router("/", "notifications.api.router")
api.add_router("/", "practices.api.router")
api.add_router("/", "portfolio.api.router")
