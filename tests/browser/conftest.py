"""A real browser (Debian's Chromium, driven by Playwright's sync API) against a live server.

Pages are served by pytest-django's ``live_server`` in a thread; the test checks the database
directly, so every browser test uses a transactional database (the server's thread cannot see
a test transaction that was never committed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; Django would then refuse the
# test's own ORM calls as coming "from an async context". The calls are plain blocking calls
# made between browser steps, never concurrent with the loop, so allowing them is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Short enough that a broken page fails fast; long enough for a cold first request.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI") or os.environ.get("POSTDESK_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


_DB_BLOCKER = pytest.StashKey()


def _install_defaults() -> None:
    from postdesk.cases import defaults

    defaults.install()


@pytest.fixture
def site(live_server, transactional_db, django_db_blocker, request):
    """The live server's base URL, with the departments and topics the migrations install.

    The flush after each transactional test empties every table, those defaults included.
    Django's serialized rollback cannot bring them back here: once Playwright has started, an
    asyncio loop counts as running in the main thread, so Django hands out a different
    connection object (asgiref's thread-critical Local switches to context storage) than the
    one that saved the serialized contents. So the defaults are installed (idempotently)
    before each test and again after its flush, for whichever test runs next.
    """
    request.config.stash[_DB_BLOCKER] = django_db_blocker
    _install_defaults()
    return live_server.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    blocker = item.config.stash.get(_DB_BLOCKER, None)
    # With no next test the test database is already destroyed: never write after that.
    if nextitem is not None and blocker is not None and "site" in item.fixturenames:
        with blocker.unblock():
            _install_defaults()
    return result


@pytest.fixture
def page(browser, site):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
