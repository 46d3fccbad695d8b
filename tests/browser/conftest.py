"""Browser harness: Playwright driving the system's Chromium against a live test server,
with axe-core checking every page a journey visits (WCAG 2.0/2.1/2.2 A and AA).

Browsers cannot be downloaded here, so Chromium is the Debian package, launched by path
(CHROMIUM_PATH, or `chromium` on PATH). Without it these tests skip locally and fail in CI.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (creating data, reading results) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not path or not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium).")
        pytest.skip("Chromium is not installed.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Visitor:
    """One person in one browser context: signs in, visits pages, checks each with axe."""

    def __init__(self, page, base_url: str, name: str, *, javascript: bool = True) -> None:
        self.page = page
        self.javascript = javascript
        self.base_url = base_url
        self.name = name
        self.checked: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))
        self.check_accessibility()

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto(self.url("/accounts/login/"))
        self.check_accessibility()
        self.page.get_by_label(re.compile(r"^\s*(Email|Courriel)")).fill(email)
        self.page.get_by_label(re.compile(r"^\s*(Password|Mot de passe)")).fill(password)
        self.page.get_by_role(
            "button", name=re.compile("^(Sign In|Connexion|Se connecter)", re.I)
        ).click()
        self.page.wait_for_load_state()
        self.check_accessibility()

    def check_accessibility(self) -> None:
        """Zero WCAG A/AA violations, or a screenshot and a readable failure."""
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        self.checked.append(self.page.url)
        if self.javascript:
            results = Axe().run(self.page, options=options)
        else:
            # axe is JavaScript: with scripts off, check the same page (same session) in a
            # scripted twin context. Pages here are server-rendered, so the HTML is the same.
            twin_context = self.page.context.browser.new_context(
                storage_state=self.page.context.storage_state(), **CONTEXT_OPTIONS
            )
            twin = twin_context.new_page()
            twin.goto(self.page.url)
            results = Axe().run(twin, options=options)
            twin_context.close()
        if results.violations_count:
            ARTIFACTS.mkdir(exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{self.page.url}".lower())[-120:]
            self.page.screenshot(path=str(ARTIFACTS / f"axe-{slug}.png"), full_page=True)
            pytest.fail(f"axe: {self.page.url}\n{results.generate_report()}")


# Reduced motion turns off Bootstrap's colour transitions: axe otherwise samples a button
# half-way between its hover colours (the pointer rests where the test clicked) and
# reports a contrast no person would see once the transition ends.
CONTEXT_OPTIONS = {"locale": "en-CA", "reduced_motion": "reduce"}


@pytest.fixture
def visitor(browser, live_server, request) -> Iterator[Visitor]:
    """A browser context with JavaScript on; parametrize ``javascript`` to turn it off."""
    javascript = getattr(request, "param", True)
    context = browser.new_context(java_script_enabled=javascript, **CONTEXT_OPTIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visitor(page, live_server.url, request.node.name, javascript=javascript)
    context.close()


@pytest.fixture
def phone_visitor(browser, live_server, request) -> Iterator[Visitor]:
    """320 CSS pixels wide: the narrowest phone WCAG reflow asks us to support."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, **CONTEXT_OPTIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visitor(page, live_server.url, request.node.name)
    context.close()
