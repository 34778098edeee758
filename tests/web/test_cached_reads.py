"""Local mode's hottest reads answered before routing (web/cached_reads.py): kept answers while
the person's data is unchanged, and after a write the JSON views worked out by the routes' own
functions; every answer is the one the routed app gives."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient

from footcoach.web.cached_reads import CachedReads
from tests.support.loops import run_async
from tests.web.conftest import TODAY, twin_client
from tests.web.test_quick_saves import Spy, _answer, person_services  # noqa: F401 (a fixture)

VIEWS = ("/api/v1/today", "/api/v1/program", "/today")


def _same_views(quick: TestClient, routed: TestClient, label: str) -> None:
    for path in VIEWS[:2]:
        assert _answer(quick.get(path)) == _answer(routed.get(path)), f"{path} {label}"
    pages = [c.get("/today") for c in (quick, routed)]
    assert [p.status_code for p in pages] == [200, 200], label
    assert pages[0].text == pages[1].text, f"/today {label}"


def test_each_view_after_each_kind_of_write_is_the_routed_apps(twins):
    quick, routed = twins
    _same_views(quick, routed, "before anything is recorded")
    writes = [
        ("a check-in", "POST", "/api/v1/checkins", {"first_step_pain": 6}),
        ("a correction", "PUT", f"/api/v1/checkins/{TODAY.isoformat()}", {"first_step_pain": 8}),
        (
            "a correction back",
            "PUT",
            f"/api/v1/checkins/{TODAY.isoformat()}",
            {"first_step_pain": 2},
        ),
        ("a session started", "POST", "/api/v1/sessions", {"slot": "before_first_step"}),
    ]
    for label, method, path, body in writes:
        for client in (quick, routed):
            assert client.request(method, path, json=body).status_code < 300, label
        _same_views(quick, routed, f"after {label}")
        _same_views(quick, routed, f"again after {label}")  # now from the kept answers


def test_a_day_past_the_program_and_a_missing_profile_answer_as_the_app_does(
    tmp_path, intake_doc, monkeypatch
):
    quick = twin_client(tmp_path, "quick.db", intake_doc, quick=True)
    routed = twin_client(tmp_path, "routed.db", intake_doc, quick=False)
    with quick, routed:
        for client in (quick, routed):  # the clock moves past the program's twelve weeks
            monkeypatch.setattr(client.services.clock, "day", TODAY + timedelta(weeks=13))
        _same_views(quick, routed, "after the program")
    empty = [twin_client(tmp_path, f"{n}.db", None, quick=n == "q") for n in ("q", "r")]
    with empty[0], empty[1]:
        for path in VIEWS[:2]:
            assert _answer(empty[0].get(path)) == _answer(empty[1].get(path)), path


def _get(app, path: str) -> tuple[int, bytes]:
    async def scenario() -> tuple[int, bytes]:
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
        await app(scope, receive, send)
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return sent[0]["status"], body

    return run_async(scenario)


def test_a_json_view_out_of_date_is_worked_out_without_the_app(person_services):  # noqa: F811
    spy = Spy()
    reads = CachedReads(spy, person_services, "default")
    person_services.tracking.checkin("default", 5)
    status, body = _get(reads, "/api/v1/today")
    assert status == 200 and json.loads(body)["checkin"]["first_step_pain"] == 5
    person_services.tracking.correct_checkin("default", 1)  # the kept answer is out of date
    status, body = _get(reads, "/api/v1/today")
    assert status == 200 and json.loads(body)["checkin"]["first_step_pain"] == 1
    status, body = _get(reads, "/api/v1/program")
    assert status == 200 and json.loads(body)["weeks"]
    assert spy.bodies == []
    assert _get(reads, "/today")[0] == 299  # the page depends on the request: the app's
    assert len(spy.bodies) == 1
