"""scripts/serve.py (`make run`): links lead to the address the server really listens on."""

import contextlib
import importlib.util
import os
import socket
import sqlite3
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

spec = importlib.util.spec_from_file_location(
    "serve", Path(__file__).resolve().parents[2] / "scripts" / "serve.py")
serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve)


def test_links_use_the_host_and_port_started_on(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)

    assert serve.site_url("127.0.0.1", "8123") == "http://127.0.0.1:8123"
    assert serve.site_url("0.0.0.0", "8123") == "http://localhost:8123"


def test_a_site_url_that_is_set_wins(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://school.example/")

    assert serve.site_url("127.0.0.1", "8123") == "https://school.example"


def test_gunicorn_runs_a_worker_of_one_thread_as_deploy_does_and_threads_in_gthread():
    def worker_class(threads):
        command = serve.web_command("gunicorn", "127.0.0.1", 8000, workers=4, threads=threads)
        return command[command.index("--worker-class") + 1]

    assert worker_class(1) == "sync"
    unit = (Path(__file__).resolve().parents[2] / "deploy" / "mentoring-web.service").read_text()
    assert "--workers 4" in unit and "--threads" not in unit and "worker-class" not in unit
    assert worker_class(4) == "gthread"


# --- the web server: a real one, and nothing of it left after a stop ------------------------

def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_members(pgid):
    """Pids of live (not zombie) processes in a process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.fixture
def database_file(transactional_db, tmp_path):
    """The migrated test database copied to a file that a server process can open."""
    path = tmp_path / "served.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the served copy is an SQLite file")
@pytest.mark.parametrize("server", serve.SERVERS)
def test_web_server_answers_and_leaves_no_process_when_stopped(server, database_file):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database_file}", "PLAIN_HTTP": "1",
           "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    web = serve.start_web(server, "127.0.0.1", port, env=env, workers=2, threads=2)
    try:
        deadline = time.monotonic() + 60
        while not serve.answers("127.0.0.1", port) and time.monotonic() < deadline:
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as page:
            assert page.status == 200
        assert len(_group_members(web.pid)) >= 3  # the server and its two workers
        if server == "gunicorn" and len(os.sched_getaffinity(0)) > 1:
            workers = [pid for pid in _group_members(web.pid) if pid != web.pid]
            cores = [os.sched_getaffinity(pid) for pid in workers]
            assert all(len(core) == 1 for core in cores), cores  # config/gunicorn.py
            assert len(set().union(*cores)) == 2, cores
    finally:
        serve.stop_group(web, serve.WEB_GRACE)

    assert _group_members(web.pid) == []
    assert not serve.answers("127.0.0.1", port)
