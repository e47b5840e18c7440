"""config.background: a surge of requests makes a few runs, and none is left without one."""

import threading
import time

from config.background import Coalescer, flush_all


def _counting():
    starts = []
    lock = threading.Lock()

    def start():
        with lock:
            starts.append(time.monotonic())
        time.sleep(0.01)  # an enqueue takes a moment

    return starts, start


def _wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.01)
    return predicate()


def test_surge_of_wakeups_starts_a_few_tasks_not_one_each():
    starts, start = _counting()
    waker = Coalescer(start, 0.2, name="test")

    for _ in range(200):
        waker.request()
        time.sleep(0.001)  # 200 commits in about a third of a second

    assert _wait_for(lambda: starts)
    time.sleep(0.5)
    assert 1 <= len(starts) <= 5


def test_wakeup_after_a_task_started_gets_a_task_of_its_own():
    starts, start = _counting()
    waker = Coalescer(start, 0.05, name="test")

    waker.request()
    assert _wait_for(lambda: len(starts) == 1)
    requested = time.monotonic()
    waker.request()  # a commit after the first task was enqueued: it may not see this one

    assert _wait_for(lambda: len(starts) == 2)
    assert starts[1] >= requested


def test_failed_start_is_not_retried_in_a_loop_and_the_next_wakeup_works():
    calls = []

    def start():
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("broker down")

    waker = Coalescer(start, 0.01, name="test")
    waker.request()
    assert _wait_for(lambda: len(calls) == 1)
    time.sleep(0.1)
    assert len(calls) == 1  # the schedule delivers meanwhile; no busy retry

    waker.request()
    assert _wait_for(lambda: len(calls) == 2)


def test_flush_at_exit_starts_a_wakeup_still_waiting():
    calls = []
    waker = Coalescer(lambda: calls.append(1), 10, name="test")
    waker.request()
    assert _wait_for(lambda: len(calls) == 1)
    waker.request()  # inside the coalescing pause: waits for it

    waker.flush()

    assert len(calls) == 2


def test_flush_all_runs_what_waits_in_every_coalescer_once():
    calls = []
    first = Coalescer(lambda: calls.append("first"), 10, name="test-first")
    second = Coalescer(lambda: calls.append("second"), 10, name="test-second")
    for coalescer in (first, second):
        coalescer.request()
    assert _wait_for(lambda: len(calls) == 2)
    second.request()  # waits out the pause; `first` has nothing waiting

    flush_all()

    assert sorted(calls) == ["first", "second", "second"]
