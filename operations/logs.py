"""Log hygiene: secrets and personal data never reach a log line; JSON lines for machines.

Links in this service carry their secret in the path (/s/<token>/, /flash/<token>/, feeds,
unsubscribe pages) or in the query (sign-in links, `?sesame=`); Django's own loggers print
paths ("Not Found: /s/…/"), and an SMTP error prints the refused address. The filter rewrites
every record before any handler formats it; the formatter scrubs the traceback as well.
"""

import datetime
import json
import logging
import re

MASK = "***"
_PATTERNS = [
    # The secret segment of links that are the only key to what they open.
    (re.compile(r"(/(?:s|flash|notifications/unsubscribe|notifications/preferences)/)"
                r"[^/\s?#\"']+"), rf"\1{MASK}"),
    (re.compile(r"(/calendar/)(?!programs/|tracks/)[^/\s?#\"']+?(\.ics)"), rf"\1{MASK}\2"),
    (re.compile(r"((?:sesame|token)=)[^&\s\"'#]+", re.IGNORECASE), rf"\1{MASK}"),
    (re.compile(r"(Bearer\s+)[^\s\"',]+", re.IGNORECASE), rf"\1{MASK}"),
    (re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"\+7\d{10}\b"), "[телефон]"),
]


def scrub(text):
    """The text with link secrets, bearer tokens, e-mail addresses and phones masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubFilter(logging.Filter):
    """Put on handlers: rewrites the message of every record that passes (never drops one)."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is rather than lost
            return True
        record.msg, record.args = scrub(message), ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, exception."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
