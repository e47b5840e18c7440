"""VEVENTs of the feeds written as iCalendar bytes directly, byte for byte what icalendar writes
for the same properties.

icalendar builds an object per property, per parameter and per content line; for a feed of
hundreds of events that was most of its cost. The feeds emit a fixed set of value types (TEXT,
URI, INTEGER, UTC DATE-TIME, DATE, a list of TEXT), so this module writes them with icalendar's
rules: TEXT escaping as RFC 5545 §3.3.11 (icalendar's order of replacements, a bare CR as a line
break), properties in icalendar's order, lines folded at 75 octets on UTF-8 boundaries without
splitting an escape, CRLF. Invitations (ORGANIZER, ATTENDEE with parameters) still go through
icalendar; tests/events/test_ics.py renders the same properties through both and compares bytes.
"""

import datetime

UTC = datetime.UTC
# icalendar's order for VEVENT properties (icalendar.cal.event.Event.canonical_order); the rest
# follow alphabetically.
CANONICAL = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID", "RECURRENCE-ID",
             "SEQUENCE", "RRULE", "RDATE", "EXDATE")
_RANK = {name: (0, index, "") for index, name in enumerate(CANONICAL)}
INT_RANGE = (-2147483648, 2147483647)  # RFC 5545 §3.3.8, as icalendar checks it
_LIMIT = 74  # octets a folded piece holds: icalendar folds before a line would reach 75
_CONTINUATION = range(0x80, 0xC0)  # UTF-8 bytes that are not the start of a character
_ESCAPES = b"\\^"  # icalendar never ends a piece on these, so no escape is split


class Uri(str):
    """A URI value (URL): written as it is, no TEXT escaping."""


def escape(text):
    """TEXT escaping in icalendar's order (a literal «\\N» is a line break to it too). A leading
    byte order mark is dropped, as icalendar drops it (it decodes text as utf-8-sig)."""
    return (text.removeprefix("\ufeff").replace("\\N", "\n").replace("\\", "\\\\")
            .replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
            .replace("\r", "\\n"))


def fold(line):
    """A content line as bytes, folded as icalendar folds it, without the final CRLF."""
    data = line.encode()
    if len(data) <= _LIMIT:
        return data
    pieces, start = [], 0
    while len(data) - start > _LIMIT:
        cut = start + _LIMIT
        while data[cut] in _CONTINUATION:  # the character at the cut does not fit whole
            cut -= 1
        if data[cut - 1] in _ESCAPES and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _value(name, value):
    """(parameters, value) of a property as icalendar writes them."""
    if isinstance(value, Uri):
        return "", value
    if isinstance(value, str):
        return "", escape(value)
    if isinstance(value, bool):
        raise TypeError(f"{name}: no BOOLEAN properties here")
    if isinstance(value, int):
        if not INT_RANGE[0] <= value <= INT_RANGE[1]:
            raise ValueError(f"{name}: {value} is outside the INTEGER range")
        return "", str(value)
    if isinstance(value, datetime.datetime):
        # Feeds carry UTC instants only; a floating or zoned time would need a TZID.
        if value.tzinfo is not UTC:
            raise ValueError(f"{name}: a time in datetime.UTC is expected, got {value!r}")
        return "", (f"{value.year:04}{value.month:02}{value.day:02}"
                    f"T{value.hour:02}{value.minute:02}{value.second:02}Z")
    if isinstance(value, datetime.date):
        return ";VALUE=DATE", f"{value.year:04}{value.month:02}{value.day:02}"
    if isinstance(value, list | tuple):
        return "", ",".join(escape(item) for item in value)
    raise TypeError(f"{name}: cannot write {type(value).__name__}")


def _rank(name):
    return _RANK.get(name) or (1, 0, name)


def vevent(properties):
    """BEGIN:VEVENT … END:VEVENT with CRLFs, from {NAME: value} (names in upper case)."""
    lines = [b"BEGIN:VEVENT"]
    for name in sorted(properties, key=_rank):
        parameters, value = _value(name, properties[name])
        lines.append(fold(f"{name}{parameters}:{value}"))
    lines.append(b"END:VEVENT\r\n")
    return b"\r\n".join(lines)
