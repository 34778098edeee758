"""Request bodies have a limit, read before anything else; error answers quote excerpts only."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from fastapi import Body
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings, load_settings
from footcoach.domain.errors import InvalidInputError
from footcoach.web.app import create_app
from tests.support.loops import run_async
from tests.web.conftest import LOCAL, TODAY
from tests.web.multi_user import multi_fixture  # noqa: F401
from tests.web.test_api import PROBLEM_JSON, problem
from tests.web.test_api_sessions import full_item, start

KIB = 1024
MIB = 1024 * KIB
SMALL = 4 * KIB
"""An error answer is at most this big, whatever was sent."""


def _checkins(client) -> int:
    return len(client.services.tracking.snapshot("default").diary.checkins)


def _padded(document: dict, size: int) -> bytes:
    """The document as JSON, made `size` bytes long with trailing spaces (still valid JSON)."""
    raw = json.dumps(document).encode()
    return raw + b" " * (size - len(raw))


def _chunks(raw: bytes, size: int = 16 * KIB):
    """The body as a generator: the client sends it chunked, with no Content-Length."""
    for at in range(0, len(raw), size):
        yield raw[at : at + size]


CHECKIN = {"date": TODAY.isoformat(), "first_step_pain": 3}


# the limit ---------------------------------------------------------------------------------


def test_a_body_declared_over_64_kib_is_refused_and_nothing_is_written(person):
    answer = person.post(
        "/api/v1/checkins",
        content=_padded(CHECKIN, 64 * KIB + 1),
        headers={"content-type": "application/json"},
    )
    body = problem(answer, 413)
    assert body["type"] == "/problems/content-too-large"
    assert "64 KiB" in body["detail"]
    assert answer.headers["connection"] == "close"
    assert _checkins(person) == 0


def test_a_body_of_exactly_64_kib_is_read(person):
    answer = person.post(
        "/api/v1/checkins",
        content=_padded(CHECKIN, 64 * KIB),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 201, answer.text
    assert _checkins(person) == 1


def test_a_chunked_body_is_counted_as_it_comes_and_refused_past_the_limit(person):
    raw = _padded(CHECKIN, 200 * KIB)
    answer = person.post(
        "/api/v1/checkins", content=_chunks(raw), headers={"content-type": "application/json"}
    )
    problem(answer, 413)
    assert _checkins(person) == 0


def test_a_body_over_the_limit_is_not_read_at_all(tmp_path):
    """Refused from its Content-Length: the app never asks for a byte of it."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fc.db'}")
    app = create_app(settings, build_services(settings))
    asked: list[dict] = []
    sent: list[dict] = []

    async def receive() -> dict:
        asked.append({})
        return {"type": "http.request", "body": b"{}", "more_body": False}

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
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(50 * MIB).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    run_async(lambda: app(scope, receive, send))
    app.state.services.close()
    assert asked == []
    assert sent[0]["status"] == 413


def test_the_item_saves_answered_before_routing_have_the_same_limit(person):
    """Local mode's quick saves (web/quick_saves.py) read bodies under the limit too: a valid
    item padded past 64 KiB is refused, not saved."""
    session = start(person)
    raw = _padded(full_item(session, 0), 100 * KIB)
    answer = person.post(
        f"/api/v1/sessions/{session['id']}/items",
        content=_chunks(raw),
        headers={"content-type": "application/json"},
    )
    problem(answer, 413)
    again = person.post(f"/api/v1/sessions/{session['id']}/items", json=full_item(session, 0))
    assert again.status_code == 201  # new: the refused one was not saved


def test_a_form_counts_as_any_body_and_a_person_gets_a_page(person):
    answer = person.post("/checkin", data={"first_step_pain": "3", "note": "x" * (80 * KIB)})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "64 KiB" in answer.text
    assert _checkins(person) == 0


def test_an_import_may_be_larger_than_other_bodies_but_has_its_own_limit(person):
    backup = _padded({"format": "footcoach.backup/1"}, 5 * MIB)
    answer = person.post(
        "/api/v1/import", content=backup, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422  # read and checked: it is no backup
    assert len(answer.content) < SMALL
    too_big = _padded({"format": "footcoach.backup/1"}, 8 * MIB + 1)
    answer = person.post(
        "/api/v1/import", content=too_big, headers={"content-type": "application/json"}
    )
    assert "8 MiB" in problem(answer, 413)["detail"]


def test_both_limits_are_settings(database_url, clock):
    settings = Settings(database_url=database_url, max_body_bytes=2 * KIB, max_import_bytes=MIB)
    services = build_services(settings, clock=clock)
    with TestClient(create_app(settings, services), base_url=LOCAL) as client:
        small = client.post(
            "/api/v1/screen", content=b" " * (3 * KIB), headers={"content-type": "text/plain"}
        )
        assert "2 KiB" in problem(small, 413)["detail"]
        large = client.post(
            "/api/v1/import", content=b" " * (MIB + 1), headers={"content-type": "text/plain"}
        )
        assert "1 MiB" in problem(large, 413)["detail"]
    services.close()


def test_the_limits_are_read_from_the_environment():
    found = load_settings(
        {"FOOTCOACH_MAX_BODY_BYTES": "131072", "FOOTCOACH_MAX_IMPORT_BYTES": "1_048_576"}
    )
    assert (found.max_body_bytes, found.max_import_bytes) == (128 * KIB, MIB)
    assert (load_settings({}).max_body_bytes, load_settings({}).max_import_bytes) == (
        64 * KIB,
        8 * MIB,
    )


@pytest.mark.parametrize("value", ["64k", "-1", "12", "2e9", "", "²"])
def test_a_limit_that_is_no_size_is_named_with_what_is_allowed(value):
    with pytest.raises(InvalidInputError) as caught:
        load_settings({"FOOTCOACH_MAX_BODY_BYTES": value})
    (found,) = caught.value.problems
    assert found.field == "FOOTCOACH_MAX_BODY_BYTES"
    assert found.value == value
    assert "1024 to 1073741824" in found.allowed


# small error answers -----------------------------------------------------------------------

NEAR_LIMIT = 60 * KIB


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/screen"),
        ("POST", "/api/v1/plan"),
        ("POST", "/api/v1/checkins"),
        ("POST", "/api/v1/scores/ffi"),
        ("POST", "/api/v1/scores/faam"),
        ("POST", "/api/v1/questionnaires/ffi"),
        ("PUT", "/api/v1/profile"),
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/import"),
    ],
)
def test_a_body_near_the_limit_with_fields_missing_gets_a_small_answer(person, method, path):
    """Every field missing, and one unknown field holding 60 KiB: the answer names the
    problems with an excerpt of the value, never the body."""
    raw = json.dumps({"padding": "x" * NEAR_LIMIT}).encode()
    answer = person.request(method, path, content=raw, headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert len(answer.content) < SMALL, len(answer.content)
    assert "x" * 100 not in answer.text


def test_a_five_mib_import_with_fields_missing_gets_a_small_answer(person):
    raw = json.dumps({"padding": "x" * (5 * MIB)}).encode()
    answer = person.post(
        "/api/v1/import", content=raw, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert len(answer.content) < SMALL, len(answer.content)


def test_a_long_value_is_quoted_as_an_excerpt_with_an_ellipsis(person):
    answer = person.post("/api/v1/checkins", json={**CHECKIN, "date": "2026-" + "1" * 5000})
    body = problem(answer, 422)
    (error,) = [e for e in body["errors"] if e["field"] == "date"]
    assert len(error["value"]) == 80
    assert error["value"].startswith("2026-111") and error["value"].endswith("\u2026")
    assert "1" * 100 not in body["detail"]


def test_the_frameworks_checks_quote_excerpts_and_no_body_for_a_missing_field(web):
    """A route whose body FastAPI validates itself: a missing field's value is null (pydantic
    gives the whole body as its input), a long value is cut."""

    @web.app.post("/api/v1/_probe")
    def _probe(name: Annotated[str, Body(max_length=5)], count: Annotated[int, Body()]) -> dict:
        return {}

    answer = web.post("/api/v1/_probe", json={"name": "y" * 10_000, "other": "z" * 50_000})
    body = problem(answer, 422)
    by_field = {e["field"]: e for e in body["errors"]}
    assert by_field["count"]["value"] is None
    assert by_field["name"]["value"] == "y" * 79 + "\u2026"
    assert len(answer.content) < SMALL


def test_many_problems_are_listed_up_to_ten_and_counted(web):

    @web.app.post("/api/v1/_probe_many")
    def _probe_many(values: Annotated[list[int], Body(embed=True)]) -> dict:
        return {}

    answer = web.post("/api/v1/_probe_many", json={"values": ["no"] * 5000})
    body = problem(answer, 422)
    assert len(body["errors"]) == 10
    assert body["detail"].endswith("and 4990 more problems")
    assert len(answer.content) < SMALL


def test_a_long_path_is_quoted_as_an_excerpt(web):
    answer = web.get("/api/v1/" + "a" * 5000)
    body = problem(answer, 404)
    assert len(body["detail"]) < 200


def test_a_logged_in_person_gets_the_page_too(multi):
    """The page is made before routing, with the session read for the page's own links."""
    ann = multi.actor("ann@example.org")
    answer = ann.post("/checkin", data={"first_step_pain": "3", "note": "x" * (80 * KIB)})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "64 KiB" in answer.text


def test_a_body_refused_while_it_streams_closes_the_connection_too(person):
    """So the server need not read the rest of it to reach a next request."""
    raw = _padded(CHECKIN, 200 * KIB)
    answer = person.post(
        "/api/v1/checkins", content=_chunks(raw), headers={"content-type": "application/json"}
    )
    problem(answer, 413)
    assert answer.headers["connection"] == "close"
