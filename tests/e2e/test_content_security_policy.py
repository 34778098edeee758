"""The pages under their Content-Security-Policy (web/headers.py): the browser reports no
violation on any main page, htmx and the pages' scripts work (a library filter swaps its
results in), and the service worker still installs and takes control."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.test_accessibility_pages import PAGES, put_profile

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""
"""Runs before any script of the page (an init script is not subject to the policy)."""


def _open(browser: Browser, service_workers: str):
    context = browser.new_context(viewport=DESKTOP, service_workers=service_workers)
    context.add_init_script(WATCH)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page, problems


def test_no_page_breaks_its_content_security_policy(browser: Browser, server: str) -> None:
    put_profile(server)
    context, page, console = _open(browser, service_workers="block")
    try:
        found: dict[str, list[str]] = {}
        for path in ["/welcome", *PAGES]:
            answer = page.goto(server + path)
            assert answer is not None
            assert "script-src 'self'" in answer.headers["content-security-policy"]
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__violations")
            if violations:
                found[path] = violations
        assert found == {}
        assert console == []
    finally:
        context.close()


def test_htmx_swaps_under_the_policy(browser: Browser, server: str) -> None:
    put_profile(server)
    context, page, console = _open(browser, service_workers="block")
    try:
        page.goto(server + "/library")
        every = page.locator("#library-results li").count()
        with page.expect_response(lambda r: "/library?" in r.url and r.status == 200):
            page.locator("#filter-category").select_option(index=1)  # htmx asks on change
        page.wait_for_load_state("networkidle")
        assert 0 < page.locator("#library-results li").count() < every
        assert "/library?category=" in page.url  # hx-push-url, done by htmx
        assert page.evaluate("window.__violations") == []
        assert console == []
    finally:
        context.close()


def test_the_service_worker_takes_control_under_the_policy(browser: Browser, server: str) -> None:
    put_profile(server)
    context, page, console = _open(browser, service_workers="allow")
    try:
        page.goto(server + "/today")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
        assert page.evaluate("window.__violations") == []
        assert console == []
    finally:
        context.close()
