"""API authentication by personal token (Authorization: Bearer <token>)."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from config import brakes
from config.errors import TooManyRequests
from participants.services import user_for_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        # Wrong tokens are counted per client; past the limit even a right one waits, so that
        # guessing costs the guesser time.
        client = brakes.client_key(request)
        if brakes.is_locked(request, "api-token", client, brakes.API_TOKEN_FAILURES):
            raise TooManyRequests(_("Слишком много неверных API-токенов. Подождите и повторите."))
        user = user_for_token(token)
        if user is None:
            brakes.fail(request, "api-token", client, brakes.API_TOKEN_FAILURES)
            return None
        request.user = user
        return user
