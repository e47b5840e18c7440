"""scripts/serve.py (`make run`): links lead to the address the server really listens on."""

import importlib.util
from pathlib import Path

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
