"""Imports and exports: a cap on rows per table, at most one at a time per person and two per
process (429 with Retry-After), and an import whose client goes away writes nothing."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from footcoach.services import restoring
from footcoach.web.heavy import PER_PROCESS, HeavyWork, TooBusy, heavy_work, off_the_loop
from tests.support.loops import run_async
from tests.web.multi_user import multi_fixture  # noqa: F401
from tests.web.test_api import fields, problem

LOCAL = "http://127.0.0.1:8000"


def backup(client, days: int = 0) -> dict:
    """The client's backup, with `days` check-ins and a session of three items each day."""
    document = client.get("/api/v1/export").json()
    document["checkins"] = [
        {"date": f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}", "first_step_pain": 3}
        for n in range(days)
    ]
    document["sessions"] = [
        {
            "date": c["date"],
            "slot": "daytime",
            "started_at": f"{c['date']}T09:00:00+00:00",
            "finished_at": f"{c['date']}T09:20:00+00:00",
            "completed": True,
            "pain_during": 2,
            "effort": 4,
            "items": [
                {
                    "position": p,
                    "exercise": "heel-raise",
                    "sets_done": 3,
                    "reps_done": 12,
                    "seconds_done": 0,
                    "skipped": False,
                    "finished_at": f"{c['date']}T09:0{p + 1}:00+00:00",
                }
                for p in range(3)
            ],
        }
        for c in document["checkins"]
    ]
    return document


def emptied(client) -> None:
    """The profile's diary is empty, so a backup may be restored into it."""
    assert client.services.tracking.export("default")[1].checkins == ()


# caps --------------------------------------------------------------------------------------


def test_an_import_over_a_cap_is_a_422_naming_the_table_and_the_cap(person, monkeypatch):
    document = backup(person, days=10)  # 30 items
    monkeypatch.setitem(restoring.ROW_CAPS, "session_items", 25)
    found = fields(person.post("/api/v1/import", json=document))
    assert list(found) == ["session_items"]
    assert found["session_items"]["value"] == "30 rows"
    assert "at most 25 rows" in found["session_items"]["allowed"]
    emptied(person)


def test_the_settings_page_says_the_same_and_writes_nothing(person, monkeypatch):
    document = backup(person, days=10)
    monkeypatch.setitem(restoring.ROW_CAPS, "checkins", 5)
    answer = person.post(
        "/settings/import",
        files={"backup": ("b.json", json.dumps(document).encode(), "application/json")},
    )
    assert answer.status_code == 422
    assert "checkins: at most 5 rows" in answer.text
    emptied(person)


# bounds ------------------------------------------------------------------------------------


def test_a_second_import_or_export_of_the_same_person_is_a_429(person):
    document = backup(person, days=2)
    work = heavy_work(person.app)
    work.take("local")  # one of this person's is running
    try:
        for answer in (
            person.get("/api/v1/export"),
            person.post("/api/v1/import", json=document),
        ):
            body = problem(answer, 429)
            assert body["type"] == "/problems/too-busy"
            assert "You have an import, export or printout being made already" in body["detail"]
            assert int(answer.headers["retry-after"]) > 0
        page = person.get("/settings/export")
        assert page.status_code == 429 and "retry-after" in page.headers
        emptied(person)
    finally:
        work.give_back("local")
    assert person.post("/api/v1/import", json=document).status_code == 201
    assert work.running == 0  # the slot is given back when the route is done


def test_others_go_on_until_the_process_is_full(multi):
    ann, bob = multi.actor("ann@example.org"), multi.actor("bob@example.org")
    work = heavy_work(multi.app)
    work.take(f"user-{ann.user.id}")
    try:
        assert ann.client.get("/api/v1/export").status_code == 429
        assert bob.client.get("/api/v1/export").status_code == 200  # ann's bound, not bob's
        work.take("user-somebody-else")  # the process is full now
        body = problem(bob.client.get("/api/v1/export"), 429)
        assert "The server is busy" in body["detail"]
        work.give_back("user-somebody-else")
    finally:
        work.give_back(f"user-{ann.user.id}")
    assert ann.client.get("/api/v1/export").status_code == 200


def test_the_bounds_per_person_and_per_process():
    work = HeavyWork(per_process=PER_PROCESS, per_person=1)
    work.take("ann")
    with pytest.raises(TooBusy) as mine:
        work.take("ann")
    assert mine.value.mine
    work.take("bob")
    with pytest.raises(TooBusy) as full:
        work.take("cat")
    assert not full.value.mine
    work.give_back("ann")
    work.take("cat")
    assert work.running == 2


# a client that goes away -------------------------------------------------------------------


def test_an_import_whose_client_goes_away_stops_and_writes_nothing(person, monkeypatch):
    """The rows are written in batches with a checkpoint before each; the client leaves after
    a few batches. Before, the import ran to its end whoever was there."""
    from footcoach.adapters.db import repositories

    document = backup(person, days=60)
    body = json.dumps(document).encode()
    monkeypatch.setattr(repositories, "RESTORE_BATCH", 5)
    checkpoints: list[float] = []
    checkpoint = restoring.CancelFlag.checkpoint

    def slow(flag: restoring.CancelFlag) -> None:
        checkpoints.append(time.monotonic())
        time.sleep(0.02)  # 60 check-ins, 60 sessions and 180 items: 60 batches, over 1 s
        checkpoint(flag)

    monkeypatch.setattr(restoring.CancelFlag, "checkpoint", slow)
    sent: list[dict] = []

    async def call() -> None:
        began = time.monotonic()
        delivered = False

        async def receive() -> dict:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            if time.monotonic() - began > 0.3:
                return {"type": "http.disconnect"}
            await asyncio.sleep(3600)  # cancelled at once by is_disconnected()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/v1/import",
            "raw_path": b"/api/v1/import",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1:8000"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        await person.app(scope, receive, send)

    run_async(call)
    assert 3 < len(checkpoints) < 40, "stopped part way, at a checkpoint"
    started = [m for m in sent if m["type"] == "http.response.start"]
    assert started and started[0]["status"] != 201
    emptied(person)
    assert heavy_work(person.app).running == 0


def test_off_the_loop_sets_the_flag_when_the_request_is_cancelled():
    """A server stopping cancels the request's task: the work is told to stop."""
    seen: list[restoring.CancelFlag] = []

    def work(flag: restoring.CancelFlag) -> None:
        seen.append(flag)
        while not flag.cancelled:
            time.sleep(0.01)

    class Request:
        async def is_disconnected(self) -> bool:
            return False

    async def main() -> None:
        task = asyncio.ensure_future(off_the_loop(Request(), work))  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run_async(main)
    assert seen and seen[0].cancelled
