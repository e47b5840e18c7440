"""Browser tests: Playwright drives Debian's Chromium against a live server, phone-sized.

Never downloads a browser: Chromium is taken from `CHROMIUM` or the PATH, and the whole folder is
skipped (with the reason in the summary) when it is missing. Each test may call `shot(page, name)`
to keep a screenshot of a step in var/screenshots/ for a reviewer, and `assert_accessible(page)`
to run axe-core (bundled with axe-playwright-python, offline) on the page.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from the
# test body as "async unsafe" although nothing here is concurrent with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Without these Chromium tries Google's services at start and on a closed network stalls.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Chromium не найден (apt-get install chromium): "
                                   "браузерные тесты пропущены")
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "ru-RU",
            "timezone_id": "Asia/Vladivostok", "is_mobile": True, "has_touch": True}


@pytest.fixture
def context(context):
    """pytest-playwright's phone context, failing in 10 s instead of 30 when a step hangs."""
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def desktop(browser, browser_context_args):
    """A desktop-sized context for the cases a curator does at a laptop."""
    context = browser.new_context(**{**browser_context_args, "viewport": DESKTOP,
                                     "is_mobile": False, "has_touch": False})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def no_js(browser, browser_context_args):
    """A phone context with JavaScript switched off: every form must still work."""
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "step") saves var/screenshots/<test>/<nn>-<step>.png."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    counter = iter(range(1, 1000))

    def take(page, name):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)

    return take


@pytest.fixture
def assert_accessible():
    """Fails on serious or critical axe-core violations, naming them and their elements."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        bad = [v for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in bad)
        assert not bad, f"Нарушения доступности на {page.url}:\n{report}"

    return check
