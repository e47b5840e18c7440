"""A real SMTP server on localhost (aiosmtpd) that keeps what it received, for tests and benches."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The aiosmtpd handler: refuses addresses in `refused` for good (550) and those in `busy`
    for now (450); keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.raw = []
        self.sessions = set()  # the client's address of each SMTP session that sent a letter
        self.data_delay = 0.0  # seconds before the reply to the end of DATA (a slow server)
        self.refused = set()
        self.busy = set()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        if address in self.busy:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        with self.arrived:
            self.sessions.add(session.peer)
            self.messages.append(message)
            self.raw.append(envelope.content)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout):
        """Block until `count` messages arrived or the timeout passed; return how many did."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return len(self.messages)

    def message_ids(self):
        with self.lock:
            return [message["Message-ID"] for message in self.messages]


class LocalSMTPServer:
    """`with LocalSMTPServer() as server:` — server.port, server.mailbox."""

    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()

    def django_settings(self):
        """Settings that point Django's SMTP backend at this server."""
        return {
            "EMAIL_BACKEND": "notifications.smtp_backend.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": self.port, "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }

    def environment(self):
        """The same for a subprocess, through the variables config/settings.py reads."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0",
                "EMAIL_USE_SSL": "0", "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}
