"""The guided session survives a reload and a dropped connection: a reload carries on at the
first item not saved, and items finished offline reach footcoach exactly once when it is back."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.e2e.conftest import PHONE, screenshot

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"
RUN_MS = 60_000
"""Waiting for a timed item: a few seconds at FOOTCOACH_SPEED=40, with room for a busy machine."""
ITEM_POST = re.compile(r"/api/v1/sessions/(\d+)/items$")


@pytest.fixture
def footcoach_speed() -> str:
    """Slower than the default 100: the daytime session's two items take about 6 and 5 s, time
    enough to reload or go offline in the middle of one."""
    return "40"


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


def is_item_post(response: Response) -> bool:
    return response.request.method == "POST" and ITEM_POST.search(response.url) is not None


def is_start_post(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/api/v1/sessions")


def record_item_posts(page: Page) -> list[tuple[int, int]]:
    """(position, status) of every item post footcoach answered, in order."""
    answered: list[tuple[int, int]] = []

    def note(response: Response) -> None:
        if is_item_post(response):
            body = json.loads(response.request.post_data or "{}")
            answered.append((body["position"], response.status))

    page.on("response", note)
    return answered


def positions(state: dict[str, Any]) -> list[int]:
    return [item["position"] for item in state["items"]]


def test_a_reload_mid_session_carries_on_at_the_next_item(phone: Page, server: str) -> None:
    page = phone
    put_profile(server)
    page.goto(server + "/session/daytime")
    guide = page.get_by_test_id("guide")
    expect(guide).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("start")).to_have_text("Start")

    with page.expect_response(is_start_post) as started:
        page.get_by_test_id("start").click()
    first = started.value.json()
    assert [i["position"] for i in first["items"]] == [0, 1]
    assert {s["item"] for s in first["script"]} == {0, 1}
    session = first["id"]

    # the first item runs to its end and is saved; reload while the second one runs
    with page.expect_response(is_item_post, timeout=RUN_MS) as saved:
        expect(guide).to_have_attribute("data-state", "running")
    assert saved.value.status == 201
    answered = record_item_posts(page)
    page.reload()  # at once: the second item has about 5 s to run
    before = get_json(f"{server}/api/v1/sessions/{session}")
    assert before["done"] == [0] and not before["finished"], "reloaded too late"
    expect(guide).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("start")).to_have_text("Carry on")
    expect(page.locator("#guide-start")).to_contain_text("1 of 2 exercises saved")
    screenshot(page, "resilience-carry-on")

    with page.expect_response(is_item_post, timeout=RUN_MS) as last:
        with page.expect_response(is_start_post) as resumed:
            page.get_by_test_id("start").click()
        again = resumed.value.json()
        assert again["id"] == session and again["resumed"] is True and again["done"] == [0]
        assert {s["item"] for s in again["script"]} == {1}, "a saved item is in the script again"
        expect(page.get_by_test_id("step-where")).to_have_text("Exercise 2 of 2")
        expect(page.get_by_test_id("step-name")).to_have_text(first["items"][1]["name"])
        expect(guide).to_have_attribute("data-state", "ended", timeout=RUN_MS)
    assert last.value.status == 201
    after = get_json(f"{server}/api/v1/sessions/{session}")
    assert after["done"] == [0, 1]
    assert positions(after) == [0, 1]
    assert after["items"][0] == before["items"][0], "the item saved before the reload changed"
    assert answered == [(1, 201)], "after the reload only the second item is posted, once"


def test_items_finished_offline_arrive_once_when_back_online(phone: Page, server: str) -> None:
    page = phone
    put_profile(server)
    answered = record_item_posts(page)
    page.goto(server + "/session/daytime")
    guide = page.get_by_test_id("guide")
    with page.expect_response(is_start_post) as started:
        page.get_by_test_id("start").click()
    session = started.value.json()["id"]
    expect(guide).to_have_attribute("data-state", "running")
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 1 of 2")

    # offline in the middle of the first item; it finishes, and waits on the device
    page.context.set_offline(True)
    status = page.get_by_test_id("save-status")
    expect(status).to_contain_text("1 exercise not sent to footcoach yet", timeout=RUN_MS)
    page.get_by_test_id("pause").click()  # hold the second item while the network is away
    expect(guide).to_have_attribute("data-state", "paused")
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 2 of 2")
    screenshot(page, "resilience-offline")
    assert get_json(f"{server}/api/v1/sessions/{session}")["done"] == []
    assert answered == []

    # back online: the waiting item is sent (by the page's online handler: the timer is paused)
    page.context.set_offline(False)
    expect(status).to_have_text("Every finished exercise is saved.")
    assert get_json(f"{server}/api/v1/sessions/{session}")["done"] == [0]

    with page.expect_response(is_item_post, timeout=RUN_MS) as last:
        page.get_by_test_id("pause").click()  # resume
        expect(guide).to_have_attribute("data-state", "ended", timeout=RUN_MS)
    assert last.value.status == 201
    state = get_json(f"{server}/api/v1/sessions/{session}")
    assert positions(state) == [0, 1]
    assert answered == [(0, 201), (1, 201)], "each item reached footcoach exactly once"
    assert page.evaluate("localStorage.getItem('footcoach.pending')") == "[]"
    backup = get_json(server + "/api/v1/export")
    assert [(s["slot"], positions(s)) for s in backup["sessions"]] == [("daytime", [0, 1])]
