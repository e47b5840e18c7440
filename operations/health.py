"""What /healthz reports: the database, the broker, the worker's heartbeat, the outbox.

Counts and ages only: nothing in the answer names a person, a token or an address.
"""

import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

# A due letter older than this means delivery is stuck (the worker sweeps every minute or so).
OUTBOX_MAX_AGE_SECONDS = 15 * 60


def _timed(check):
    started = time.perf_counter()
    try:
        result = check()
        result.setdefault("ok", True)
    except Exception as exc:  # a health check reports every failure, it never raises
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def broker():
    from django_q.brokers import get_broker

    current = get_broker()
    alive = current.ping()
    return {"ok": bool(alive), "kind": "redis" if "redis" in settings.Q_CLUSTER else "orm",
            "queued": current.queue_size()}


def worker():
    """Live django-q2 clusters: each guard rewrites its stat every cycle with a 3-second TTL."""
    from django_q.status import Stat

    clusters = Stat.get_all()
    return {"ok": bool(clusters), "clusters": len(clusters),
            "workers": sum(len(stat.workers or []) for stat in clusters)}


def outbox(now=None):
    """Letters due and not sent: how many, and how long the oldest has waited."""
    from notifications.models import Notification

    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.PENDING, scheduled_at__lte=now)
    oldest = due.order_by("scheduled_at").values_list("scheduled_at", flat=True).first()
    age = round((now - oldest).total_seconds()) if oldest else 0
    failed = Notification.objects.filter(status=Notification.Status.FAILED).count()
    return {"ok": age <= OUTBOX_MAX_AGE_SECONDS, "due": due.count(),
            "oldest_due_age_seconds": age, "max_age_seconds": OUTBOX_MAX_AGE_SECONDS,
            "failed": failed}


CHECKS = {"database": database, "broker": broker, "worker": worker, "outbox": outbox}


def report():
    """{"status": "ok"|"fail", "checks": {...}}; the outbox is not read without a database."""
    checks = {"database": _timed(database)}
    for name, check in CHECKS.items():
        if name == "database":
            continue
        if name == "outbox" and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "error": "database unavailable"}
            continue
        checks[name] = _timed(check)
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "fail", "checks": checks}
