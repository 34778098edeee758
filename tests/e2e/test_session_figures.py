"""The guided session shows the current exercise drawn, in step with its script: the end pose
while a hold is timed, the start pose at the relax between holds (a fast clock, Chromium)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import PHONE, check_accessibility, screenshot

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"
WATCH = """() => {
  window.figureSeen = [];
  const img = document.getElementById("step-figure");
  const note = () => window.figureSeen.push({
    pose: img.dataset.pose, src: img.getAttribute("src"),
    text: document.getElementById("step-text").textContent,
    loaded: img.complete && img.naturalWidth > 0 });
  new MutationObserver(note).observe(
    img, { attributes: true, attributeFilter: ["src", "data-pose"] });
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.size_name = "phone"  # type: ignore[attr-defined]
    yield page
    context.close()


def put_profile(server: str) -> None:
    request = urllib.request.Request(
        server + "/api/v1/profile",
        data=INTAKE.read_bytes(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def slot_with_holds(server: str) -> str:
    """A session of today's whose items include held repetitions."""
    today = get_json(server + "/api/v1/today")
    for session in today["sessions"]:
        for item in session["items"]:
            if item.get("hold_s") and item.get("reps", 1) > 1:
                return session["slot"]
    raise AssertionError(f"no session with held repetitions today: {today}")


def test_hold_and_relax_steps_show_different_poses(phone: Page, server: str) -> None:
    put_profile(server)
    slot = slot_with_holds(server)
    phone.goto(f"{server}/session/{slot}")
    check_accessibility(phone)
    phone.evaluate(WATCH)
    phone.get_by_test_id("start").click()
    phone.wait_for_function(
        "() => window.figureSeen.some(s => s.pose === 'end' && s.text.startsWith('Hold'))"
        " && window.figureSeen.some(s => s.pose === 'start' && s.text.startsWith('Relax'))",
        timeout=60_000,
    )
    seen = phone.evaluate("window.figureSeen")
    hold = next(s for s in seen if s["pose"] == "end" and s["text"].startswith("Hold"))
    relax = next(s for s in seen if s["pose"] == "start" and s["text"].startswith("Relax"))
    assert hold["src"].endswith("figure.svg?pose=end")
    assert relax["src"].endswith("figure.svg?pose=start")
    assert hold["src"].split("?")[0] == relax["src"].split("?")[0], "the same exercise"
    figure = phone.get_by_test_id("step-figure")
    expect(figure).to_be_visible()
    # the steps go on changing the drawing's pose (its src), so the one shown now may still be
    # loading: wait for it; a drawing the Content-Security-Policy blocks never gets a width
    try:
        phone.wait_for_function(
            "() => { const i = document.getElementById('step-figure');"
            " return i.complete && i.naturalWidth > 0; }",
            timeout=15_000,
        )
    except PlaywrightTimeoutError:
        pytest.fail("the drawing does not load under the page's Content-Security-Policy")
    assert "Drawing of" in (figure.get_attribute("alt") or "")
    screenshot(phone, "session-figure")
    check_accessibility(phone)


def test_the_exercise_card_and_library_show_their_drawings(phone: Page, server: str) -> None:
    phone.goto(f"{server}/library/heel-raise")
    figures = phone.locator("[data-testid=exercise-figure] img")
    expect(figures).to_have_count(2)
    for k in range(2):
        assert figures.nth(k).evaluate("i => i.complete && i.naturalWidth > 0")
    check_accessibility(phone)
    screenshot(phone, "exercise-figure")
    phone.goto(f"{server}/library")
    thumbs = phone.locator("img.figure-thumb")
    assert thumbs.count() >= 41
    check_accessibility(phone)


def test_reduced_motion_shows_the_two_poses_still(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(f"{server}/api/v1/exercises/heel-raise/figure.svg")
        assert page.evaluate("getComputedStyle(document.querySelector('.n')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('.q')).display") != "none"
    finally:
        context.close()
    context = browser.new_context(viewport=PHONE, reduced_motion="no-preference")
    page = context.new_page()
    try:
        page.goto(f"{server}/api/v1/exercises/heel-raise/figure.svg")
        assert page.evaluate("getComputedStyle(document.querySelector('.q')).display") == "none"
        names = page.evaluate("getComputedStyle(document.querySelector('.m0')).animationName")
        assert names == "k0"
    finally:
        context.close()
