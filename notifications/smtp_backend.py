"""Django's SMTP backend with RFC 5321's patience for the one reply that can double a letter.

RFC 5321 §4.5.3.2 gives the client's timeouts per command; the last one, the reply to the
«.» that ends DATA, is 10 minutes (§4.5.3.2.6), because the server may be storing or
relaying the message meanwhile, and a client that gives up earlier sends it again although
the server has it. A timeout before that point costs nothing (a transaction not ended by «.»
is discarded), so the other commands keep EMAIL_TIMEOUT (30 s): a dead server is noticed
quickly. The worker's lease is renewed while it waits (notifications.delivery.Lease), and
django-q2's task timeout is longer than this one (config/settings.py).

It also writes a letter's bytes with less work than Django does (same bytes: see
`wire_bytes`), since at hundreds of letters a second composing them was a third of a worker's
time.
"""

import functools
import smtplib
from email.generator import BytesGenerator
from email.policy import Compat32
from io import BytesIO

from django.conf import settings
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

END_OF_DATA = b"\r\n.\r\n"


def final_reply_timeout():
    return getattr(settings, "EMAIL_FINAL_REPLY_TIMEOUT", 600)


class _FinalReplyPatience:
    """After the «.» that ends DATA, wait final_reply_timeout() for the reply, then the usual."""

    awaiting_final_reply = False

    def send(self, s):
        super().send(s)
        if isinstance(s, bytes) and s.endswith(END_OF_DATA) and self.sock is not None:
            self.sock.settimeout(final_reply_timeout())
            self.awaiting_final_reply = True

    def getreply(self):
        try:
            return super().getreply()
        finally:
            if self.awaiting_final_reply:
                self.awaiting_final_reply = False
                if self.sock is not None:
                    self.sock.settimeout(self.timeout)


class SMTP(_FinalReplyPatience, smtplib.SMTP):
    pass


class SMTP_SSL(_FinalReplyPatience, smtplib.SMTP_SSL):  # noqa: N801 — smtplib's name
    pass


class _ShortLinesAsTheyAre(Compat32):
    """compat32 (Django's policy), minus the folding machinery for headers that need none.

    compat32 passes every header through email.header.Header, ~25 µs each, sixteen a letter; a
    printable ASCII value that fits on its line comes out of it unchanged, so it is written
    directly. Anything else — long, encoded, not ASCII — still goes through Header.
    """

    def fold_binary(self, name, value):
        if (isinstance(value, str) and value.isascii() and value.isprintable()
                and len(name) + 2 + len(value) <= (self.max_line_length or 0)):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


SHORT_LINES_AS_THEY_ARE = _ShortLinesAsTheyAre()


def wire_bytes(message):
    """The bytes Django's `message.as_bytes(linesep="\\r\\n")` gives, written faster."""
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=SHORT_LINES_AS_THEY_ARE).flatten(
        message, linesep="\r\n")
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def _sanitized(address, encoding):
    # The sender is the same in every letter; parsing it is ~70 µs.
    return sanitize_address(address, encoding)


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return SMTP_SSL if self.use_ssl else SMTP

    def _send(self, email_message):
        """Django's _send (django/core/mail/backends/smtp.py) with wire_bytes and the sender's
        address parsed once."""
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = _sanitized(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        try:
            self.connection.sendmail(from_email, recipients,
                                     wire_bytes(email_message.message()))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
