"""Item saves answered before routing (web/quick_saves.py): the same answers as the route, for
every kind of request, and the route still answers everything that is not a plain new save."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.schemas.intake import parse_intake
from footcoach.web.quick_saves import QuickSaves
from tests.support.clock import FixedClock
from tests.support.loops import run_async
from tests.web.conftest import TODAY
from tests.web.test_api_sessions import full_item, start


def _answer(response) -> tuple[int, dict[str, str], object]:
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "content-length")}
    return response.status_code, headers, response.json()


def test_every_kind_of_save_is_answered_as_the_route_answers_it(twins):
    quick, routed = twins
    session = start(quick)
    assert start(routed)["id"] == session["id"]
    evening = start(quick, slot="evening")
    assert start(routed, slot="evening")["id"] == evening["id"]
    sid = session["id"]
    item, second = full_item(session, 0), full_item(session, 1)
    path = f"/api/v1/sessions/{sid}/items"
    later = f"/api/v1/sessions/{evening['id']}/items"
    cases = [
        ("a new item", path, item, {}),
        ("the same item again", path, item, {}),
        ("a position outside the session", path, {**item, "position": 99}, {}),
        ("another exercise", path, {**second, "exercise": "towel-curl"}, {}),
        ("more sets than prescribed", path, {**second, "sets_done": 99}, {}),
        ("a missing field", path, {k: v for k, v in second.items() if k != "skipped"}, {}),
        ("an unknown field", path, {**second, "colour": "red"}, {}),
        ("a key too long", path, {**second, "key": "k" * 70_000}, {}),
        ("no such session", "/api/v1/sessions/999/items", item, {}),
        ("an id past the route's limit", f"/api/v1/sessions/{2**31}/items", item, {}),
        ("a query string", f"{path}?x=1", second, {}),
        ("another site", later, full_item(evening, 0), {"sec-fetch-site": "cross-site"}),
        ("the evening's first item", later, full_item(evening, 0), {}),
    ]
    for label, url, body, headers in cases:
        answers = [
            _answer(client.post(url, json=body, headers=headers)) for client in (quick, routed)
        ]
        assert answers[0] == answers[1], label
    for raw in (b"", b"[1, 2]", b"{not json", b'{"position": NaN}'):
        answers = [
            _answer(c.post(path, content=raw, headers={"content-type": "application/json"}))
            for c in (quick, routed)
        ]
        assert answers[0] == answers[1], raw
    for url in (f"/api/v1/sessions/{sid}", f"/api/v1/sessions/{evening['id']}"):
        assert quick.get(url).json() == routed.get(url).json()


def test_every_kind_of_correction_is_answered_as_the_route_answers_it(twins):
    quick, routed = twins
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    for client in (quick, routed):
        assert client.post("/api/v1/checkins", json={"first_step_pain": 6}).status_code == 201
    path = f"/api/v1/checkins/{TODAY.isoformat()}"
    cases = [
        ("a plain correction", path, {"first_step_pain": 3}, {}),
        ("the same value again", path, {"first_step_pain": 3}, {}),
        ("a flare", path, {"first_step_pain": 9}, {}),
        ("with its own day", path, {"first_step_pain": 4, "date": TODAY.isoformat()}, {}),
        ("another day in the body", path, {"first_step_pain": 4, "date": yesterday}, {}),
        ("out of range", path, {"first_step_pain": 11}, {}),
        ("not a number", path, {"first_step_pain": "4"}, {}),
        ("missing", path, {}, {}),
        ("an unknown field", path, {"first_step_pain": 2, "mood": "ok"}, {}),
        ("a day without a check-in", f"/api/v1/checkins/{yesterday}", {"first_step_pain": 2}, {}),
        ("not a day", "/api/v1/checkins/2026-13-45", {"first_step_pain": 2}, {}),
        ("a query string", f"{path}?x=1", {"first_step_pain": 5}, {}),
        ("another site", path, {"first_step_pain": 1}, {"sec-fetch-site": "cross-site"}),
        ("the last word", path, {"first_step_pain": 2}, {}),
    ]
    for label, url, body, headers in cases:
        answers = [
            _answer(client.put(url, json=body, headers=headers)) for client in (quick, routed)
        ]
        assert answers[0] == answers[1], label
    for raw in (b"", b"[1]", b"{not json"):
        answers = [
            _answer(c.put(path, content=raw, headers={"content-type": "application/json"}))
            for c in (quick, routed)
        ]
        assert answers[0] == answers[1], raw
    assert quick.get("/api/v1/today").json() == routed.get("/api/v1/today").json()
    trails = [
        [(c.day, c.was, c.now) for c in client.services.tracking.corrections("default")]
        for client in (quick, routed)
    ]
    assert trails[0] == trails[1] and len(trails[0]) == 6


def test_a_plain_correction_never_reaches_the_app_and_is_committed_first(person_services, tmp_path):
    spy = Spy()
    quick = QuickSaves(spy, person_services, "default")
    person_services.tracking.checkin("default", 7)
    path = f"/api/v1/checkins/{TODAY.isoformat()}"
    status, answer = _post(quick, path, [b'{"first_step_pain": 2}'], method="PUT")
    assert status == 200 and json.loads(answer)["first_step_pain"] == 2
    assert spy.bodies == []
    with sqlite3.connect(tmp_path / "fc.db") as other:  # another process's view of the file
        assert other.execute("SELECT first_step_pain FROM checkins").fetchall() == [(2,)]
    for bad in (b'{"first_step_pain": 12}', b"{oops"):  # the app answers these, as sent
        assert _post(quick, path, [bad], method="PUT")[0] == 299
    assert spy.bodies == [b'{"first_step_pain": 12}', b"{oops"]
    in_parts = [b'{"first_step_pain"', b": 3}"]
    assert _post(quick, path, in_parts, method="PUT")[0] == 200
    assert len(spy.bodies) == 2


def test_a_new_save_is_committed_before_its_answer(twins, tmp_path):
    quick, _ = twins
    session = start(quick)
    response = quick.post(f"/api/v1/sessions/{session['id']}/items", json=full_item(session, 0))
    assert response.status_code == 201
    with sqlite3.connect(tmp_path / "quick.db") as other:  # another process's view of the file
        rows = other.execute("SELECT session_id, position FROM session_items").fetchall()
    assert rows == [(session["id"], 0)]


# the middleware on its own: what reaches the app ------------------------------------------


class Spy:
    """An app that records what reached it and answers 299."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope, receive, send) -> None:
        parts = []
        while True:
            message = await receive()
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        self.bodies.append(b"".join(parts))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _post(app, path: str, chunks: list[bytes], method: str = "POST") -> tuple[int, bytes]:
    async def scenario() -> tuple[int, bytes]:
        incoming = [
            {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
            for i, c in enumerate(chunks)
        ]
        sent: list[dict] = []

        async def receive() -> dict:
            return incoming.pop(0) if incoming else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "query_string": b"",
            "headers": [(b"content-type", b"application/json")],
        }
        await app(scope, receive, send)
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return sent[0]["status"], body

    return run_async(scenario)


@pytest.fixture
def person_services(tmp_path, intake_doc):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fc.db'}")
    services = build_services(settings, clock=FixedClock(TODAY))
    services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    yield services
    services.close()


def _session(services) -> tuple[int, dict]:
    from footcoach.services import sessions

    started = sessions.start(services.tracking, services.library.catalog, "default", "daytime")
    item = started.planned.items[0]
    most = sessions.limits_of(services.library.catalog, item)
    body = {
        "position": 0,
        "exercise": item.exercise,
        "sets_done": most.sets,
        "reps_done": most.reps,
        "seconds_done": most.seconds,
        "skipped": False,
        "key": None,
    }
    return started.id, body


def test_a_plain_new_save_never_reaches_the_app(person_services):
    spy = Spy()
    quick = QuickSaves(spy, person_services, "default")
    sid, body = _session(person_services)
    status, answer = _post(quick, f"/api/v1/sessions/{sid}/items", [json.dumps(body).encode()])
    assert status == 201 and json.loads(answer)["position"] == 0
    assert spy.bodies == []


def test_what_is_not_a_plain_new_save_reaches_the_app_with_its_body_as_sent(person_services):
    spy = Spy()
    quick = QuickSaves(spy, person_services, "default")
    sid, body = _session(person_services)
    plain = json.dumps(body).encode()
    _post(quick, f"/api/v1/sessions/{sid}/items", [plain])  # saved here
    big = json.dumps({**body, "position": 1, "pad": "x" * 70_000}).encode()
    sent = [
        [plain],  # the same position again: the app answers with the record stored first
        [plain[:10], plain[10:]],  # in two parts, the same again
        [b"{oops"],
        [json.dumps({**body, "position": 42}).encode()],
        [big[:40_000], big[40_000:]],  # over 64 KiB: left to the app, unread past the limit
    ]
    for chunks in sent:
        status, _ = _post(quick, f"/api/v1/sessions/{sid}/items", chunks)
        assert status == 299
    assert spy.bodies == [b"".join(chunks) for chunks in sent]
    other_path, _ = _post(quick, "/api/v1/sessions/1/finish", [b"{}"])
    assert other_path == 299 and spy.bodies[-1] == b"{}"
