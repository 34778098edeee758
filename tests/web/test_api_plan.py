"""JSON API, planning: screen, plan, profile, program."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from footcoach.cli.app import app as cli
from footcoach.schemas.backup import BackupProfileDoc as ProfileDoc
from footcoach.schemas.intake import parse_intake
from footcoach.schemas.program import ProgramDoc
from footcoach.services.documents import intake_document
from footcoach.web.routes.api_plan import ScreenDoc
from tests.web.conftest import EXAMPLES, TODAY
from tests.web.test_api import fields, problem


@pytest.fixture
def refer_doc() -> dict:
    return json.loads((EXAMPLES / "intake-refer.json").read_text())


@pytest.fixture
def history_doc() -> dict:
    return json.loads((EXAMPLES / "history.json").read_text())


# screen ---------------------------------------------------------------------------------------


def test_screen_lets_a_plain_intake_through(web, intake_doc):
    response = web.post("/api/v1/screen", json=intake_doc)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "referral": None}


def test_screen_refers_on_a_red_flag_and_stores_nothing(web, refer_doc):
    body = ScreenDoc.model_validate(web.post("/api/v1/screen", json=refer_doc).json())
    assert body.status == "refer" and body.referral is not None
    assert body.referral.urgency == "soon"
    assert [r.flag for r in body.referral.reasons] == ["numbness_tingling"]
    assert web.services.tracking.profiles() == []


def test_screen_reports_every_fault_of_the_intake(web, intake_doc):
    bad = {**intake_doc, "age": 200, "feet": "lefty", "colour": "blue"}
    del bad["goal"]
    found = fields(web.post("/api/v1/screen", json=bad))
    assert set(found) == {"age", "feet", "goal", "colour"}
    assert found["age"] == {"field": "age", "value": 200, "allowed": "a whole number from 1 to 120"}
    assert "did you mean left" in found["feet"]["allowed"]
    assert found["goal"]["value"] is None


def test_screen_names_bad_new_intake_fields(web, intake_doc):
    bad = {
        **intake_doc,
        "pregnant": "no",
        "steroid_injection_weeks_ago": 521,
        "main_pain_site": "calf",
    }
    response = web.post("/api/v1/screen", json=bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    found = fields(response)
    assert set(found) == {"pregnant", "steroid_injection_weeks_ago", "main_pain_site"}
    assert found["steroid_injection_weeks_ago"] == {
        "field": "steroid_injection_weeks_ago",
        "value": 521,
        "allowed": "a whole number from 0 to 520, or null",
    }
    assert found["pregnant"]["allowed"] == "true or false"
    assert "plantar_heel, arch" in found["main_pain_site"]["allowed"]


@pytest.mark.parametrize(
    ("changes", "urgency", "flag"),
    [
        ({"red_flags": ["calf_swollen_warm_or_tender"]}, "urgent", "calf_swollen_warm_or_tender"),
        (
            {"red_flags": ["calf_pain_walking_eases_at_rest"]},
            "soon",
            "calf_pain_walking_eases_at_rest",
        ),
        ({"main_pain_site": "arch"}, "soon", "main_pain_site:arch"),
    ],
)
def test_screen_refers_on_the_new_questions(web, intake_doc, changes, urgency, flag):
    body = ScreenDoc.model_validate(web.post("/api/v1/screen", json=intake_doc | changes).json())
    assert body.referral is not None and body.referral.urgency == urgency
    assert [r.flag for r in body.referral.reasons] == [flag]


def test_screen_refuses_a_body_that_is_not_an_object(web):
    assert set(fields(web.post("/api/v1/screen", json=[1]))) == {"(body)"}


# plan -----------------------------------------------------------------------------------------


def test_plan_answers_a_program_document(web, intake_doc):
    response = web.post("/api/v1/plan", json={"intake": intake_doc, "start": "2026-11-30"})
    assert response.status_code == 200
    program = ProgramDoc.model_validate(response.json())
    assert program.status == "ok" and program.protocol == "footcoach"
    assert str(program.weeks[0].days[0].date) == "2026-11-30"
    assert web.services.tracking.profiles() == []


def test_the_same_intake_gives_byte_identical_program_json(web, intake_doc):
    body = {"intake": intake_doc, "start": "2026-11-23"}
    first = web.post("/api/v1/plan", json=body)
    second = web.post("/api/v1/plan", json=body)
    assert first.status_code == 200 and first.content == second.content


def test_plan_starts_today_by_default(web, intake_doc):
    program = web.post("/api/v1/plan", json={"intake": intake_doc}).json()
    assert program["weeks"][0]["days"][0]["date"] == TODAY.isoformat()


def test_plan_answers_what_the_command_line_prints(web, intake_doc, history_doc, tmp_path):
    (tmp_path / "intake.json").write_text(json.dumps(intake_doc))
    (tmp_path / "history.json").write_text(json.dumps(history_doc))
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "--intake",
            str(tmp_path / "intake.json"),
            "--history",
            str(tmp_path / "history.json"),
            "--protocol",
            "high-load-strength",
            "--start",
            "2026-11-23",
            "--weeks",
            "4",
            "--json",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    body = {
        "intake": intake_doc,
        "history": history_doc,
        "protocol": "high-load-strength",
        "start": "2026-11-23",
        "weeks": 4,
    }
    program = web.post("/api/v1/plan", json=body).json()
    assert program == json.loads(result.stdout)
    assert program["adjustment"] is not None and len(program["weeks"]) == 4


def test_plan_refers_instead_of_planning(web, refer_doc):
    program = ProgramDoc.model_validate(web.post("/api/v1/plan", json={"intake": refer_doc}).json())
    assert program.status == "refer" and program.weeks == [] and program.referral is not None


def test_plan_reports_every_fault_at_once(web, intake_doc):
    body = {
        "intake": {**intake_doc, "age": 0},
        "history": {
            "schema": "footcoach.history/1",
            "entries": [{"date": "x", "first_step_pain": 11}],
        },
        "protocol": "high-load",
        "start": "2026-13-01",
        "weeks": 99,
        "colour": "blue",
    }
    found = fields(web.post("/api/v1/plan", json=body))
    assert set(found) == {
        "intake.age",
        "history.entries[0].date",
        "history.entries[0].first_step_pain",
        "protocol",
        "start",
        "weeks",
        "colour",
    }
    assert found["history.entries[0].first_step_pain"]["allowed"] == "a whole number from 0 to 10"
    assert found["protocol"]["allowed"].startswith("did you mean high-load-strength? allowed: ")
    assert found["start"] == {
        "field": "start",
        "value": "2026-13-01",
        "allowed": "a date as YYYY-MM-DD",
    }
    assert found["weeks"]["allowed"] == "a whole number from 1 to 52"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "intake"),
        ({"intake": []}, "intake"),
        ({"intake": None}, "intake"),
        ({"intake": "x", "weeks": True}, "weeks"),
        ({"intake": "x", "protocol": 3}, "protocol"),
    ],
)
def test_plan_names_a_missing_or_malformed_part(web, body, field):
    assert field in fields(web.post("/api/v1/plan", json=body))


# profile --------------------------------------------------------------------------------------


def test_no_profile_is_a_404_problem(web):
    for path in ("/api/v1/profile", "/api/v1/program"):
        assert problem(web.get(path), 404)["type"] == "/problems/no-profile"


def test_get_profile_answers_the_stored_profile(person, intake_doc):
    response = person.get("/api/v1/profile")
    assert response.status_code == 200
    profile = ProfileDoc.model_validate(response.json())
    assert profile.name == "default" and profile.protocol == "footcoach"
    assert profile.start == TODAY and profile.weeks == 12
    assert response.json()["intake"] == intake_document(parse_intake(intake_doc))
    assert response.json()["preferences"] == {"voice": True, "large_text": False}


def test_put_profile_creates_the_profile_and_answers_its_program(web, intake_doc):
    body = {**intake_doc, "protocol": "high-load-strength", "start": "2026-11-30", "weeks": 6}
    response = web.put("/api/v1/profile", json=body)
    assert response.status_code == 201 and response.headers["location"] == "/api/v1/program"
    program = ProgramDoc.model_validate(response.json())
    assert program.protocol == "high-load-strength" and len(program.weeks) == 6
    profile = web.get("/api/v1/profile").json()
    assert (profile["protocol"], profile["start"], profile["weeks"]) == (
        "high-load-strength",
        "2026-11-30",
        6,
    )
    assert web.get("/api/v1/program").content == response.content


def test_put_profile_twice_is_a_conflict_unless_replacing(person, intake_doc):
    body = problem(person.put("/api/v1/profile", json={**intake_doc, "age": 50}), 409)
    assert body["errors"][0]["field"] == "replace"
    assert person.get("/api/v1/profile").json()["intake"]["age"] == intake_doc["age"]
    replaced = person.put("/api/v1/profile", json={**intake_doc, "age": 50, "replace": True})
    assert replaced.status_code == 200
    assert person.get("/api/v1/profile").json()["intake"]["age"] == 50


def test_put_profile_with_a_referral_answers_200_and_stores_nothing(web, refer_doc):
    response = web.put("/api/v1/profile", json=refer_doc)
    assert response.status_code == 200 and response.json()["status"] == "refer"
    assert web.services.tracking.profiles() == []


def test_a_referral_on_an_existing_profile_pauses_its_program(person, refer_doc):
    response = person.put("/api/v1/profile", json={**refer_doc, "replace": True})
    assert response.status_code == 200 and response.json()["status"] == "refer"
    assert person.get("/api/v1/profile").json()["intake"]["red_flags"] == refer_doc["red_flags"]
    today = person.get("/api/v1/today").json()
    assert today["referral"]["urgency"] == "soon" and today["sessions"] == []


def test_put_profile_reports_every_fault_and_writes_nothing(web, intake_doc):
    body = {
        **intake_doc,
        "first_step_pain": 12,
        "protocol": "nope",
        "start": 20261123,
        "weeks": 0,
        "replace": "yes",
        "nickname": "me",
    }
    found = fields(web.put("/api/v1/profile", json=body))
    assert set(found) == {"first_step_pain", "protocol", "start", "weeks", "replace", "nickname"}
    assert "protocol" in found["nickname"]["allowed"]  # the options are among the fields named
    assert web.services.tracking.profiles() == []


def test_program_is_the_stored_profiles_and_stable(person):
    first = person.get("/api/v1/program")
    assert first.status_code == 200
    program = ProgramDoc.model_validate(first.json())
    assert str(program.weeks[0].days[0].date) == TODAY.isoformat()
    assert person.get("/api/v1/program").content == first.content
