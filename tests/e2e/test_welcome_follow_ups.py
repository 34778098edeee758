"""The welcome form's follow-up questions in a real browser: which place hurts most appears only
once two places are ticked and offers only those; the weeks since an injection only after a yes.
The answers reach the stored profile."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility, screenshot
from tests.e2e.test_person_journey import fill_intake

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_follow_up_questions_appear_only_when_they_apply(page: Page, server: str) -> None:
    page.goto(server + "/welcome")
    main_site = page.locator("#main_pain_site")
    weeks = page.get_by_label("How many weeks ago was it?")
    expect(main_site).to_be_hidden()
    expect(weeks).to_be_hidden()

    fill_intake(page)  # one place ticked: under the heel
    expect(main_site).to_be_hidden()
    page.locator("#pain_site-arch").check()
    expect(main_site).to_be_visible()
    expect(main_site.locator("label:visible")).to_have_text(["Under the heel", "Along the arch"])
    page.locator("#main_pain_site-plantar_heel").check()

    page.locator("#steroid_injection-yes").check()
    expect(weeks).to_be_visible()
    weeks.fill("3")
    page.locator("#pregnant-yes").check()
    page.locator("#steroid_injection-yes").blur()
    check_accessibility(page)
    screenshot(page, "welcome-follow-ups")

    page.get_by_role("button", name="Save my answers").click()
    expect(page).to_have_url(server + "/today")
    with urllib.request.urlopen(server + "/api/v1/profile", timeout=10) as response:
        intake = json.load(response)["intake"]
    assert intake["main_pain_site"] == "plantar_heel"
    assert intake["pregnant"] is True and intake["steroid_injection_weeks_ago"] == 3


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_missing_follow_up_answer_is_shown_inline(page: Page, server: str) -> None:
    page.goto(server + "/welcome")
    fill_intake(page)
    page.locator("#pain_site-arch").check()
    page.locator("#steroid_injection-yes").check()
    page.get_by_role("button", name="Save my answers").click()

    expect(page.locator(".error-summary")).to_contain_text("2 answers need a look")
    expect(page.locator("#main_pain_site-msg")).to_contain_text("hurts most")
    expect(page.locator("#steroid_injection_weeks_ago-msg")).to_contain_text("from 0 to 520")
    expect(page.locator("#main_pain_site")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "welcome-follow-up-errors")
