"""The outbox on a shared device: a page sends only its own person's waiting saves. Another
person's entries (left by someone who logged out with no network) stay on the device, unsent
and not dropped, until that person is back; a page seen logged out sends nothing."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.e2e.test_offline_session import get_json, put_profile

pytestmark = pytest.mark.e2e

QUEUE = "footcoach.pending"


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _entry(server_session: dict[str, Any], position: int, owner: str | None) -> dict[str, Any]:
    key = f"key-{position}-{owner}"
    item = server_session["items"][position]
    entry = {
        "kind": "item",
        "session": server_session["id"],
        "position": position,
        "url": f"/api/v1/sessions/{server_session['id']}/items",
        "body": {
            "position": position,
            "exercise": item["exercise"],
            "sets_done": 0,
            "reps_done": 0,
            "seconds_done": 0,
            "skipped": True,
            "key": key,
        },
        "key": key,
        "queuedAt": "2026-11-23T08:00:00Z",
    }
    if owner is not None:
        entry["owner"] = owner
    return entry


def test_a_page_sends_only_its_own_persons_saves(browser: Browser, server: str) -> None:
    put_profile(server)
    started = _post(server + "/api/v1/sessions", {"slot": "daytime"})
    assert len(started["items"]) >= 2
    someone_else = _entry(started, 0, "user-999")
    mine = _entry(started, 1, "local")
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(server + "/library")
        assert page.locator('meta[name="footcoach-owner"]').get_attribute("content") == "local"
        page.evaluate(
            "([name, queue]) => localStorage.setItem(name, JSON.stringify(queue))",
            [QUEUE, [someone_else, mine]],
        )
        result = page.evaluate("() => window.footcoach.outbox.flush()")
        assert result["ok"] is True and result["sent"] == 1
        left = page.evaluate("(name) => JSON.parse(localStorage.getItem(name))", QUEUE)
        assert left == [someone_else]  # kept, untouched, for its person
        assert page.evaluate("() => window.footcoach.outbox.waiting().length") == 0
        assert page.locator('[data-testid="outbox-refused"]').count() == 0
    finally:
        context.close()
    state = get_json(f"{server}/api/v1/sessions/{started['id']}")
    assert state["done"] == [1]


def test_a_save_queued_on_a_page_is_kept_as_that_persons(browser: Browser, server: str) -> None:
    put_profile(server)
    started = _post(server + "/api/v1/sessions", {"slot": "daytime"})
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(server + "/library")
        context.set_offline(True)
        queued = page.evaluate(
            "(entry) => window.footcoach.outbox.add(entry)", _entry(started, 0, None)
        )
        assert queued["owner"] == "local"
        result = page.evaluate("() => window.footcoach.outbox.flush()")
        assert result["ok"] is False and result["offline"] is True
        context.set_offline(False)
        result = page.evaluate("() => window.footcoach.outbox.flush()")
        assert result["ok"] is True and result["sent"] == 1
    finally:
        context.close()
    assert get_json(f"{server}/api/v1/sessions/{started['id']}")["done"] == [0]


def test_logging_out_with_saves_waiting_asks_once_and_stays_when_told(
    browser: Browser, server: str
) -> None:
    """With the service worker running, one logout is handled once: one question, and no
    logout while the person chooses to stay (their saves still waiting)."""
    put_profile(server)
    started = _post(server + "/api/v1/sessions", {"slot": "daytime"})
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(server + "/today")
        page.wait_for_selector("html[data-offline=ready]", state="attached", timeout=30_000)
        logouts: list[str] = []
        page.on("request", lambda r: logouts.append(r.url) if r.url.endswith("/logout") else None)
        questions: list[str] = []

        def stay(dialog) -> None:
            questions.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", stay)
        context.set_offline(True)
        page.evaluate("(entry) => window.footcoach.outbox.add(entry)", _entry(started, 0, None))
        page.evaluate(
            "() => { const f = document.createElement('form'); f.method = 'post';"
            " f.action = '/logout'; const b = document.createElement('button'); f.append(b);"
            " document.body.append(f); b.click(); }"
        )
        page.wait_for_timeout(1500)
        assert len(questions) == 1 and questions[0].startswith("1 save of your sessions")
        assert logouts == []
        assert page.evaluate("() => window.footcoach.outbox.waiting().length") == 1
    finally:
        context.close()
