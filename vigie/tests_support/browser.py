"""Browser-test fixtures (Playwright + Debian chromium + axe-core).

The app is served by pytest-django's ``live_server`` (a thread of this process, on a free loopback
port). One Chromium runs for the whole session; each test gets a fresh context, so no cookie or
storage leaks from one test to the next.

Two project rules are enforced here rather than left to each test to remember:

* axe-core runs on every page a browser test visits: every document that finishes loading must be
  checked with ``axe_check`` (``visit`` does it for plain navigations) before the next one loads
  and before the test ends, otherwise the test fails;
* the browser console stays clean: any console error or uncaught page error fails the test, unless
  the test declared it expected with ``allow_console_error`` (e.g. the 400 of a refused code).
"""

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, Response, sync_playwright

# Playwright's sync API runs an asyncio event loop in the main thread; Django's ORM refuses to run
# where a loop is running unless told it is safe. It is here: the loop only drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
# Tests run as root in containers: no sandbox. The rest keeps Chromium off the network and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WCAG 2.1 level AA, the level the RGAA (the French public-sector accessibility standard) requires.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_PATH = Path(axe_playwright_python.__file__).parent / "axe.min.js"
_AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then(results => results.violations.map(v => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
})))"""
DEFAULT_TIMEOUT_MS = 10_000
_CALL_REPORT = pytest.StashKey["pytest.TestReport"]()


@functools.cache
def _axe_source() -> str:
    # Evaluated through the DevTools protocol, not added as a <script> tag: the app's
    # Content-Security-Policy (no inline script, no eval) stays untouched and is what axe sees.
    # The trailing expression keeps Playwright from serialising whatever the bundle evaluates to.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;true"


@dataclass
class _PageWatch:
    """What a test's page did: console errors, and documents loaded but not yet axe-checked."""

    console_errors: list[str] = field(default_factory=list)
    allowed_fragments: list[str] = field(default_factory=list)
    unchecked_url: str | None = None
    pages_left_unchecked: list[str] = field(default_factory=list)

    def on_load(self, url: str) -> None:
        if self.unchecked_url is not None:
            self.pages_left_unchecked.append(self.unchecked_url)
        self.unchecked_url = url

    def on_console_error(self, text: str, url: str) -> None:
        # Chromium asks every site for /favicon.ico on its own, whether or not a page links one;
        # that request is the browser's, not the app's, and Vigie serves no favicon.
        if urlsplit(url).path == "/favicon.ico":
            return
        self.console_errors.append(f"{text} ({url})" if url else text)

    def unexpected_console_errors(self) -> list[str]:
        return [
            error
            for error in self.console_errors
            if not any(fragment in error for fragment in self.allowed_fragments)
        ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def _page_watch() -> _PageWatch:
    return _PageWatch()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server,
    _page_watch: _PageWatch,
) -> Iterator[Page]:
    """A fresh French-speaking browser context on the live server; relative URLs work."""
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda message: (
            _page_watch.on_console_error(message.text, message.location.get("url") or "")
            if message.type == "error"
            else None
        ),
    )
    new_page.on("pageerror", lambda error: _page_watch.console_errors.append(f"{error}"))
    new_page.on("load", lambda loaded: _page_watch.on_load(loaded.url))
    yield new_page
    context.close()

    problems = []
    errors = _page_watch.unexpected_console_errors()
    if errors:
        problems.append("Browser console errors:\n" + "\n".join(f"  - {e}" for e in errors))
    call_report = request.node.stash.get(_CALL_REPORT, None)
    if call_report is None or call_report.passed:
        # A failed test stops mid-journey; only a complete journey must have checked every page.
        unchecked = list(_page_watch.pages_left_unchecked)
        if _page_watch.unchecked_url is not None:
            unchecked.append(_page_watch.unchecked_url)
        if unchecked:
            problems.append(
                "Pages visited without an axe-core check (call axe_check(page) after each "
                "navigation, or use visit()):\n" + "\n".join(f"  - {url}" for url in unchecked)
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def allow_console_error(_page_watch: _PageWatch) -> Callable[[str], None]:
    """allow_console_error("status of 400"): a console error containing this text is expected."""
    return _page_watch.allowed_fragments.append


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


@pytest.fixture
def axe_check(_page_watch: _PageWatch) -> Callable[[Page], None]:
    """axe_check(page): run axe-core (WCAG 2.1 A, AA) on the current page; fail on any finding."""

    def check(page: Page) -> None:
        # The load event has been dispatched (and recorded by _page_watch) once this returns.
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(_axe_source())
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        _page_watch.unchecked_url = None
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return check


@pytest.fixture
def visit(page: Page, axe_check: Callable[[Page], None]) -> Callable[..., Response]:
    """visit("/path/", status=200): navigate, check the HTTP status, run axe on the page."""

    def go(path: str, *, status: int = 200) -> Response:
        response = page.goto(path)
        assert response is not None, path
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        axe_check(page)
        return response

    return go


@pytest.fixture
def browser_sign_in(page: Page, visit, axe_check) -> Callable[[object], None]:
    """browser_sign_in(user): password then TOTP through the real forms; ends on the home page."""

    def sign_in(user) -> None:
        from django.urls import reverse

        from .auth import current_code
        from .factories import TEST_PASSWORD

        visit(reverse("accounts:login"))
        submit_password(page, email=user.email, password=TEST_PASSWORD)
        assert path_of(page) == reverse("accounts:mfa_verify"), page.url
        axe_check(page)
        page.fill("input[name=token]", current_code(user))
        submit_main_form(page)
        assert path_of(page) == reverse("core:home"), page.url
        axe_check(page)

    return sign_in


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def submit_main_form(page: Page) -> None:
    """Submit the page's main form (not the header's language form) and wait for the answer."""
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def submit_password(page: Page, *, email: str, password: str) -> None:
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    submit_main_form(page)
