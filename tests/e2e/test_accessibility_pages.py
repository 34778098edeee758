"""axe-core (WCAG 2.2 AA) on every page at phone and desktop sizes, for a person with a profile;
and the guided timer tells a screen reader each step through its polite live region."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.e2e.conftest import PHONE, check_accessibility, screenshot

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"
PAGES = {
    "/today": 200,
    "/session/daytime": 200,
    "/diary": 200,
    "/questionnaires/ffi": 200,
    "/questionnaires/faam": 200,
    "/progress": 200,
    "/program": 200,
    "/library": 200,
    "/library/heel-raise": 200,
    "/settings": 200,
    "/welcome": 200,
    "/library/nope": 404,
}
NOT_IN_THE_JOURNEY = {
    "/session/daytime",
    "/questionnaires/ffi",
    "/questionnaires/faam",
    "/library/heel-raise",
    "/library/nope",
}
SESSION_RUN_MS = 90_000


def put_profile(server: str) -> None:
    request = urllib.request.Request(
        server + "/api/v1/profile",
        data=INTAKE.read_bytes(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def test_every_page_passes_axe(page: Page, server: str) -> None:
    put_profile(server)
    failures = []
    for path, status in PAGES.items():
        response = page.goto(server + path)
        assert response is not None and response.status == status, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        try:
            check_accessibility(page)
        except AssertionError as failure:  # every page is checked before the test fails
            failures.append(str(failure))
        if path in NOT_IN_THE_JOURNEY:  # test_person_journey photographs the others
            screenshot(page, "a11y-" + path.strip("/").replace("/", "-"))
    assert failures == []


def test_the_timer_announces_each_step_politely(browser: Browser, server: str) -> None:
    put_profile(server)
    context = browser.new_context(viewport=PHONE, service_workers="block")
    try:
        page = context.new_page()
        page.goto(server + "/session/daytime")
        live = page.get_by_test_id("live-polite")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live).to_have_attribute("aria-atomic", "true")
        expect(page.get_by_test_id("guide")).to_have_attribute("data-state", "ready")
        # every text the live regions are given, in order (a screen reader reads each change)
        page.evaluate(
            """() => {
              window.__said = {polite: [], assertive: []};
              for (const kind of ["polite", "assertive"]) {
                const node = document.getElementById("live-" + kind);
                new MutationObserver((records) => {
                  for (const r of records) for (const n of r.addedNodes)
                    window.__said[kind].push(n.textContent);
                }).observe(node, {childList: true, characterData: true, subtree: true});
              }
            }"""
        )

        def is_start(response: Response) -> bool:
            return response.request.method == "POST" and response.url.endswith("/sessions")

        with page.expect_response(is_start) as started:
            page.get_by_test_id("start").click()
        script: list[dict[str, Any]] = started.value.json()["script"]
        expect(page.get_by_test_id("guide")).to_have_attribute(
            "data-state", "ended", timeout=SESSION_RUN_MS
        )
        said = page.evaluate("window.__said")
    finally:
        context.close()

    def plain(texts: list[str]) -> list[str]:
        return [t.replace("\u00a0", "").strip() for t in texts]

    polite = [s["text"] for s in script if s["kind"] != "switch_side"]
    urgent = [s["text"] for s in script if s["kind"] == "switch_side"]
    assert len(set(polite)) > 3, json.dumps(polite)
    assert plain(said["polite"]) == polite, "the polite region does not follow the steps"
    assert plain(said["assertive"]) == [*urgent, "That's the session done. Well done."]
    assert re.match(r"Get ready", said["polite"][0])
