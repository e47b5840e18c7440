"""The OpenAPI document of /api/v1/ completed: Russian field titles and the error responses.

ninja writes titles from field names ("Starts At") and documents only the success answers;
every operation can also answer with the common error shape, so each lists those statuses.
"""

from django.utils.translation import gettext as _

from config.api_errors import error_body
from config.api_labels import FIELD_LABELS

ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 500)
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error_schema():
    return {
        "title": _("Ошибка"),
        "type": "object",
        "properties": {
            "code": {"title": _("Код"), "type": "string",
                     "description": _("Машиночитаемый код: not_found, invalid, conflict…")},
            "message": {"title": _("Сообщение"), "type": "string",
                        "description": _("Что случилось, по-русски.")},
            "details": {"title": _("Подробности"), "type": "object",
                        "description": _("Для 422 — errors: поле, его название, сообщение.")},
        },
        "required": ["code", "message", "details"],
    }


def _label_properties(component):
    for name, prop in component.get("properties", {}).items():
        if name in FIELD_LABELS:
            prop["title"] = str(FIELD_LABELS[name])


def _label_parameters(operation):
    for parameter in operation.get("parameters", []):
        label = FIELD_LABELS.get(parameter["name"])
        if label is not None:
            parameter.setdefault("schema", {})["title"] = str(label)


def _document_errors(operation):
    responses = {str(status): body for status, body in operation.get("responses", {}).items()}
    for status in ERROR_STATUSES:
        responses.setdefault(str(status), {
            "description": error_body(status)["message"],
            "content": {"application/json": {"schema": ERROR_REF}},
        })
    operation["responses"] = responses


def complete(schema):
    """Add the Error component, Russian titles and the error responses to ninja's document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for component in components.values():
        _label_properties(component)
    components["Error"] = _error_schema()
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            _label_parameters(operation)
            _document_errors(operation)
    return schema
