"""Browser tests: footcoach served on a free loopback port, driven by Playwright in Debian's
Chromium (/usr/bin/chromium; never a downloaded browser). Screenshots go to tests/e2e/screenshots/,
which git ignores. axe-core (vendored from the npm registry) checks every page at WCAG 2.2 AA.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import footcoach_server

CHROMIUM = os.environ.get("FOOTCOACH_CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).parent
AXE = HERE / "vendor" / "axe.min.js"
SHOTS = HERE / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def footcoach_speed() -> str:
    """FOOTCOACH_SPEED for the server: guided-session timers run this many times faster, so a
    whole session takes seconds. A test module may override this fixture with its own value."""
    return "100"


@pytest.fixture
def server(tmp_path, footcoach_speed) -> Iterator[str]:
    """A real footcoach server on its own fresh SQLite database; yields its base URL."""
    env = dict(os.environ)
    env["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'e2e.db'}"
    env["FOOTCOACH_SPEED"] = footcoach_speed
    env.pop("FOOTCOACH_PROFILE", None)
    with footcoach_server([], env) as base:
        yield base


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    size = PHONE if request.param == "phone" else DESKTOP
    context = browser.new_context(viewport=size, service_workers="block")
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()


def check_accessibility(page) -> None:
    """axe-core on the current page: no WCAG 2.2 AA violation. It is evaluated through the
    browser's debugging protocol: the pages' Content-Security-Policy refuses inline scripts,
    which is what add_script_tag would add."""
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        AXE_TAGS,
    )
    assert violations == [], f"{page.url}: {violations}"


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.size_name}.png"), full_page=True)
