"""What staff may see of a message's data: every secret part of a link masked.

A personal link (a survey answer, a sign-in, a calendar feed) is a key: whoever holds it acts as
its owner — opens, and may overwrite, an anonymous answer. The outbox keeps the links because
the mail is rendered when it is sent; the admin shows them masked, so no one can open them from
there. A secret is any run of 20 or more URL-safe characters after "/" or "=" (the tokens are
24–32 random bytes); shorter path parts — ids, words — stay readable.
"""

import re

SECRET = re.compile(r"(?<=[/=])[A-Za-z0-9_\-]{20,}")
MASK = "•••"


def masked(value):
    """A copy of `value` (JSON-like) with every link token replaced by a mask."""
    if isinstance(value, str):
        return SECRET.sub(MASK, value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value
