"""JSON API, day to day: today, check-ins, questionnaires, scores, export and import."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.schemas.backup import BackupDoc
from footcoach.web.app import create_app
from footcoach.web.routes.api_diary import CheckinDoc, ScoreDoc, TakenDoc, TodayDoc
from tests.web.conftest import LOCAL, TODAY
from tests.web.test_api import fields, problem

FFI = {
    "schema": "footcoach.ffi-answers/1",
    "items": [7, 9, 6, 5, 4, 3, None, None, 6, 3, 4, 5, 6, 5, 2, 4, 3, 6, 0, 0, 1, 0, 4],
}
FFI_SCORES = {
    "schema": "footcoach.score/1",
    "instrument": "ffi",
    "pain": 57.1,
    "disability": 42.2,
    "activity_limitation": 10.0,
    "total": 36.5,
}
FAAM = {
    "schema": "footcoach.faam-answers/1",
    "adl": [3] * 19 + [None, None],
    "sports": [2, 1, None, 1, 0, 2, 1, None],
}
FAAM_SCORES = {"schema": "footcoach.score/1", "instrument": "faam", "adl": 75.0, "sports": None}


def diary(client):
    return client.services.tracking.export("default")[1]


# today ----------------------------------------------------------------------------------------


def test_today_answers_the_today_document(person):
    response = person.get("/api/v1/today")
    assert response.status_code == 200
    view = TodayDoc.model_validate(response.json())
    assert view.date == TODAY and view.week == 1 and view.checkin_due
    assert view.sessions and {s.state for s in view.sessions} == {"pending"}
    assert view.questionnaires_due == ["ffi", "faam"]


def test_today_for_another_day(person):
    view = person.get("/api/v1/today?date=2026-11-20").json()
    assert view["date"] == "2026-11-20" and view["starts_on"] == TODAY.isoformat()


def test_today_with_a_bad_date_is_a_422_naming_it(person):
    found = fields(person.get("/api/v1/today?date=tomorrow"))
    assert found == {
        "date": {"field": "date", "value": "tomorrow", "allowed": "a date as YYYY-MM-DD"}
    }


def test_today_without_a_profile_is_a_404(web):
    assert problem(web.get("/api/v1/today"), 404)["type"] == "/problems/no-profile"


# check-ins ------------------------------------------------------------------------------------


def test_a_checkin_is_recorded_and_answers_the_adjustment(person):
    response = person.post("/api/v1/checkins", json={"first_step_pain": 4})
    assert response.status_code == 201
    assert response.headers["location"] == f"/api/v1/today?date={TODAY.isoformat()}"
    result = CheckinDoc.model_validate(response.json())
    assert result.date == TODAY and result.first_step_pain == 4
    assert result.adjustment is not None and result.adjustment.reason
    assert person.get("/api/v1/today").json()["checkin"] == {"first_step_pain": 4}


def test_a_checkin_for_another_day(person):
    response = person.post("/api/v1/checkins", json={"first_step_pain": 3, "date": "2026-11-24"})
    assert response.status_code == 201
    assert [(c.day, c.first_step_pain) for c in diary(person).checkins] == [(date(2026, 11, 24), 3)]


def test_a_second_checkin_the_same_day_is_a_conflict(person):
    assert person.post("/api/v1/checkins", json={"first_step_pain": 4}).status_code == 201
    body = problem(person.post("/api/v1/checkins", json={"first_step_pain": 6}), 409)
    assert body["type"] == "/problems/conflict"
    assert body["errors"][0]["field"] == "first_step_pain"
    assert [c.first_step_pain for c in diary(person).checkins] == [4]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_step_pain": 11}, "first_step_pain"),
        ({"first_step_pain": -1}, "first_step_pain"),
        ({"first_step_pain": "4"}, "first_step_pain"),
        ({"first_step_pain": True}, "first_step_pain"),
        ({"first_step_pain": 4.5}, "first_step_pain"),
        ({}, "first_step_pain"),
        ({"first_step_pain": 4, "date": "2026-02-30"}, "date"),
        ({"first_step_pain": 4, "mood": "fine"}, "mood"),
    ],
)
def test_a_bad_checkin_is_a_422_naming_the_field_and_writes_nothing(person, body, field):
    found = fields(person.post("/api/v1/checkins", json=body))
    assert list(found) == [field]
    if field == "first_step_pain" and body:
        assert found[field]["allowed"] == "a whole number from 0 to 10"
    assert diary(person).checkins == ()


def test_a_checkin_without_a_profile_is_a_404(web):
    assert problem(web.post("/api/v1/checkins", json={"first_step_pain": 4}), 404)
    assert web.services.tracking.profiles() == []


# questionnaires and scores --------------------------------------------------------------------


def test_a_questionnaire_is_stored_and_scored(person):
    response = person.post("/api/v1/questionnaires/ffi", json=FFI)
    assert response.status_code == 201 and response.json() == FFI_SCORES
    assert response.headers["location"] == "/api/v1/questionnaires"
    response = person.post("/api/v1/questionnaires/faam", json={**FAAM, "date": "2026-11-20"})
    assert response.status_code == 201 and response.json() == FAAM_SCORES
    taken = person.get("/api/v1/questionnaires").json()
    for entry in taken:
        TakenDoc.model_validate(entry)
    assert [(t["instrument"], t["date"]) for t in taken] == [  # oldest first
        ("faam", "2026-11-20"),
        ("ffi", TODAY.isoformat()),
    ]
    faam, ffi = taken
    assert ffi["answers"] == FFI and ffi["scores"] == FFI_SCORES
    assert faam["answers"] == FAAM and faam["scores"] == FAAM_SCORES
    assert person.get("/api/v1/today").json()["questionnaires_due"] == []


def test_no_questionnaires_yet_is_an_empty_list(person):
    response = person.get("/api/v1/questionnaires")
    assert response.status_code == 200 and response.json() == []


def test_bad_answers_name_each_item_and_write_nothing(person):
    items = list(FFI["items"])
    items[3] = 11
    items[5] = "3"
    found = fields(
        person.post("/api/v1/questionnaires/ffi", json={"items": items, "date": "soon", "extra": 1})
    )
    assert set(found) == {"items[3]", "items[5]", "date", "extra"}
    assert found["items[3]"]["value"] == 11
    assert "date" in found["extra"]["allowed"]
    assert diary(person).questionnaires == ()


def test_faam_answers_of_the_wrong_length_are_named(person):
    found = fields(person.post("/api/v1/questionnaires/faam", json={"adl": [4] * 20}))
    assert set(found) == {"adl", "sports"}
    assert diary(person).questionnaires == ()


def test_an_unknown_instrument_is_a_404_with_suggestions(person):
    body = problem(person.post("/api/v1/questionnaires/fii", json=FFI), 404)
    assert "did you mean ffi" in body["detail"]
    assert (
        "did you mean faam" in problem(person.post("/api/v1/scores/fam", json=FAAM), 404)["detail"]
    )


def test_a_questionnaire_without_a_profile_is_a_404(web):
    assert problem(web.post("/api/v1/questionnaires/ffi", json=FFI), 404)
    assert problem(web.get("/api/v1/questionnaires"), 404)


def test_scores_are_computed_without_storing(person):
    response = person.post("/api/v1/scores/ffi", json=FFI)
    assert response.status_code == 200 and response.json() == FFI_SCORES
    ScoreDoc.model_validate(response.json())
    assert person.post("/api/v1/scores/faam", json=FAAM).json() == FAAM_SCORES
    assert diary(person).questionnaires == ()


def test_scores_need_no_profile(web):
    assert web.post("/api/v1/scores/ffi", json={"items": FFI["items"]}).json() == FFI_SCORES


@pytest.mark.parametrize(
    ("instrument", "body", "field"),
    [
        ("ffi", {"items": [0] * 22}, "items"),
        ("ffi", {**FFI, "date": "2026-11-23"}, "date"),
        ("ffi", {**FFI, "schema": "footcoach.faam-answers/1"}, "schema"),
        ("faam", {**FAAM, "adl": [*FAAM["adl"][:20], 5]}, "adl[20]"),
        ("faam", [], "(body)"),
    ],
)
def test_bad_answers_to_score_name_the_field(web, instrument, body, field):
    assert field in fields(web.post(f"/api/v1/scores/{instrument}", json=body))


# export and import ----------------------------------------------------------------------------


def test_export_answers_the_backup_document(person):
    person.post("/api/v1/checkins", json={"first_step_pain": 4})
    person.post("/api/v1/questionnaires/ffi", json=FFI)
    response = person.get("/api/v1/export")
    assert response.status_code == 200
    backup = BackupDoc.model_validate(response.json())
    assert backup.profile.name == "default"
    assert len(backup.checkins) == 1 and len(backup.questionnaires) == 1


def test_export_without_a_profile_is_a_404(web):
    assert problem(web.get("/api/v1/export"), 404)


@pytest.fixture
def other(database_url, clock):
    """A second app on the same database, acting for the profile 'other'."""
    settings = Settings(database_url=database_url, profile="other")
    services = build_services(settings, clock=clock)
    with TestClient(create_app(settings, services), base_url=LOCAL) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client
    services.close()


def test_export_then_import_loses_nothing(person, other):
    from footcoach.domain.changes import ChangeKind, ProgramChange

    person.post("/api/v1/checkins", json={"first_step_pain": 4})
    person.post("/api/v1/questionnaires/faam", json=FAAM)
    note = ProgramChange(
        kind=ChangeKind.NOTE,
        who="pt@clinic.example",
        role="clinician",
        when=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        why="So that you know.",
        starts=TODAY,
        note="Walk barefoot on the carpet only.",
    )
    person.services.prescriptions.change("default", note, 0)
    backup = person.get("/api/v1/export").json()
    assert [c["note"] for c in backup["program_changes"]] == [note.note]
    response = other.post("/api/v1/import", json=backup)
    assert response.status_code == 201 and response.headers["location"] == "/api/v1/profile"
    assert response.json() == {
        "profile": "other",
        "checkins": 1,
        "sessions": 0,
        "questionnaires": 1,
        "program_changes": 1,
    }
    restored = other.get("/api/v1/export").json()
    assert restored == {**backup, "profile": {**backup["profile"], "name": "other"}}
    trail = other.get("/api/v1/program/changes").json()
    assert trail["changes"] == backup["program_changes"]  # the audit trail, as it was


def test_a_backup_whose_changes_are_out_of_order_is_refused_whole(person, other):
    backup = person.get("/api/v1/export").json()
    record = {
        "version": 2,
        "kind": "note",
        "exercise": None,
        "to": None,
        "dose": None,
        "note": "Rest on Sundays.",
        "why": "",
        "starts_on": "2026-11-23",
        "who": "you",
        "role": "physio",
        "at": "2026-11-23T09:00:00+00:00",
        "summary": "anything",
    }
    found = fields(other.post("/api/v1/import", json={**backup, "program_changes": [record]}))
    assert set(found) >= {
        "program_changes.0.version",
        "program_changes.0.why",
        "program_changes.0.role",
    }
    assert other.get("/api/v1/export").status_code == 404  # nothing was written


def test_import_into_a_profile_with_data_is_a_conflict(person):
    person.post("/api/v1/checkins", json={"first_step_pain": 4})
    backup = person.get("/api/v1/export").json()
    backup["checkins"] = [{"date": "2026-11-22", "first_step_pain": 7}]
    body = problem(person.post("/api/v1/import", json=backup), 409)
    assert body["type"] == "/problems/conflict"
    assert [c.first_step_pain for c in diary(person).checkins] == [4]


def test_import_into_an_empty_profile_replaces_it(person):
    backup = person.get("/api/v1/export").json()
    backup["profile"]["weeks"] = 8
    backup["checkins"] = [{"date": "2026-11-23", "first_step_pain": 7}]
    assert person.post("/api/v1/import", json=backup).status_code == 201
    assert person.get("/api/v1/profile").json()["weeks"] == 8


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"schema": "footcoach.backup/2"}, "schema"),
        (
            {"checkins": [{"date": "2026-11-23", "first_step_pain": 11}]},
            "checkins.0.first_step_pain",
        ),
        ({"protocol": "nope"}, "profile.protocol"),
    ],
)
def test_a_bad_backup_is_a_422_and_writes_nothing(person, other, change, field):
    backup = person.get("/api/v1/export").json()
    if "protocol" in change:
        backup["profile"]["protocol"] = change["protocol"]
    else:
        backup.update(change)
    assert field in fields(other.post("/api/v1/import", json=backup))
    assert other.services.tracking.profiles() == ["default"]


def test_import_refuses_a_body_that_is_not_an_object(web):
    assert list(fields(web.post("/api/v1/import", json="backup"))) == ["(body)"]
    assert web.services.tracking.profiles() == []
