"""Log lines carry no link secrets and no personal data; production writes JSON lines."""

import io
import json
import logging

import pytest
from django.utils.module_loading import import_string

from operations.logs import JsonFormatter, ScrubFilter, scrub

SECRETS = [
    ("Not Found: /s/Xk3_9aQ-zzT1vB7mNpQrStUvWxYz0123/", "Not Found: /s/***/"),
    ("GET /flash/Q1w2E3r4T5y6U7i8O9p0-_aa/ 200", "GET /flash/***/ 200"),
    ("PUT /api/v1/flash/Q1w2E3r4T5y6U7i8O9p0-_aa 400", "PUT /api/v1/flash/*** 400"),
    ("GET /calendar/AbCdEfGhIjKlMnOpQrStUvWx.ics 304", "GET /calendar/***.ics 304"),
    ("GET /notifications/unsubscribe/tok_tok-123/", "GET /notifications/unsubscribe/***/"),
    ("GET /notifications/preferences/tok_tok-123/?a=1",
     "GET /notifications/preferences/***/?a=1"),
    ("GET /signin/link/?sesame=AAAA.BBBB-CC_DD&next=/cabinet/",
     "GET /signin/link/?sesame=***&next=/cabinet/"),
    ("Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "Authorization: Bearer ***"),
    ("SMTP refused {'maria.ivanova+school@mail.example.ru': (550, b'no')}",
     "SMTP refused {'[e-mail]': (550, b'no')}"),
    ("phone +79991234567 rejected", "phone [телефон] rejected"),
]


@pytest.mark.parametrize(("raw", "clean"), SECRETS)
def test_scrub_masks_link_secrets_tokens_emails_and_phones(raw, clean):
    assert scrub(raw) == clean


def test_scrub_keeps_public_addresses_and_ids():
    text = "GET /calendar/programs/12.ics /events/5/attendance/ /s/ status=404 event 17"
    assert scrub(text) == text


def _logger(formatter):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.operations.scrub")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger, stream


def test_filter_scrubs_arguments_of_a_record_not_only_its_format():
    logger, stream = _logger(logging.Formatter("%(message)s"))

    logger.warning("Not Found: %s", "/s/SECRET-TOKEN-123/")
    logger.info("letter to %s failed", "anna@school.example")

    assert stream.getvalue().splitlines() == ["Not Found: /s/***/", "letter to [e-mail] failed"]


def test_json_lines_carry_level_logger_message_and_a_scrubbed_traceback():
    logger, stream = _logger(JsonFormatter())

    try:
        raise ValueError("bad link /flash/SECRET-FLASH-TOKEN/ for boris@school.example")
    except ValueError:
        logger.exception("Internal Server Error: %s", "/flash/SECRET-FLASH-TOKEN/")

    line = stream.getvalue().strip()
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "tests.operations.scrub"
    assert entry["message"] == "Internal Server Error: /flash/***/"
    assert "ValueError: bad link /flash/***/ for [e-mail]" in entry["exception"]
    assert "SECRET-FLASH-TOKEN" not in line and "boris" not in line


def test_a_404_on_a_survey_link_logs_no_token_through_the_settings(client, db, settings):
    # The filter and formatter the settings name, on a handler like theirs: what Django logs
    # for a dead link reaches the stream scrubbed.
    config = settings.LOGGING
    handler_config = config["handlers"]["console"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    for name in handler_config["filters"]:
        handler.addFilter(import_string(config["filters"][name]["()"])())
    handler.setFormatter(import_string(config["formatters"]["json"]["()"])())
    assert handler_config["formatter"] == "json"  # production settings write JSON lines
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        client.get("/s/Xk3_9aQ-zzT1vB7mNpQrStUvWxYz0123/")
        client.get("/calendar/AbCdEfGhIjKlMnOpQrStUvWx.ics")
    finally:
        root.removeHandler(handler)

    messages = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert "Not Found: /s/***/" in messages
    assert "Not Found: /calendar/***.ics" in messages
    assert all("Xk3_9aQ" not in m and "AbCdEf" not in m for m in messages)
