"""Every answer of /api/v1/ that is an error is JSON {code, message, details} in Russian."""

import json
import re

import pytest
from django.db import DataError, IntegrityError
from django.test import Client

API = "/api/v1"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def signed_in(user, **extra):
    client = Client(raise_request_exception=False, **extra)
    client.force_login(user)
    return client


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert CYRILLIC.search(body["message"]), body["message"]
    return body


@pytest.mark.parametrize("path", ["/imports/abc", "/no-such-thing", "/events/1/no-such"])
def test_unknown_api_path_is_a_json_404(curator, path):
    assert_error(signed_in(curator).get(API + path), 404, "not_found")


def test_unknown_api_path_without_credentials_is_a_json_404(db):
    assert_error(Client().get(f"{API}/imports/abc"), 404, "not_found")


def test_method_not_allowed_is_json_and_names_the_allowed_methods(curator):
    response = signed_in(curator).delete(f"{API}/events")
    body = assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert "GET" in body["details"]["allowed"]


def test_post_without_any_credentials_is_401_even_when_csrf_is_enforced(db):
    client = Client(enforce_csrf_checks=True)
    assert_error(client.post(f"{API}/events", "{}", content_type="application/json"), 401,
                 "unauthorized")


def test_session_post_without_csrf_token_is_still_refused(curator):
    response = signed_in(curator, enforce_csrf_checks=True).post(
        f"{API}/programs", "{}", content_type="application/json")
    assert_error(response, 403, "csrf_failed")


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data", "not a form"),
    ("multipart/form-data; boundary=", "not a form"),
    ("multipart/form-data; boundary=zzz", "--zzz\r\nno headers"),
])
def test_multipart_body_that_is_not_a_form_is_a_json_400(curator, content_type, body):
    response = signed_in(curator).post(f"{API}/imports", body, content_type=content_type)
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code, "bad_request" if response.status_code == 400
                 else "invalid")


def test_body_over_the_upload_limit_is_a_json_413(curator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = signed_in(curator).post(f"{API}/programs", json.dumps({"name": "x" * 2000}),
                                       content_type="application/json")
    assert_error(response, 413, "too_large")


def test_body_that_is_not_json_is_a_json_400(curator):
    response = signed_in(curator).post(f"{API}/programs", "{not json",
                                       content_type="application/json")
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code,
                 "bad_request" if response.status_code == 400 else "invalid")


def test_validation_details_are_russian_and_name_fields_by_their_russian_labels(curator):
    response = signed_in(curator).post(
        f"{API}/events", json.dumps({"title": "", "form_id": "abc", "starts_at": "завтра"}),
        content_type="application/json")
    body = assert_error(response, 422, "invalid")
    errors = body["details"]["errors"]
    by_field = {error["field"]: error for error in errors}
    assert {"title", "form_id", "starts_at", "ends_at"} <= set(by_field)
    for error in errors:
        assert CYRILLIC.search(error["label"]), error
        assert CYRILLIC.search(error["message"]), error
        assert "Input should" not in error["message"]
    assert by_field["form_id"]["label"] == "Форма"
    assert by_field["ends_at"]["message"] == "Обязательное поле."


def test_validation_of_a_query_parameter_names_it(curator):
    response = signed_in(curator).get(f"{API}/events", {"program_id": "abc"})
    body = assert_error(response, 422, "invalid")
    [error] = body["details"]["errors"]
    assert error["field"] == "program_id"
    assert error["label"] == "Программа"


def test_database_integrity_error_is_a_json_409_not_a_500(curator, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")
    monkeypatch.setattr("participants.services.create_person", broken)
    response = signed_in(curator).post(
        f"{API}/people", json.dumps({"last_name": "Иванова", "first_name": "Мария"}),
        content_type="application/json")
    body = assert_error(response, 409, "conflict")
    assert "duplicate" not in body["message"]  # the database's words stay in the log


def test_database_data_error_is_a_json_422_not_a_500(curator, monkeypatch):
    def broken(*args, **kwargs):
        raise DataError("value too long for type character varying(255)")
    monkeypatch.setattr("participants.services.create_person", broken)
    response = signed_in(curator).post(
        f"{API}/people", json.dumps({"last_name": "Иванова", "first_name": "Мария"}),
        content_type="application/json")
    assert_error(response, 422, "invalid")


def test_unexpected_error_is_a_json_500_without_internals(curator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr("participants.services.create_person", broken)
    response = signed_in(curator).post(
        f"{API}/people", json.dumps({"last_name": "Иванова", "first_name": "Мария"}),
        content_type="application/json")
    body = assert_error(response, 500, "server_error")
    assert "secret" not in json.dumps(body)


def test_a_429_renders_in_the_common_shape(rf):
    from config.api_errors import error_body
    body = error_body(429, details={"retry_after": 60})
    assert body["code"] == "too_many_requests"
    assert CYRILLIC.search(body["message"])
    assert body["details"] == {"retry_after": 60}


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 413, 422, 429, 500])
def test_every_error_status_has_a_code_and_a_russian_message(status):
    from config.api_errors import error_body
    body = error_body(status)
    assert body["code"] and CYRILLIC.search(body["message"])
