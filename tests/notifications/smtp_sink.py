"""A local SMTP sink in a process of its own (for benchmarks): counts letters by Message-ID.

    python -m tests.notifications.smtp_sink PORT OUT.json

Runs until SIGTERM, then writes {"Message-ID": count, ...} to OUT.json. Being a separate
process it does not share the interpreter's lock with the senders it measures.
"""

import json
import re
import signal
import sys
import time
from collections import Counter

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.MULTILINE | re.IGNORECASE)


class Counting:
    def __init__(self):
        self.ids = Counter()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        self.ids[found.group(1).decode() if found else "(none)"] += 1
        return "250 OK"


def main(port, out):
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=int(port))
    controller.start()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))  # a flag: no lock taken
    print("ready", flush=True)
    while not stopping:
        time.sleep(0.1)
    controller.stop()
    with open(out, "w") as file:
        json.dump(dict(handler.ids), file)


if __name__ == "__main__":
    main(*sys.argv[1:3])
