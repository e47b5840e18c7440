"""scripts/serve.py (what `make run` starts) leaves no worker process sending once it returns."""

import json
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.faults.test_worker_signals import group_gone
from tests.notifications.cluster import (
    MESSAGES,
    ROOT,
    cluster_environment,
    scratch_database,
    step,
    wait_until,
)
from tests.notifications.smtp import LocalSMTPServer, free_port

pytestmark = pytest.mark.faults


def test_serve_stopped_mid_batch_leaves_no_worker_sending(tmp_path, verdict):
    with LocalSMTPServer() as server, scratch_database(tmp_path) as url, \
            open(tmp_path / "serve.log", "wb") as log:
        env = cluster_environment(server, url)
        env["ALLOWED_HOSTS"] = "127.0.0.1"
        step(env, "setup", str(MESSAGES))
        step(env, "kick")
        serve = subprocess.Popen(
            [sys.executable, "scripts/serve.py", "--port", str(free_port())], env=env, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            assert server.mailbox.wait_for(2, timeout=60) >= 2
            workers = [child for child in psutil.Process(serve.pid).children()
                       if "qcluster" in " ".join(child.cmdline())]
            assert workers, "serve.py started no qcluster"
            pgid = workers[0].pid

            serve.send_signal(signal.SIGTERM)
            serve.wait(timeout=40)
            at_return = len(server.mailbox.messages)
            gone = group_gone(pgid)
            time.sleep(2)  # a worker left behind would go on sending
            after = len(server.mailbox.messages)
            status = json.loads(step(env, "status"))
        finally:
            if serve.poll() is None:
                serve.kill()
            wait_until(lambda: group_gone(serve.pid), timeout=5)
    verdict(lost=0, doubled=0, sent_after_return=after - at_return)

    assert gone, "a qcluster process outlived serve.py"
    assert after == at_return
    assert "sending" not in status, status
    assert status.get("sent", 0) == at_return
