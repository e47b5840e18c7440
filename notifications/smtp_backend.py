"""Django's SMTP backend with RFC 5321's patience for the one reply that can double a letter.

RFC 5321 §4.5.3.2 gives the client's timeouts per command; the last one, the reply to the
«.» that ends DATA, is 10 minutes (§4.5.3.2.6), because the server may be storing or
relaying the message meanwhile, and a client that gives up earlier sends it again although
the server has it. A timeout before that point costs nothing (a transaction not ended by «.»
is discarded), so the other commands keep EMAIL_TIMEOUT (30 s): a dead server is noticed
quickly. The worker's lease is renewed while it waits (notifications.delivery.Lease), and
django-q2's task timeout is longer than this one (config/settings.py).
"""

import smtplib

from django.conf import settings
from django.core.mail.backends import smtp

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


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return SMTP_SSL if self.use_ssl else SMTP
