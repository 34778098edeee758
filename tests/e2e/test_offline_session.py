"""Offline, with the service worker on: a session started online goes on when the network goes,
its items and answers wait on the device, and reach footcoach exactly once when it is back;
a reload with no network is served from the worker's cache and carries on where it was."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route, expect

from tests.e2e.conftest import PHONE, screenshot

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)

INTAKE = Path(__file__).parents[2] / "docs" / "examples" / "intake.json"
RUN_MS = 60_000
"""Waiting for a timed item: a few seconds at FOOTCOACH_SPEED=40, with room for a busy machine."""
ITEM_POST = re.compile(r"/api/v1/sessions/(\d+)/items$")
FINISH_POST = re.compile(r"/api/v1/sessions/(\d+)/finish$")
OFFLINE = "Offline — saved on this device, will send when back online."
QUEUED = re.compile(r"^What you did and how it went are kept on this device until footcoach")


@pytest.fixture
def footcoach_speed() -> str:
    """The daytime session's two items take about 6 and 5 s: time to go offline in the first."""
    return "40"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone whose pages the service worker controls (the other browser tests block it)."""
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    yield context
    context.close()


@pytest.fixture
def phone(context: BrowserContext) -> Page:
    page = context.new_page()
    page.size_name = "phone"  # type: ignore[attr-defined]
    return page


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
    """From the test, not the browser: it reaches footcoach while the browser is offline."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def is_start_post(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/api/v1/sessions")


def record_posts(context: BrowserContext) -> list[tuple[str, int | None, int]]:
    """(kind, position, status) of every save footcoach answered, in order."""
    answered: list[tuple[str, int | None, int]] = []

    def note(response: Response) -> None:
        if response.request.method != "POST":
            return
        if ITEM_POST.search(response.url):
            body = json.loads(response.request.post_data or "{}")
            answered.append(("item", body["position"], response.status))
        elif FINISH_POST.search(response.url):
            answered.append(("finish", None, response.status))

    context.on("response", note)
    return answered


def open_session(page: Page, server: str) -> None:
    """The session page, once the service worker has taken it in for offline use."""
    page.goto(server + "/session/daytime")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    assert page.evaluate("caches.match('/session/daytime').then(Boolean)")


def pending(page: Page) -> list[dict[str, Any]]:
    return json.loads(page.evaluate("localStorage.getItem('footcoach.pending') || '[]'"))


def answer_end_questions(page: Page) -> None:
    expect(page.get_by_test_id("end-form")).to_be_visible()
    page.get_by_test_id("end-pain_during-2").check()
    page.get_by_test_id("end-effort-4").check()
    page.get_by_test_id("end-submit").click()


def positions(state: dict[str, Any]) -> list[int]:
    return [item["position"] for item in state["items"]]


def test_a_session_finished_offline_reaches_footcoach_once_when_back_online(
    phone: Page, context: BrowserContext, server: str
) -> None:
    page = phone
    put_profile(server)
    answered = record_posts(context)
    open_session(page, server)
    guide = page.get_by_test_id("guide")
    with page.expect_response(is_start_post) as started:
        page.get_by_test_id("start").click()
    first = started.value.json()
    session, planned = first["id"], len(first["items"])
    assert planned == 2
    expect(guide).to_have_attribute("data-state", "running")
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 1 of 2")

    # the network goes in the middle of the first item: the timers go on to the end
    context.set_offline(True)
    sync = page.get_by_test_id("sync-status")
    expect(sync).to_have_text(OFFLINE)
    expect(sync).to_have_attribute("role", "status")
    expect(page.get_by_test_id("save-status")).to_contain_text(
        "1 exercise not sent to footcoach yet", timeout=RUN_MS
    )
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 2 of 2")
    expect(guide).to_have_attribute("data-state", "ended", timeout=RUN_MS)
    answer_end_questions(page)

    # the answers wait on the device with the items; footcoach has none of it yet
    expect(guide).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("result-text")).to_have_text(QUEUED)
    expect(sync).to_have_text(OFFLINE)
    screenshot(page, "offline-queued")
    waiting = pending(page)
    assert [(e["kind"], e.get("position")) for e in waiting] == [
        ("item", 0),
        ("item", 1),
        ("finish", None),
    ]
    keys = [e["key"] for e in waiting]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"[0-9a-f-]{32,36}", k) for k in keys)
    assert [e["body"]["key"] for e in waiting[:2]] == keys[:2]
    state = get_json(f"{server}/api/v1/sessions/{session}")
    assert state["items"] == [] and not state["finished"]
    assert answered == []

    # back online: everything is sent, in order, each once, and the result is shown
    context.set_offline(False)
    expect(guide).to_have_attribute("data-state", "finished", timeout=RUN_MS)
    expect(page.get_by_test_id("result-text")).to_have_text(re.compile(r"^Saved\. "))
    expect(sync).to_have_text("Back online — everything saved on this device has been sent.")
    assert answered == [("item", 0, 201), ("item", 1, 201), ("finish", None, 200)]
    assert pending(page) == []
    state = get_json(f"{server}/api/v1/sessions/{session}")
    assert positions(state) == list(range(planned)) and state["planned"] == planned
    assert state["finished"] and (state["pain_during"], state["effort"]) == (2, 4)

    # a reload changes nothing: the session is done, and nothing more is sent
    page.reload()
    expect(page.get_by_test_id("done-notice")).to_be_visible()
    assert answered == [("item", 0, 201), ("item", 1, 201), ("finish", None, 200)]
    backup = get_json(server + "/api/v1/export")
    assert [(s["slot"], positions(s)) for s in backup["sessions"]] == [("daytime", [0, 1])]


def test_a_reload_with_no_network_carries_on_from_the_cached_page(
    phone: Page, context: BrowserContext, server: str
) -> None:
    page = phone
    put_profile(server)
    answered = record_posts(context)
    open_session(page, server)
    guide = page.get_by_test_id("guide")
    with page.expect_response(is_start_post) as started:
        page.get_by_test_id("start").click()
    first = started.value.json()
    session = first["id"]
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 1 of 2")

    # offline during the first item, which then ends and waits on the device
    context.set_offline(True)
    expect(page.get_by_test_id("save-status")).to_contain_text(
        "1 exercise not sent to footcoach yet", timeout=RUN_MS
    )

    # a reload: the service worker answers its copy of the page, and the script carries on
    # with the second item, from the start answer kept on the device
    reloaded = page.reload()
    assert reloaded is not None and reloaded.from_service_worker
    assert reloaded.headers.get("x-footcoach-offline-copy"), "not the worker's offline copy"
    expect(guide).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("start")).to_have_text("Carry on")
    expect(page.locator("#guide-start")).to_contain_text("1 of 2 exercises saved")
    expect(page.get_by_test_id("sync-status")).to_have_text(OFFLINE)
    screenshot(page, "offline-reloaded")
    page.get_by_test_id("start").click()
    expect(guide).to_have_attribute("data-state", "running")
    expect(page.get_by_test_id("step-where")).to_have_text("Exercise 2 of 2")
    expect(page.get_by_test_id("step-name")).to_have_text(first["items"][1]["name"])
    expect(page.get_by_test_id("sync-status")).to_have_text(OFFLINE)
    expect(guide).to_have_attribute("data-state", "ended", timeout=RUN_MS)
    answer_end_questions(page)
    expect(guide).to_have_attribute("data-state", "queued")

    # another reload while still offline: the answers are known to wait, nothing is asked again
    page.reload()
    expect(guide).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("result-text")).to_have_text(QUEUED)
    expect(page.get_by_test_id("sync-status")).to_have_text(OFFLINE)
    assert [(e["kind"], e.get("position")) for e in pending(page)] == [
        ("item", 0),
        ("item", 1),
        ("finish", None),
    ]
    assert get_json(f"{server}/api/v1/sessions/{session}")["items"] == []
    assert answered == []

    # back online: the page sends what waits, once, and shows the result
    context.set_offline(False)
    expect(guide).to_have_attribute("data-state", "finished", timeout=RUN_MS)
    assert answered == [("item", 0, 201), ("item", 1, 201), ("finish", None, 200)]
    state = get_json(f"{server}/api/v1/sessions/{session}")
    assert positions(state) == [0, 1] and state["finished"]
    assert pending(page) == []


def test_other_pages_offline_fall_back_to_the_offline_page(
    phone: Page, context: BrowserContext, server: str
) -> None:
    page = phone
    put_profile(server)
    page.goto(server + "/today")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")
    assert page.evaluate("caches.match('/session/daytime').then(Boolean)"), "not warmed"
    assert page.evaluate("caches.match('/api/v1/today').then(Boolean)")
    context.set_offline(True)
    response = page.goto(server + "/today")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).not_to_have_text("You are offline")
    page.goto(server + "/progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("link", name="go to Today").click()
    expect(page).to_have_url(server + "/today")
    page.goto(server + "/session/daytime")  # never opened, but kept from today's page
    expect(page.get_by_test_id("guide")).to_have_attribute("data-state", "ready")


def post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


QUEUE_AND_SEND = """async ([session, exercise]) => {
  const outbox = window.footcoach.outbox;
  const queued = outbox.add({kind: "item", session, position: 0,
    url: `/api/v1/sessions/${session}/items`,
    body: {position: 0, exercise, sets_done: 0, reps_done: 0, seconds_done: 0, skipped: true}});
  return {queued, result: await outbox.flush()};
}"""
"""Queue an item and send what waits, in one go (the outbox's own retries may join in)."""


def test_an_entry_leaves_the_outbox_only_once_footcoach_has_answered_it(
    phone: Page, context: BrowserContext, server: str
) -> None:
    page = phone
    put_profile(server)
    started = post_json(server + "/api/v1/sessions", {"slot": "daytime"})
    session, exercise = started["id"], started["items"][0]["exercise"]
    answered = record_posts(context)
    page.goto(server + "/today")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")

    # footcoach unavailable (503): the entry stays, with its key, for the next try; each try
    # carries the key, and the page's CSRF token when it has one (multi-user mode)
    headers: list[dict[str, str]] = []

    def unavailable(route: Route) -> None:
        headers.append(route.request.headers)
        route.fulfill(status=503, json={"detail": "busy"})

    page.route(ITEM_POST, unavailable)
    page.evaluate(
        """() => document.head.insertAdjacentHTML("beforeend",
          '<meta name="csrf-token" content="token-of-this-session">')"""
    )
    sent = page.evaluate(QUEUE_AND_SEND, [session, exercise])
    queued = sent["queued"]
    assert queued["body"]["key"] == queued["key"]
    assert sent["result"] == {"ok": False, "sent": 0, "offline": False}
    assert {h["idempotency-key"] for h in headers} == {queued["key"]}
    assert {h["x-csrf-token"] for h in headers} == {"token-of-this-session"}
    assert [e["key"] for e in pending(page)] == [queued["key"]]
    assert get_json(f"{server}/api/v1/sessions/{session}")["items"] == []

    # back: sent once; the same item queued again (a new key) is answered with the first record
    page.unroute(ITEM_POST)
    assert page.evaluate("() => window.footcoach.outbox.flush()")["ok"]
    assert pending(page) == []
    again = page.evaluate(QUEUE_AND_SEND, [session, exercise])
    assert again["queued"]["key"] != queued["key"]
    assert again["result"] == {"ok": True, "sent": 1, "offline": False}
    # (the outbox's own 15-second retry may have met the 503 too)
    unavailable_tries = [a for a in answered if a[2] == 503]
    assert unavailable_tries and set(unavailable_tries) == {("item", 0, 503)}
    assert [a for a in answered if a[2] != 503] == [("item", 0, 201), ("item", 0, 200)]
    assert positions(get_json(f"{server}/api/v1/sessions/{session}")) == [0]

    # refused for good (no such session): it leaves the outbox, and the page says so
    refused_one = page.evaluate(QUEUE_AND_SEND, [session + 1000, exercise])
    assert refused_one["result"] == {"ok": True, "sent": 1, "offline": False}
    refused = page.get_by_test_id("outbox-refused")
    expect(refused).to_contain_text("footcoach could not save an exercise of a session")
    expect(refused).to_have_attribute("role", "alert")
    assert pending(page) == []


def test_logging_out_forgets_the_copies_of_the_persons_pages(
    phone: Page, context: BrowserContext, server: str
) -> None:
    page = phone
    put_profile(server)
    page.goto(server + "/today")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")
    assert page.evaluate("caches.match('/today').then(Boolean)")
    page.evaluate("localStorage.setItem('footcoach.started', '{}')")
    # the multi-user pages' log-out form (this server runs in local mode: /logout is no page)
    page.evaluate(
        """() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/logout";
          form.innerHTML = '<button type="submit" data-testid="logout">Log out</button>';
          document.body.append(form);
        }"""
    )
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/logout")):
        page.get_by_test_id("logout").click()
    page.wait_for_url("**/logout")  # the log-out's own page has loaded: nothing else is on its way
    page.goto(server + "/library")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready")
    assert not page.evaluate("caches.match('/today').then(Boolean)")
    assert page.evaluate("caches.match('/static/session.js').then(Boolean)"), "static files stay"
    assert page.evaluate("localStorage.getItem('footcoach.started')") is None
