"""E-mail backends for tests only, chosen by EMAIL_BACKEND (settings or a subprocess's env)."""

import os
import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend

from notifications.smtp_backend import EmailBackend


class SlowSMTPBackend(EmailBackend):
    """Real SMTP, after a pause per message (NOTIFY_TEST_SEND_DELAY seconds), so that a test
    can kill a worker while it is in the middle of a batch."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("NOTIFY_TEST_SEND_DELAY", "0.5")) * len(email_messages))
        return super().send_messages(email_messages)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises `error`; `attempts` counts the tries."""

    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise self.error
