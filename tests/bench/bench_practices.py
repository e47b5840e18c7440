"""Benchmark: the public bank page of a municipality with 2,000 published practices.

Target: ≤ 150 ms a page (first page, a search, a late page) and the same number of queries as
with a handful of practices (tests/practices/test_public.py asserts the count at two sizes).
Its data lives in one transaction that is rolled back, so other benchmarks see an empty database.
"""

import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tests.factories import (
    MentorProfileFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TopicFactory,
)
from tests.practices.builders import bulk_published

PRACTICES = 2000
SCHOOLS = 20
RUNS = 7
TARGET_MS = 150


def _seed():
    municipality = MunicipalityFactory(name="Бенчмарк банка практик")
    topics = [TopicFactory(name=f"Бенчмарк: тема {n}") for n in range(5)]
    per_school = PRACTICES // SCHOOLS
    for n in range(SCHOOLS):
        school = OrganisationFactory(municipality=municipality)
        author = MentorProfileFactory(person__municipality=municipality,
                                      person__organisation=school).person
        bulk_published(municipality, author, per_school, topic=topics[n % len(topics)],
                       level=("school", "municipal", "regional")[n % 3])
    return municipality


def _median_ms(client, url):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    return len(captured)


def _measure():
    municipality = _seed()
    base = f"/bank/{municipality.pk}/"
    pages = {"first page": base, "search «практика № 1»": f"{base}?q=практика+№+1",
             "filters (level, year)": f"{base}?level=municipal&year=2026",
             "page 50": f"{base}?page=50", "Atom feed": f"{base}feed.atom"}
    client = Client()
    # No `collectstatic` in a benchmark: static URLs without the manifest.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                           STORAGES=storages):
        client.get(base, secure=True)  # warm up templates and the connection
        return {name: (_median_ms(client, url), _queries(client, url))
                for name, url in pages.items()}


def run() -> list[tuple[str, str]]:
    """Rows of (metric, value) for the bench runner's table."""
    with transaction.atomic():
        result = _measure()
        transaction.set_rollback(True)
    rows = [("bank: published practices", str(PRACTICES))]
    for name, (ms, queries) in result.items():
        verdict = "в норме" if ms <= TARGET_MS else "МЕДЛЕННО"
        rows.append((f"bank: {name}, median of {RUNS} (ms, target ≤ {TARGET_MS})",
                     f"{ms:.1f} ({verdict})"))
        rows.append((f"bank: {name}, queries", str(queries)))
    return rows
