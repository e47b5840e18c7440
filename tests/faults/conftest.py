"""Fault scenarios (`make faults`): each counts letters lost and doubled, registrations
overbooked, and the run ends with a table of verdicts."""

import pytest

from tests.faults import postgres

VERDICTS = []


def pytest_configure(config):
    config.addinivalue_line("markers", "slow_send(seconds): the test SMTP backend's pause")


@pytest.fixture
def verdict(request):
    """verdict(lost=…, doubled=…, overbooked=…, **figures): recorded for the final table."""

    def record(**counts):
        VERDICTS.append((request.node.name, counts))

    return record


def pytest_terminal_summary(terminalreporter):
    if not VERDICTS:
        return
    terminalreporter.section("fault scenarios: verdicts")
    for name, counts in VERDICTS:
        bad = any(counts.get(key, 0) for key in ("lost", "doubled", "overbooked"))
        figures = ", ".join(f"{key} {value}" for key, value in counts.items())
        terminalreporter.write_line(f"{'FAIL' if bad else 'ok  '} {name}: {figures}")


@pytest.fixture
def private_postgres():
    """A PostgreSQL server of the test's own (initdb in /tmp, its own port): (URL, pg_ctl)."""
    if not postgres.available():
        pytest.skip("needs PostgreSQL's binaries and root to run a private server")
    with postgres.private_server() as server:
        yield server
