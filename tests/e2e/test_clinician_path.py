"""The clinician's path in a real browser, at phone and desktop sizes, on a multi-user server:
the clinician makes an invite code; a person registers, redeems it, answers the intake and does
a guided session; the clinician sees it on the dashboard and changes a dose with a reason; the
person sees the change and its reason on their program page. axe-core checks every clinic page
(and the error and conflict states of the change form); each step is photographed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    check_accessibility,
    screenshot,
)
from tests.e2e.test_person_journey import SESSION_RUN_MS, fill_intake
from tests.support.servers import footcoach_server

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

CLINICIAN = "doc@clinic.example"
PERSON = "pat@home.example"
PASSWORD = "a long and quiet heel"
REASON = "Ready for one more set: the mornings are calmer."


@pytest.fixture
def clinic_server(tmp_path: Path) -> Iterator[str]:
    """footcoach serve --multi-user on its own SQLite file, with one clinician's account."""
    env = dict(os.environ)
    env["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'clinic.db'}"
    env["FOOTCOACH_SECRET_KEY"] = "e2e-secret-key-that-is-long-enough-0123456789abcdef"
    env["FOOTCOACH_SPEED"] = "100"
    env.pop("FOOTCOACH_PROFILE", None)
    env.pop("FOOTCOACH_MULTI_USER", None)
    create = ["users", "create", CLINICIAN, "--clinician", "--password-stdin"]
    subprocess.run(
        [sys.executable, "-m", "footcoach", *create],
        input=f"{PASSWORD}\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    with footcoach_server(["--multi-user"], env) as base:
        yield base


@pytest.fixture(params=["phone", "desktop"])
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def contexts(browser: Browser, size: str) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    """Two browsers of one size: the clinician's and the person's."""
    viewport = PHONE if size == "phone" else DESKTOP
    made = [browser.new_context(viewport=viewport, service_workers="block") for _ in range(2)]
    yield made[0], made[1]
    for context in made:
        context.close()


def open_page(context: BrowserContext, size: str) -> Page:
    page = context.new_page()
    page.size_name = size  # type: ignore[attr-defined]
    return page


def look(page: Page, name: str) -> None:
    check_accessibility(page)
    screenshot(page, f"clinic-{name}")


def log_in(page: Page, server: str, email: str) -> None:
    page.goto(server + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_invite_join_session_dose_change_and_the_person_sees_why(
    contexts: tuple[BrowserContext, BrowserContext], size: str, clinic_server: str
) -> None:
    server = clinic_server
    doc = open_page(contexts[0], size)
    pat = open_page(contexts[1], size)

    # the clinician logs in, lands on the dashboard, and makes an invite code
    log_in(doc, server, CLINICIAN)
    expect(doc).to_have_url(server + "/clinic")
    expect(doc.get_by_role("heading", level=1)).to_contain_text("Your people")
    expect(doc.get_by_text("No one is linked to you yet.")).to_be_visible()
    look(doc, "01-dashboard-empty")
    doc.get_by_role("button", name="Create an invite code").click()
    code = doc.get_by_test_id("invite-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}$"))
    invite = code.inner_text()
    expect(doc.get_by_role("button", name=re.compile(r"^Withdraw"))).to_have_count(1)
    look(doc, "02-invite-code")

    # the person registers, redeems the code, answers the intake
    pat.goto(server + "/register")
    pat.get_by_label("E-mail address").fill(PERSON)
    pat.get_by_label("Choose a password").fill(PASSWORD)
    pat.get_by_role("button", name="Make my account").click()
    expect(pat).to_have_url(server + "/welcome")
    pat.goto(server + "/settings/account")
    pat.get_by_label("Invite code from a clinician").fill(invite)
    pat.get_by_role("button", name="Link to this clinician").click()
    expect(pat.get_by_text(CLINICIAN).first).to_be_visible()
    pat.goto(server + "/welcome")
    fill_intake(pat)
    pat.get_by_role("button", name="Save my answers").click()
    expect(pat).to_have_url(server + "/today")

    # ... and does today's first guided session
    first = pat.locator("ol.sessions > li.session").first
    first.get_by_role("link", name=re.compile(r"^Start")).click()
    guide = pat.get_by_test_id("guide")
    expect(guide).to_have_attribute("data-state", "ready")
    pat.get_by_test_id("start").click()
    expect(guide).to_have_attribute("data-state", "ended", timeout=SESSION_RUN_MS)
    pat.get_by_test_id("end-pain_during-2").check()
    pat.get_by_test_id("end-effort-5").check()
    pat.get_by_test_id("end-submit").click()
    expect(guide).to_have_attribute("data-state", "finished")

    # the clinician sees them on the dashboard, with the session done
    doc.goto(server + "/clinic")
    row = doc.locator("table.people tbody tr", has_text=PERSON)
    expect(row).to_have_count(1)
    expect(row.locator('td[data-label="Sessions (14 days)"]')).to_have_text("1 of 1 (100%)")
    expect(row.locator('td[data-label="Last activity"]')).not_to_have_text("none")
    expect(doc.get_by_role("button", name=re.compile(r"^Withdraw"))).to_have_count(0)  # used
    look(doc, "03-dashboard")

    # ... opens their page and changes a dose; first without a reason
    row.get_by_role("link", name=PERSON).click()
    expect(doc.get_by_role("heading", level=1)).to_contain_text(PERSON)
    look(doc, "04-person")
    card = doc.locator("article.change-card").first
    form = card.locator("details", has_text="Change the dose")
    form.locator("summary").click()
    sets = form.get_by_label("Sets", exact=True)
    current = int(sets.get_attribute("placeholder") or "1")
    sets.fill(str(current + 1))
    form.get_by_role("button", name=re.compile(r"^Save the dose")).click()
    form = doc.locator("article.change-card").first.locator("details", has_text="Change the dose")
    expect(form).to_have_attribute("open", "")
    expect(form.locator(".field-error")).to_contain_text("Reason: text of 1 to 500 characters")
    expect(form.get_by_label("Sets", exact=True)).to_have_value(str(current + 1))  # kept
    look(doc, "05-person-invalid")
    form.get_by_label("Reason").fill(REASON)
    form.get_by_role("button", name=re.compile(r"^Save the dose")).click()
    expect(doc.get_by_role("status")).to_contain_text("Saved.")
    trail = doc.locator("ol.trail")
    expect(trail).to_contain_text(f"{current + 1} sets")
    expect(trail).to_contain_text(REASON)
    look(doc, "06-person-changed")

    # the person sees the change and its reason on their program page
    pat.goto(server + "/program")
    changes = pat.locator("section", has=pat.locator("#changes-title"))
    expect(changes).to_contain_text(REASON)
    expect(changes).to_contain_text(CLINICIAN)
    expect(changes).to_contain_text(f"{current + 1} sets")
    look(pat, "07-person-program")

    # the person adds a note while the clinician's page is open: the clinician's next save is
    # refused and shown the difference, with what they typed kept
    pat.locator("summary", has_text="Add a note to your program").click()
    pat.get_by_label("Note", exact=True).fill("Sore after a long walk.")
    pat.locator("#own-note-why").fill("So my clinician knows.")
    pat.get_by_role("button", name="Save the note").click()
    expect(pat.locator("ol.trail")).to_contain_text("Sore after a long walk.")
    note = doc.locator("section", has=doc.locator("#note-title"))
    note.get_by_label("Note", exact=True).fill("Keep walks short this week.")
    note.locator("#note-why").fill("Sore after walking.")
    note.get_by_role("button", name="Save the note").click()
    alert = doc.locator(".conflict-notice")
    expect(alert).to_contain_text("Someone changed this program since you opened it")
    expect(alert).to_contain_text("Sore after a long walk.")
    expect(doc.locator("#note-note")).to_have_value("Keep walks short this week.")
    look(doc, "08-person-conflict")
