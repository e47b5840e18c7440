"""config/gunicorn.py: each web worker on a core of its own, spread over the cores."""

import logging
import os
from types import SimpleNamespace

import pytest

from config import cpu_affinity
from config import gunicorn as hooks


@pytest.fixture
def four_cores(monkeypatch):
    monkeypatch.setattr(cpu_affinity, "cpus", lambda: [0, 1, 2, 3])
    monkeypatch.delenv("WEB_PIN_CPUS", raising=False)


def _spawn(server, pid):
    worker = SimpleNamespace()
    hooks.pre_fork(server, worker)
    server.WORKERS[pid] = worker
    return worker.cpu


def _server(threads=4):
    return SimpleNamespace(WORKERS={}, cfg=SimpleNamespace(threads=threads))


def test_workers_are_spread_over_the_cores_and_a_replacement_takes_the_freed_one(four_cores):
    server = _server()
    assert [_spawn(server, pid) for pid in range(6)] == [0, 1, 2, 3, 0, 1]

    del server.WORKERS[2]  # the worker on core 2 died
    assert _spawn(server, 10) == 2


def test_web_pin_cpus_0_leaves_workers_on_every_core(four_cores, monkeypatch):
    monkeypatch.setenv("WEB_PIN_CPUS", "0")
    server = _server()
    assert _spawn(server, 1) is None
    hooks.post_fork(server, server.WORKERS[1])  # nothing to pin


def test_workers_of_one_thread_are_left_to_the_kernel(four_cores):
    # No GIL turns between threads to keep on a core; two busy sync workers could share one.
    server = _server(threads=1)
    assert [_spawn(server, pid) for pid in range(4)] == [None] * 4


def test_one_core_is_not_pinned(monkeypatch):
    monkeypatch.setattr(cpu_affinity, "cpus", lambda: [0])
    assert not cpu_affinity.enabled()


def test_post_fork_keeps_the_worker_on_its_core(monkeypatch):
    pinned = []
    monkeypatch.setattr(os, "sched_setaffinity", lambda pid, cores: pinned.append((pid, cores)))
    hooks.post_fork(_server(), SimpleNamespace(cpu=3))
    assert pinned == [(0, {3})]


def test_a_core_that_cannot_be_taken_leaves_the_worker_running(monkeypatch, caplog):
    def refused(pid, cores):
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "sched_setaffinity", refused)
    with caplog.at_level(logging.WARNING, logger="config.cpu_affinity"):
        hooks.post_fork(_server(), SimpleNamespace(cpu=7))
    assert "не закреплён за ядром 7" in caplog.text
