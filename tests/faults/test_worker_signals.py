"""A real qcluster sending to a slow local SMTP server, stopped and killed in mid-batch.

SIGTERM (to the main process, or to the group as systemd sends it) finishes the letter in
flight, gives the rest back and exits within 10 s; SIGKILL doubles at most the letters in
flight, and the rest go out within a minute.
"""

import json
import os
import signal
import time
from collections import Counter

import pytest

from tests.notifications.cluster import (
    MESSAGES,
    cluster_environment,
    kill,
    scratch_database,
    start_cluster,
    step,
    stop,
    wait_until,
)
from tests.notifications.smtp import LocalSMTPServer

pytestmark = pytest.mark.faults

STOP_BOUND = 10  # seconds: the bound for SIGTERM
CATCH_UP_BOUND = 60  # seconds: after a SIGKILL the rest go out within a minute


def group_gone(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def counts(server):
    letters = Counter(server.mailbox.message_ids())
    return letters, sum(n - 1 for n in letters.values())


@pytest.fixture
def cluster_run(tmp_path, request):
    """(server, env, start) with the messages written and two delivery tasks queued; a test
    marked `slow_send(seconds)` gets a slower server."""
    marker = request.node.get_closest_marker("slow_send")
    delay = marker.args[0] if marker else 0.5
    with LocalSMTPServer() as server, scratch_database(tmp_path) as url, \
            open(tmp_path / "qcluster.log", "wb") as log:
        env = cluster_environment(server, url, send_delay=delay)
        step(env, "setup", str(MESSAGES))
        step(env, "kick")
        started = []

        def start():
            started.append(start_cluster(env, log))
            return started[-1]

        try:
            yield server, env, start
        finally:
            for cluster in started:
                stop(cluster)


@pytest.mark.parametrize("to_group", [False, True], ids=["main-process", "process-group"])
def test_sigterm_finishes_the_letter_in_flight_and_exits_within_ten_seconds(
        cluster_run, to_group, verdict):
    server, env, start = cluster_run
    cluster = start()
    assert server.mailbox.wait_for(3, timeout=60) >= 3

    (os.killpg if to_group else os.kill)(cluster.pid, signal.SIGTERM)
    began = time.monotonic()
    gone = wait_until(lambda: cluster.poll() is not None and group_gone(cluster.pid),
                      timeout=STOP_BOUND + 20)
    took = time.monotonic() - began
    at_stop = len(server.mailbox.messages)
    time.sleep(1)  # a letter still being sent by a leftover would arrive now
    after_stop = json.loads(step(env, "status"))

    restarted = start()
    step(env, "kick")
    server.mailbox.wait_for(MESSAGES, timeout=60)
    time.sleep(1)
    stop(restarted)
    letters, doubled = counts(server)
    lost = MESSAGES - len(letters)
    verdict(lost=lost, doubled=doubled, exit_seconds=round(took, 1))

    assert gone and took <= STOP_BOUND, took
    assert "sending" not in after_stop, after_stop  # nothing left claimed
    assert after_stop.get("sent", 0) == at_stop == len(server.mailbox.messages[:at_stop])
    assert after_stop.get("pending", 0) == MESSAGES - at_stop  # given back, not failed
    assert json.loads(step(env, "status")) == {"sent": MESSAGES}
    assert lost == 0 and doubled == 0, letters.most_common(3)


@pytest.mark.slow_send(1.5)  # the look-up of the worker's pid must land mid-batch
def test_sigkill_of_a_sending_worker_doubles_at_most_its_letter_and_the_rest_go_within_a_minute(
        cluster_run, verdict):
    server, env, start = cluster_run
    start()
    assert server.mailbox.wait_for(1, timeout=60) >= 1
    holders = wait_until(lambda: json.loads(step(env, "holders")), timeout=10)
    pid = int(holders[0].rpartition(":")[2])

    os.kill(pid, signal.SIGKILL)
    began = time.monotonic()
    at_kill = len(server.mailbox.messages)
    done = server.mailbox.wait_for(MESSAGES, timeout=CATCH_UP_BOUND + 30)
    took = time.monotonic() - began
    time.sleep(1)
    letters, doubled = counts(server)
    lost = MESSAGES - len(letters)
    verdict(lost=lost, doubled_in_flight=doubled, catch_up_seconds=round(took, 1))

    assert at_kill < MESSAGES - 2  # the kill landed mid-batch
    assert done >= MESSAGES and took <= CATCH_UP_BOUND, took
    assert lost == 0 and doubled <= 1, letters.most_common(3)
    assert json.loads(step(env, "status")) == {"sent": MESSAGES}


def test_sigkill_of_the_whole_cluster_then_a_restart_catches_up_within_a_minute(
        cluster_run, verdict):
    server, env, start = cluster_run
    cluster = start()
    assert server.mailbox.wait_for(3, timeout=60) >= 3

    kill(cluster)  # SIGKILL to every process of the cluster
    began = time.monotonic()
    start()  # what systemd's Restart= does; no sweep is asked for
    done = server.mailbox.wait_for(MESSAGES, timeout=CATCH_UP_BOUND + 30)
    took = time.monotonic() - began
    time.sleep(1)
    letters, doubled = counts(server)
    lost = MESSAGES - len(letters)
    verdict(lost=lost, doubled_in_flight=doubled, catch_up_seconds=round(took, 1))

    assert done >= MESSAGES and took <= CATCH_UP_BOUND, took
    assert lost == 0 and doubled <= 2, letters.most_common(3)  # two workers: two in flight
    assert json.loads(step(env, "status")) == {"sent": MESSAGES}
