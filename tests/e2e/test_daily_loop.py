"""The 6 am loop on a phone (390x844): the in-bed session leads before the first step and the
check-in follows it; a guided session run online shows no network alarm and shows each
exercise's how-to steps; a session left at its end screen without a rating counts as done and
can be rated later from Today; a mis-tapped check-in is changed from Today."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, check_accessibility, screenshot

pytestmark = pytest.mark.e2e

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"
SESSION_RUN_MS = 90_000
ALARMS = re.compile(r"could not be reached|Back online|not sent to footcoach")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, service_workers="block", has_touch=True)
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


def today_state(server: str, slot: str) -> str:
    with urllib.request.urlopen(server + "/api/v1/today", timeout=10) as response:
        sessions = json.load(response)["sessions"]
    return {s["slot"]: s["state"] for s in sessions}[slot]


def test_before_the_first_step_the_in_bed_session_leads(phone: Page, server: str) -> None:
    put_profile(server)
    phone.goto(server + "/today")
    sessions = phone.get_by_role("heading", name="Your sessions")
    checkin = phone.get_by_role("heading", name="After your first steps")
    expect(checkin).to_be_visible()
    first_session = phone.locator("li.session").first
    expect(first_session).to_contain_text("In bed, before your first step")
    assert sessions.bounding_box()["y"] < checkin.bounding_box()["y"]  # type: ignore[index]
    screenshot(phone, "loop-01-morning")
    check_accessibility(phone)


def test_a_mis_tapped_check_in_is_changed_from_today(phone: Page, server: str) -> None:
    put_profile(server)
    phone.goto(server + "/today")
    phone.locator("#checkin input[value='9']").check()
    phone.locator("#checkin").get_by_role("button", name="Save").click()
    expect(phone.locator("#checkin")).to_contain_text("9/10")
    phone.get_by_test_id("checkin-change").click()
    phone.locator("#checkin input[value='2']").check()
    phone.get_by_role("button", name="Save the change").click()
    expect(phone.locator("#checkin")).to_contain_text("2/10")
    expect(phone.locator("#checkin")).to_contain_text("Changed from 9/10")
    screenshot(phone, "loop-02-changed")
    check_accessibility(phone)
    phone.reload()
    expect(phone.locator("#checkin strong")).to_have_text("2/10")


def test_an_online_session_left_unrated_is_done_and_rated_later(phone: Page, server: str) -> None:
    put_profile(server)
    phone.goto(server + "/session/before_first_step")
    guide = phone.get_by_test_id("guide")
    expect(guide).to_have_attribute("data-state", "ready")
    # every text the network lines ever show, from now on
    phone.evaluate(
        """() => {
        window.__lines = [];
        const watch = (id) => {
          const node = document.getElementById(id);
          new MutationObserver(() => window.__lines.push(node.textContent))
            .observe(node, {childList: true, characterData: true, subtree: true});
        };
        watch("sync-status"); watch("save-status");
        }"""
    )
    phone.get_by_test_id("start").click()
    howto = phone.locator("#step-howto-list li")
    expect(howto.first).to_be_visible()
    assert howto.count() >= 2
    screenshot(phone, "loop-03-session-howto")
    expect(guide).to_have_attribute("data-state", "ended", timeout=SESSION_RUN_MS)
    lines = phone.evaluate("window.__lines")
    assert not [line for line in lines if ALARMS.search(line)], lines
    expect(phone.get_by_test_id("sync-status")).to_be_hidden()

    # closed at the end screen, no rating: done everywhere
    phone.get_by_test_id("end-later").click()
    expect(phone).to_have_url(server + "/today")
    assert today_state(server, "before_first_step") == "done"
    in_bed = phone.locator("li.session").first
    expect(in_bed.locator(".badge")).to_have_text("Done")
    rate = phone.get_by_test_id("rate-before_first_step")
    expect(rate).to_be_visible()
    screenshot(phone, "loop-04-done-unrated")
    rate.click()
    expect(phone.get_by_test_id("rate-form")).to_be_visible()
    phone.get_by_test_id("done-pain_during-1").check()
    phone.get_by_test_id("done-effort-4").check()
    phone.get_by_test_id("rate-submit").click()
    expect(phone).to_have_url(server + "/today")
    expect(phone.get_by_test_id("rate-before_first_step")).to_have_count(0)
    check_accessibility(phone)
