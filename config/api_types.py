"""Field types of the API's request shapes: what the database can hold, and nothing coerced.

Every request schema (bodies, query filters) derives from `InSchema`, which cleans every string
through config.text_input; one-line fields say so with `Line`. Integers are bounded to the
column they end in (an id: bigint; a number or position: positive smallint), and a body's ints,
booleans and dates are not guessed from other types (`false` is not the id 0, `0` is not
1 January 1970). Query and path values arrive as text, so there only the bounds apply.
"""

import datetime
from typing import Annotated

from django.db import models
from ninja import Field, Path, Schema
from ninja.schema import DjangoGetter
from pydantic import AwareDatetime, BeforeValidator, field_validator, model_validator
from pydantic_core import PydanticCustomError

from config.text_input import clean_line, clean_text

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1  # PositiveIntegerField on PostgreSQL
SMALLINT_MAX = 2**15 - 1  # PositiveSmallIntegerField on PostgreSQL


def _clean_deep(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_deep(item) for item in value]
    return value


class InSchema(Schema):
    """A request shape: an object whose every string is cleaned of NUL and control characters."""

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, data):
        # ninja's Schema reads attributes of whatever it gets; a list would pass as all defaults.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if raw is None or isinstance(raw, (list, tuple, str, bytes, int, float)):
            raise PydanticCustomError("model_type", "not an object")
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value):
        return _clean_deep(value)


def _text_only(kind):
    def refuse_non_text(value):
        if isinstance(value, (int, float, bool)):
            raise PydanticCustomError(f"{kind}_type", "not a {kind} string", {"kind": kind})
        return value
    return BeforeValidator(refuse_non_text)


Line = Annotated[str, BeforeValidator(clean_line)]
Text = Annotated[str, BeforeValidator(clean_text)]

# In a JSON body.
Id = Annotated[int, Field(strict=True, ge=1, le=BIGINT_MAX)]
Count = Annotated[int, Field(strict=True, ge=1, le=INT_MAX)]
SmallNumber = Annotated[int, Field(strict=True, ge=0, le=SMALLINT_MAX)]
Flag = Annotated[bool, Field(strict=True)]
# Far enough for any plan; a year 1 or 9999 would overflow date arithmetic (reminders, days).
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)
_MOMENTS = {"ge": datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
            "le": datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC)}
Date = Annotated[datetime.date, _text_only("date"), Field(ge=EARLIEST, le=LATEST)]
Moment = Annotated[AwareDatetime, _text_only("datetime"), Field(**_MOMENTS)]
Duration = Annotated[datetime.timedelta, _text_only("duration"),
                     Field(ge=datetime.timedelta(0), le=datetime.timedelta(days=366))]

# In a query string or a path: text converted to int, bounded.
QueryId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
QueryDate = Annotated[datetime.date, Field(ge=EARLIEST, le=LATEST)]
PathId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]


def named_choices(name, choices):
    """A copy of model choices under its own name, so that two `Status` enums stay apart in the
    OpenAPI; members are equal to the model's values."""
    return models.TextChoices(name, [(member.name, (member.value, member.label))
                                     for member in choices])
