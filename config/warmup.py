"""What a web process would otherwise do on its first requests, done when it starts.

Django imports the URLconf on the first request — here every view and API module, and
django-ninja builds its pydantic schemas then: about a second in which that request, and
every request queued behind it, waits. The cached template loader likewise compiles each
template on its first use. A server that starts processes (a restart, gunicorn's
--max-requests) would pass that second to whoever came first; `warm()` pays it at start-up,
before the process accepts a request, and with gunicorn's --preload once for all workers.
"""

import gc
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.urls import get_resolver


def _populate(resolver):
    """Import every URL module and build the reverse tables, namespaced ones included."""
    resolver.reverse_dict  # noqa: B018 — the property builds the tables
    for _prefix, child in resolver.namespace_dict.values():
        _populate(child)


def _own_templates():
    """Names of the project's templates (not third-party apps': the admin's are many)."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    base = Path(settings.BASE_DIR)
    roots += [Path(app.path) / "templates" for app in apps.get_app_configs()
              if Path(app.path).is_relative_to(base)]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt", ".xml"} and path.is_file():
                yield path.relative_to(root).as_posix()


def warm():
    _populate(get_resolver())
    engine = engines["django"]
    for name in _own_templates():
        engine.get_template(name)
    # What the process holds for its life (modules, schemas, compiled templates: some 250,000
    # objects) is kept out of the garbage collector's full passes, each of which would walk it
    # all again, tens of milliseconds in the middle of somebody's request. Collected first:
    # garbage frozen would never be freed.
    gc.collect()
    gc.freeze()
