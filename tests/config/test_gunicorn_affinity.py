"""config/gunicorn.py: each web worker on a core of its own, spread over the cores."""

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


def test_workers_are_spread_over_the_cores_and_a_replacement_takes_the_freed_one(four_cores):
    server = SimpleNamespace(WORKERS={})
    assert [_spawn(server, pid) for pid in range(6)] == [0, 1, 2, 3, 0, 1]

    del server.WORKERS[2]  # the worker on core 2 died
    assert _spawn(server, 10) == 2


def test_web_pin_cpus_0_leaves_workers_on_every_core(four_cores, monkeypatch):
    monkeypatch.setenv("WEB_PIN_CPUS", "0")
    server = SimpleNamespace(WORKERS={})
    assert _spawn(server, 1) is None
    hooks.post_fork(server, server.WORKERS[1])  # nothing to pin


def test_one_core_is_not_pinned(monkeypatch):
    monkeypatch.setattr(cpu_affinity, "cpus", lambda: [0])
    assert not cpu_affinity.enabled()


def test_post_fork_keeps_the_worker_on_its_core(monkeypatch):
    pinned = []
    monkeypatch.setattr(os, "sched_setaffinity", lambda pid, cores: pinned.append((pid, cores)))
    hooks.post_fork(SimpleNamespace(WORKERS={}), SimpleNamespace(cpu=3))
    assert pinned == [(0, {3})]
