"""The settings page's calendar section in a real browser, at phone and desktop sizes: a link
is made and shown once, passes axe, serves the calendar to a client with no cookies, and stops."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.e2e

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"


def put_profile(server: str) -> None:
    request = urllib.request.Request(
        server + "/api/v1/profile",
        data=INTAKE.read_bytes(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def status_of(url: str) -> tuple[int, str]:
    """What a calendar app gets from the link: a plain request, no cookies."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as refused:
        return refused.code, ""


def test_a_link_is_made_shown_once_and_stopped(page: Page, server: str) -> None:
    put_profile(server)
    page.goto(server + "/settings")
    section = page.locator("section[aria-labelledby=calendar-title]")
    expect(section.get_by_role("heading", name="Reminders on your phone")).to_be_visible()
    section.get_by_role("button", name="Make a link").click()

    field = page.get_by_label("Your private calendar link")
    expect(field).to_be_visible()
    url = field.input_value()
    assert url.startswith(server + "/calendar/") and url.endswith(".ics")
    subscribe = page.get_by_role("link", name="Add to my calendar")
    assert subscribe.get_attribute("href") == "webcal://" + url.split("://", 1)[1]
    box = field.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    check_accessibility(page)
    screenshot(page, "settings-calendar-link")

    status, body = status_of(url)
    assert status == 200 and body.startswith("BEGIN:VCALENDAR")

    page.goto(server + "/settings")
    expect(page.get_by_label("Your private calendar link")).to_have_count(0)
    page.get_by_role("button", name="Stop the link").click()
    expect(page.get_by_text("The link is stopped.")).to_be_visible()
    check_accessibility(page)
    assert status_of(url)[0] == 404
