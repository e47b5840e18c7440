"""The OpenAPI of /api/v1/ documents what the API does: right enums, errors, Russian words."""

import enum
import re
import typing

import pydantic
import pytest
from django.test import Client

from config.api import api

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "422", "429", "500"}


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _reachable(annotation, seen):
    """Models and enums a type refers to, recursively."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        seen.add(annotation)
        return
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _reachable(field.annotation, seen)
        return
    for argument in typing.get_args(annotation):
        _reachable(argument, seen)


def _api_types():
    seen = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _reachable(model, seen)
                for model in operation.response_models.values():
                    _reachable(model, seen)
    return seen


def test_schema_component_names_are_unique():
    names = {}
    for kind in _api_types():
        names.setdefault(kind.__name__, set()).add(f"{kind.__module__}.{kind.__qualname__}")
    collisions = {name: where for name, where in names.items() if len(where) > 1}
    assert not collisions


def _referenced(schema, prop):
    """The component a property refers to, through allOf/anyOf wrappers."""
    refs = [prop.get("$ref")] + [item.get("$ref") for key in ("allOf", "anyOf")
                                 for item in prop.get(key, [])]
    [ref] = [ref for ref in refs if ref]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_event_enums_document_event_values(schema):
    from events.models import Event
    from surveys.models import Round
    components = schema["components"]["schemas"]
    # Several audiences: a list of the enum, in and out.
    for name in ("EventIn", "EventOut"):
        audience = components[name]["properties"]["audience"]
        assert audience["type"] == "array"
        assert set(_referenced(schema, audience["items"])["enum"]) == set(Event.Audience.values)
    round_audience = _referenced(schema, components["RoundIn"]["properties"]["audience"])
    assert set(round_audience["enum"]) == set(Round.Audience.values)
    [status] = [p for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]
                if p["name"] == "status"]
    assert set(_referenced(schema, status["schema"])["enum"]) == set(Event.Status.values)


def test_every_operation_documents_the_error_responses_with_the_shared_schema(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "details"}
    for name, operation in _operations(schema):
        documented = set(operation["responses"])
        assert ERROR_STATUSES <= documented, name
        for status in ERROR_STATUSES:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, name


def test_every_operation_has_a_russian_summary(schema):
    for name, operation in _operations(schema):
        assert CYRILLIC.search(operation.get("summary", "")), name


def test_every_field_and_parameter_title_is_russian(schema):
    for component, body in schema["components"]["schemas"].items():
        for field, prop in body.get("properties", {}).items():
            assert CYRILLIC.search(prop.get("title", "")), f"{component}.{field}"
    for name, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            title = parameter["schema"].get("title", "") + parameter.get("description", "")
            assert CYRILLIC.search(title), f"{name} {parameter['name']}"


def test_openapi_document_is_served_without_credentials(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["components"]["schemas"]["Error"]
