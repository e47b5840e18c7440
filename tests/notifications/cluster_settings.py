"""Settings of the qcluster test's subprocesses: production settings, short leases, test texts.

The database, the SMTP server and the (slow) e-mail backend come from the environment.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import Q_CLUSTER, TEMPLATES

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
SITE_URL = "https://school.example"

# A lease that runs out within the test; still longer than a batch takes (4 × 0.5 s).
NOTIFICATIONS_LEASE_SECONDS = 4
NOTIFICATIONS_SEND_MARGIN_SECONDS = 1
NOTIFICATIONS_BATCH_SIZE = 4
Q_CLUSTER = {**Q_CLUSTER, "workers": 2, "poll": 0.1}
# A fault test sets a long backoff to prove that an outage's end is noticed without waiting it.
NOTIFICATIONS_RETRY_SECONDS = int(os.environ.get("NOTIFY_TEST_RETRY_SECONDS", "60"))
