"""Mail in development: the sign-in link framed on the console, other letters only counted.

Django's console backend prints every letter whole, MIME parts and base64 attachments
included: a batch of invitations scrolls the one line a developer is waiting for — the
sign-in link they just asked for — out of sight. Here a sign-in letter shows as a frame with
its link; other letters are counted, and one line per batch (the email channel closes the
connection after each) says how many went and where to read them.
"""

import re

from django.conf import settings
from django.core.mail.backends import console
from django.urls import reverse


class EmailBackend(console.EmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted = 0

    def write_message(self, message):
        link = signin_link(message.body)
        if link:
            self.stream.write(framed([f"Ссылка для входа для {', '.join(message.to)}:", link]))
        else:
            self.counted += 1

    def close(self):
        if self.counted:
            with self._lock:
                self.stream.write(f"Отправлено писем: {self.counted} (в консоль не выводятся; "
                                  f"текст и статус — «Уведомления» в управлении: {outbox_url()})\n")
                self.stream.flush()
                self.counted = 0
        super().close()


def signin_link(body):
    """The sign-in link a letter carries, or ''."""
    found = re.search(r"https?://\S+?" + re.escape(reverse("signin_link")) + r"\?\S+", body)
    return found.group(0) if found else ""


def outbox_url():
    return settings.SITE_URL + reverse("admin:notifications_notification_changelist")


def framed(lines):
    width = max(len(line) for line in lines) + 2
    return "\n".join(["╔" + "═" * width + "╗", *(f"║ {line.ljust(width - 2)} ║" for line in lines),
                      "╚" + "═" * width + "╝", ""]) + "\n"
