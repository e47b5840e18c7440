"""A web process starts warm: the URLconf imported, the reverse tables built, the project's
templates compiled — before its first request, not during it; and what it then holds is kept out
of the garbage collector's full passes."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import gc, json, sys
    from django.conf import settings
    before = "config.api" in sys.modules
    import config.wsgi  # what gunicorn and granian load
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    resolver = get_resolver()
    loader = engines["django"].engine.template_loaders[0]
    print(json.dumps({
        "api_before": before,
        "api_after": "config.api" in sys.modules,
        "populated": resolver._populated,
        "namespaces_populated": all(child._populated
                                    for _p, child in resolver.namespace_dict.values()),
        "templates": sorted(loader.get_template_cache),
        "connected": any(c.connection is not None for c in connections.all()),
        "frozen": gc.get_freeze_count(),
        "tracked": len(gc.get_objects()),
    }))
""")


def test_the_wsgi_module_warms_the_process_without_touching_the_database(tmp_path):
    import json
    import os

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0",
               SECRET_KEY="warm-up-test-" + "x" * 40, ALLOWED_HOSTS="localhost",
               DATABASE_URL=f"sqlite:///{tmp_path / 'never.sqlite3'}")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    state = json.loads(out.strip().splitlines()[-1])
    assert state["api_before"] is False  # so the import below is what brought it in
    assert state["api_after"] is True
    assert state["populated"] and state["namespaces_populated"]
    for name in ("base.html", "surveys/survey.html", "events/event_detail.html"):
        assert name in state["templates"]
    # What it holds for its life is out of the collector's way: most of what it tracks.
    assert state["frozen"] > 5 * state["tracked"], state
    # Forked workers must not share a connection opened before the fork.
    assert state["connected"] is False
    assert not (tmp_path / "never.sqlite3").exists()
