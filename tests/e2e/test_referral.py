"""A newcomer who answers yes to a red-flag question gets the referral page: how soon, why, and
who to see; no exercise anywhere on it, and nothing stored."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility, screenshot
from tests.e2e.test_person_journey import fill_intake

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

CASES = {
    "numbness_tingling": (
        "soon",
        "Please see a clinician in the next week or two",
        "How soon: in the next week or two.",
        "Numbness, tingling or burning suggest an irritated or trapped nerve",
    ),
    "fever": (
        "urgent",
        "Please see a doctor today",
        "How soon: today.",
        "You have a fever with the foot pain.",
    ),
}


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


# one flag at each size (the same template): the phone for a nerve sign, the desktop for an
# urgent one; both sizes for both would double the time for little more
@pytest.mark.parametrize(
    ("page", "flag"),
    [("phone", "numbness_tingling"), ("desktop", "fever")],
    indirect=["page"],
)
def test_a_red_flag_answer_gives_a_referral_without_exercises_and_stores_nothing(
    page: Page, server: str, flag: str
) -> None:
    urgency, heading, how_soon, reason = CASES[flag]
    page.goto(server + "/")
    expect(page).to_have_url(server + "/welcome")
    fill_intake(page, yes=(flag,))
    page.get_by_role("button", name="Save my answers").click()

    # the referral page, in place of a program (the form posts to /welcome and is answered there)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".urgency")).to_have_text(how_soon)
    reasons = page.locator("ul.reasons > li")
    expect(reasons).to_have_count(1)
    expect(reasons.first).to_contain_text(reason)
    expect(page.get_by_role("heading", name="Who to see")).to_be_visible()
    expect(page.get_by_role("button", name="Change my answers")).to_be_visible()

    # no exercise anywhere on the page, not even in its markup
    html = page.content().lower()
    exercises = get_json(server + "/api/v1/exercises")
    assert isinstance(exercises, list) and len(exercises) > 10
    named = [e["name"] for e in exercises if e["name"].lower() in html or e["id"].lower() in html]
    assert named == [], f"the {urgency} referral page names exercises: {named}"
    assert page.locator("a[href^='/library/'], a[href^='/session/']").count() == 0

    check_accessibility(page)
    screenshot(page, f"referral-{flag}")

    # nothing stored: no profile, and / still leads to the welcome form
    assert status_of(server + "/api/v1/profile") == 404
    page.goto(server + "/")
    expect(page).to_have_url(server + "/welcome")
    expect(page.get_by_text("You already have a program")).to_have_count(0)
    expect(page.get_by_role("button", name="Save my answers")).to_be_visible()
