"""API authentication by personal token (Authorization: Bearer <token>)."""

from ninja.security import HttpBearer

from participants.services import user_for_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
