"""Real-browser harness: headless Debian Chromium through pytest-playwright, against the live test server.

A journey is a short test taking the `journey` (or `phone_journey`) fixture:

    def test_visitor_reads_the_job_board(journey):
        journey.open("/fr/")
        journey.page.get_by_role("link", name="Offres d'emploi").click()
        journey.step("job board")
        expect(journey.page.get_by_role("heading", level=1)).to_contain_text("Offres")

A failing test leaves a screenshot of the moment of failure in test-results/browser/<test>/; with
BROWSER_STEP_SCREENSHOTS=1, each `step()` adds one, kept too when the test fails. The page sweeps
(accessibility, CSP) open dozens of pages with `open(path, screenshot=False)`: their failure message
names the page at fault.
`journey.login(user)` opens a staff session.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

# live_server runs the app in a thread while the test, inside Playwright's event loop, uses the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BROWSER_DIR.parents[1] / "test-results" / "browser"
# Debian's old headless shell (package chromium-headless-shell): the same Blink and V8 as `chromium --headless`
# without the desktop browser around them, and the build Playwright itself runs for headless Chromium. On the
# same 23 browser tests it took 55 s of CPU against 103 s. The full browser stands in where only it is installed.
CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
# Waits sized for a loaded 2-core machine (a page that builds offers and courses may take seconds there);
# a passing journey never waits them out.
expect.set_options(timeout=15_000)

# A full-page screenshot per step costs about 0.2 s (94 steps: 17 s of a 94 s run), so steps are shot only
# on demand; the moment of failure is shot always.
STEP_SCREENSHOTS = os.environ.get("BROWSER_STEP_SCREENSHOTS") == "1"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Without Chromium the browser tests skip locally; CI sets REQUIRE_BROWSER=1 to make that a failure.
    if item.get_closest_marker("browser") and not CHROMIUM:
        if REQUIRE_BROWSER:
            pytest.fail("This test needs Chromium (Debian package `chromium-headless-shell`) and REQUIRE_BROWSER=1 "
                        "is set.")
        pytest.skip("needs Chromium (apt-get install chromium-headless-shell)")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's build, never a downloaded browser.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then opens the phone menu without a height transition, so a click on a
    # menu button cannot land while it is still sliding open (seen on a loaded machine).
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris", "reduced_motion": "reduce"}


class Journey:
    """A person's visit: open pages, log in, and keep a screenshot of every step."""

    def __init__(self, page, base_url: str, folder: Path):
        self.page = page
        self.base_url = base_url
        self.folder = folder
        self.count = 0
        page.set_default_timeout(20_000)

    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, path: str, label: str | None = None, screenshot: bool = True):
        self.page.goto(self.url(path))
        if screenshot:
            self.step(label or path)
        return self.page

    def step(self, label: str) -> None:
        self.count += 1
        if not STEP_SCREENSHOTS:
            return
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "step"
        # One image pixel per CSS pixel: a phone's device scale factor of 2 would make four times the
        # pixels to encode, and the screenshots only serve to read a failure.
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True, scale="css")

    def login(self, user) -> None:
        """Give the browser a logged-in staff session for `user` (the admin login form has its own test)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])


def _journey(request, page, live_server):
    folder = RESULTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])[:120]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    journey = Journey(page, live_server.url, folder)
    yield journey
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # The page may be gone; the step screenshots remain.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(folder / "failure.png"), full_page=True, scale="css")
    else:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def journey(request, page, live_server):
    """A desktop-sized visit against the live server (French browser)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    yield from _journey(request, page, live_server)


@pytest.fixture
def phone_page(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, **PHONE})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_journey(request, phone_page, live_server):
    """The same on a phone-sized touch screen."""
    yield from _journey(request, phone_page, live_server)
