"""The API's one paginator: limit/offset, both bounded to what a database query can take."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from config.api_types import BIGINT_MAX


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1,
                           le=settings.NINJA_PAGINATION_MAX_LIMIT)
        # An offset past bigint is refused here instead of failing inside PostgreSQL.
        offset: int = Field(0, ge=0, le=BIGINT_MAX)
