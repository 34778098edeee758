"""JSON API, guided sessions: start or carry on, items saved idempotently, finish, state."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.schemas.intake import parse_intake
from footcoach.web.app import create_app
from footcoach.web.routes.api_sessions import FinishedDoc, ItemSavedDoc, SessionStateDoc, StartedDoc
from tests.web.conftest import LOCAL, TODAY
from tests.web.test_api import API_DOC, PROBLEM_JSON, fields, problem

OPERATIONS = {
    ("POST", "/api/v1/sessions"): "201",
    ("GET", "/api/v1/sessions/{session_id}"): "200",
    ("POST", "/api/v1/sessions/{session_id}/items"): "201",
    ("POST", "/api/v1/sessions/{session_id}/finish"): "200",
}


def start(client, slot="daytime", **extra):
    response = client.post("/api/v1/sessions", json={"slot": slot, **extra})
    assert response.status_code in (200, 201), response.text
    return response.json()


def full_item(session, position):
    """The item at a position done in full, as the guided player would count it."""
    item = session["items"][position]
    steps = [s for s in session["script"] if s["item"] == position]
    return {
        "position": position,
        "exercise": item["exercise"],
        "sets_done": sum(s["completes_set"] for s in steps),
        "reps_done": sum(s["completes_rep"] for s in steps),
        "seconds_done": sum(
            s["duration_s"] for s in steps if s["kind"] in ("hold", "rep", "timed")
        ),
        "skipped": False,
        "key": f"{session['id']}:{position}",
    }


def saved_items(client):
    _, diary = client.services.tracking.export("default")
    return [(s.slot, i.position) for s in diary.sessions for i in s.items]


# starting -------------------------------------------------------------------------------------


def test_starting_a_session_answers_its_script(person):
    response = person.post("/api/v1/sessions", json={"slot": "daytime"})
    assert response.status_code == 201
    started = StartedDoc.model_validate(response.json())
    assert response.headers["location"] == f"/api/v1/sessions/{started.id}"
    assert started.slot == "daytime" and started.date == TODAY and not started.resumed
    assert started.done == [] and started.speed == 1.0
    assert [i.position for i in started.items] == list(range(len(started.items)))
    assert {s.item for s in started.script} == set(range(len(started.items)))
    first = started.script[0]
    assert first.kind == "get_ready" and first.bell and first.name == started.items[0].name
    assert started.items[0].dose in first.text
    assert any(s.kind == "switch_side" for s in started.script)
    today = person.get("/api/v1/today").json()
    assert {s["slot"]: s["state"] for s in today["sessions"]}["daytime"] == "in_progress"


def test_the_script_is_the_guided_sessions_script(person):
    from footcoach.domain.guide import script

    body = start(person)
    planned = person.services.tracking.today("default").sessions[1].session
    catalog = person.services.library.catalog
    expected = script([(i, catalog.get(i.exercise)) for i in planned.items])
    assert [(s["item"], s["kind"], s["duration_s"], s["text"]) for s in body["script"]] == [
        (s.item, s.kind.value, s.duration_s, s.text) for s in expected
    ]


def test_the_speed_is_the_servers_setting(database_url, clock, intake_doc):
    settings = Settings(database_url=database_url, speed=40.0)
    services = build_services(settings, clock=clock)
    services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    with TestClient(create_app(settings, services), base_url=LOCAL) as client:
        assert start(client)["speed"] == 40.0
    services.close()


def test_a_reload_carries_on_after_the_saved_items(person):
    first = start(person)
    person.post(f"/api/v1/sessions/{first['id']}/items", json=full_item(first, 0))
    response = person.post("/api/v1/sessions", json={"slot": "daytime"})
    assert response.status_code == 200
    again = response.json()
    assert again["id"] == first["id"] and again["resumed"] and again["done"] == [0]
    assert len(again["items"]) == len(first["items"])
    assert {s["item"] for s in again["script"]} == set(range(1, len(first["items"])))
    assert again["script"] == [s for s in first["script"] if s["item"] != 0]


def test_an_open_session_with_nothing_saved_is_carried_on_too(person):
    first = start(person)
    response = person.post("/api/v1/sessions", json={"slot": "daytime"})
    assert response.status_code == 200 and response.json()["id"] == first["id"]


def test_a_finished_session_is_not_carried_on(person):
    first = start(person)
    person.post(f"/api/v1/sessions/{first['id']}/finish", json={"completed": True})
    response = person.post("/api/v1/sessions", json={"slot": "daytime"})
    assert response.status_code == 201 and response.json()["id"] != first["id"]


@pytest.mark.parametrize("slot", ["noon", "", "DAYTIME"])
def test_an_unknown_slot_is_a_422_naming_it(person, slot):
    error = fields(person.post("/api/v1/sessions", json={"slot": slot}))["slot"]
    assert error["value"] == slot and "daytime" in error["allowed"]
    assert (
        saved_items(person) == [] and person.services.tracking.export("default")[1].sessions == ()
    )


def test_a_day_without_sessions_is_a_422_naming_the_slot(person):
    response = person.post("/api/v1/sessions", json={"slot": "daytime", "date": "2026-11-20"})
    assert "none today" in fields(response)["slot"]["allowed"]


def test_a_day_to_come_is_refused(person):
    response = person.post("/api/v1/sessions", json={"slot": "daytime", "date": "2026-11-24"})
    assert fields(response)["date"] == {
        "field": "date",
        "value": "2026-11-24",
        "allowed": "a date up to today",
    }


def test_every_fault_of_a_start_body_is_named(person):
    response = person.post("/api/v1/sessions", json={"slot": 3, "date": "monday", "x": 1})
    assert set(fields(response)) == {"slot", "date", "x"}
    assert fields(person.post("/api/v1/sessions", json={}))["slot"]["value"] is None
    assert fields(person.post("/api/v1/sessions", json=[1]))["(body)"]


def test_starting_without_a_profile_is_a_404(web):
    body = problem(web.post("/api/v1/sessions", json={"slot": "daytime"}), 404)
    assert body["type"] == "/problems/no-profile"


# items ----------------------------------------------------------------------------------------


def test_an_item_is_saved_once_and_a_retry_answers_the_first_record(person):
    session = start(person)
    url = f"/api/v1/sessions/{session['id']}/items"
    body = full_item(session, 0)
    first = person.post(url, json=body)
    assert first.status_code == 201
    saved = ItemSavedDoc.model_validate(first.json())
    assert saved.session == session["id"] and saved.key == body["key"]
    assert (saved.sets_done, saved.reps_done, saved.seconds_done) == (
        body["sets_done"],
        body["reps_done"],
        body["seconds_done"],
    )
    again = person.post(url, json=body)
    assert again.status_code == 200 and again.json() == first.json()
    different = person.post(url, json={**body, "reps_done": 1, "skipped": True, "key": "other"})
    assert different.status_code == 200
    assert different.json()["reps_done"] == body["reps_done"] and not different.json()["skipped"]
    assert different.json()["key"] == "other"
    assert saved_items(person) == [("daytime", 0)]


def test_the_service_returns_the_stored_record_for_a_position_saved_before(person):
    from dataclasses import replace

    from footcoach.domain.diary import ItemRecord

    tracking = person.services.tracking
    opened = tracking.start_session("default", "daytime")
    item = opened.planned.items[0]
    record = ItemRecord(0, item.exercise, 1, 5, 30, False, person.services.clock.now())
    assert tracking.record_item(opened.id, record) == record
    assert tracking.record_item(opened.id, replace(record, reps_done=2)) == record
    assert saved_items(person) == [("daytime", 0)]


def test_a_skipped_item_without_a_key_is_saved(person):
    session = start(person)
    body = {**full_item(session, 1), "skipped": True, "sets_done": 0, "reps_done": 2}
    del body["key"]
    response = person.post(f"/api/v1/sessions/{session['id']}/items", json=body)
    assert response.status_code == 201
    assert response.json()["skipped"] and response.json()["key"] is None


@pytest.mark.parametrize(
    ("change", "field", "allowed"),
    [
        ({"position": 7}, "position", "a whole number from 0 to 1"),
        ({"position": -1}, "position", "a whole number from 0 to"),
        ({"position": "0"}, "position", "a whole number from 0 to"),
        ({"exercise": "heel-raise"}, "exercise", "the exercise at position 0"),
        ({"exercise": 5}, "exercise", "the id of the exercise"),
        ({"sets_done": 2}, "sets_done", "from 0 to 1 for this item"),
        ({"reps_done": 21}, "reps_done", "from 0 to 20 for this item"),
        ({"seconds_done": 201}, "seconds_done", "from 0 to 200 for this item"),
        ({"seconds_done": 1.5}, "seconds_done", "a whole number"),
        ({"skipped": "no"}, "skipped", "true or false"),
        ({"key": ""}, "key", "a string of 1 to 200 characters"),
        ({"key": "k" * 201}, "key", "a string of 1 to 200 characters"),
        ({"when": "now"}, "when", "no such field"),
    ],
)
def test_bad_item_values_are_422s_naming_the_field(person, change, field, allowed):
    session = start(person)
    response = person.post(
        f"/api/v1/sessions/{session['id']}/items", json={**full_item(session, 0), **change}
    )
    assert allowed in fields(response)[field]["allowed"]
    assert saved_items(person) == []


def test_every_fault_of_an_item_is_named_at_once(person):
    session = start(person)
    body = {**full_item(session, 0), "exercise": "heel-raise", "skipped": None}
    del body["seconds_done"]
    found = fields(person.post(f"/api/v1/sessions/{session['id']}/items", json=body))
    assert set(found) == {"seconds_done", "skipped"}
    body["seconds_done"] = 10
    found = fields(person.post(f"/api/v1/sessions/{session['id']}/items", json=body))
    assert set(found) == {"exercise", "skipped"}


def _other_persons_session(client, intake_doc):
    tracking = client.services.tracking
    tracking.init("someone-else", parse_intake(intake_doc), start=TODAY)
    return tracking.start_session("someone-else", "daytime")


def test_another_persons_session_is_a_404(person, intake_doc):
    theirs = _other_persons_session(person, intake_doc)
    item = {
        "position": 0,
        "exercise": theirs.planned.items[0].exercise,
        "sets_done": 0,
        "reps_done": 0,
        "seconds_done": 0,
        "skipped": True,
    }
    base = f"/api/v1/sessions/{theirs.id}"
    assert problem(person.post(f"{base}/items", json=item), 404)["type"] == "/problems/unknown-id"
    assert problem(person.post(f"{base}/finish", json={"completed": True}), 404)
    assert problem(person.get(base), 404)
    _, diary = person.services.tracking.export("someone-else")
    assert diary.sessions[0].items == () and diary.sessions[0].finished_at is None


def test_an_unknown_session_is_a_404_and_a_bad_id_a_422(person):
    assert "unknown session '99'" in problem(person.get("/api/v1/sessions/99"), 404)["detail"]
    assert fields(person.get("/api/v1/sessions/abc"))["session_id"]
    assert fields(person.get("/api/v1/sessions/0"))["session_id"]
    assert fields(person.get(f"/api/v1/sessions/{2**40}"))["session_id"]


# finishing and state --------------------------------------------------------------------------


def test_finishing_answers_the_pain_monitor(person):
    # a calm morning first, so that loading is not paused and the session's pain decides
    checkin = {"date": TODAY.isoformat(), "first_step_pain": 1}
    assert person.post("/api/v1/checkins", json=checkin).status_code == 201
    session = start(person)
    sid = session["id"]
    for position in range(len(session["items"])):
        person.post(f"/api/v1/sessions/{sid}/items", json=full_item(session, position))
    body = {"completed": True, "pain_during": 8, "effort": 7}
    response = person.post(f"/api/v1/sessions/{sid}/finish", json=body)
    assert response.status_code == 200
    done = FinishedDoc.model_validate(response.json())
    assert done.id == sid and done.completed and (done.pain_during, done.effort) == (8, 7)
    assert done.adjustment is not None and done.adjustment.action == "regress"
    assert "8/10" in done.adjustment.reason
    today = person.get("/api/v1/today").json()
    assert {s["slot"]: s["state"] for s in today["sessions"]}["daytime"] == "done"
    again = person.post(f"/api/v1/sessions/{sid}/finish", json=body)
    assert again.status_code == 200 and again.json() == response.json()


def test_finishing_again_with_other_answers_is_a_409(person):
    sid = start(person)["id"]
    person.post(f"/api/v1/sessions/{sid}/finish", json={"completed": False, "pain_during": 2})
    body = problem(
        person.post(f"/api/v1/sessions/{sid}/finish", json={"completed": True, "pain_during": 2}),
        409,
    )
    assert (
        body["type"] == "/problems/conflict" and "completed false" in body["errors"][0]["allowed"]
    )
    (record,) = person.services.tracking.export("default")[1].sessions
    assert not record.completed and record.pain_during == 2


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"completed": True, "pain_during": 11}, {"pain_during"}),
        ({"completed": True, "effort": -1}, {"effort"}),
        (
            {"completed": "yes", "pain_during": True, "effort": 2.5},
            {"completed", "pain_during", "effort"},
        ),
        ({"pain_during": 2}, {"completed"}),
        ({"completed": True, "mood": 3}, {"mood"}),
    ],
)
def test_bad_finish_values_are_422s_and_finish_nothing(person, body, bad):
    sid = start(person)["id"]
    found = fields(person.post(f"/api/v1/sessions/{sid}/finish", json=body))
    assert set(found) == bad
    (record,) = person.services.tracking.export("default")[1].sessions
    assert record.finished_at is None


def test_the_state_of_a_session(person):
    session = start(person)
    sid = session["id"]
    person.post(f"/api/v1/sessions/{sid}/items", json=full_item(session, 1))
    response = person.get(f"/api/v1/sessions/{sid}")
    assert response.status_code == 200
    state = SessionStateDoc.model_validate(response.json())
    assert state.done == [1] and not state.finished and state.finished_at is None
    assert state.planned == len(session["items"]) and state.slot == "daytime"
    assert state.items[0].exercise == session["items"][1]["exercise"]
    person.post(f"/api/v1/sessions/{sid}/finish", json={"completed": False, "effort": 3})
    state = person.get(f"/api/v1/sessions/{sid}").json()
    assert state["finished"] and not state["completed"] and state["effort"] == 3


# OpenAPI and the docs -------------------------------------------------------------------------


def test_openapi_declares_bodies_answers_and_problems(web):
    paths = web.get("/openapi.json").json()["paths"]
    for (method, path), status in OPERATIONS.items():
        operation = paths[path][method.lower()]
        answer = operation["responses"][status]["content"]["application/json"]["schema"]
        assert answer, (method, path)
        if method == "POST":
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body["properties"] and body["additionalProperties"] is False
        errors = {c: r for c, r in operation["responses"].items() if c.startswith("4")}
        assert {"404", "4XX"} <= set(errors), (method, path)
        assert all(list(r["content"]) == [PROBLEM_JSON] for r in errors.values())
    start_op = paths["/api/v1/sessions"]["post"]
    assert "200" in start_op["responses"]
    assert start_op["requestBody"]["content"]["application/json"]["schema"]["required"] == ["slot"]
    assert "409" in paths["/api/v1/sessions/{session_id}/finish"]["post"]["responses"]


def test_docs_describe_every_session_operation():
    documented = re.findall(r"`(GET|POST) (/api/v1/sessions[^`]*)`", API_DOC.read_text())
    for method, path in OPERATIONS:
        pattern = re.sub(r"\\\{[^}]+\\\}", r"\\{[^}]+\\}", re.escape(path))
        assert any(m == method and re.fullmatch(pattern, p) for m, p in documented), (method, path)
