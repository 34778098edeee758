"""GET /api/v1/progress: the footcoach.progress/1 document, as `footcoach progress --json`."""

from __future__ import annotations

from datetime import timedelta

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.schemas.intake import parse_intake
from footcoach.services.progress import progress_document, progress_for
from footcoach.web.routes.api_progress import ProgressDoc
from tests.web.conftest import TODAY
from tests.web.test_api import PROBLEM_JSON, fields, problem

START = TODAY - timedelta(days=10)


def test_without_a_profile_it_is_a_no_profile_problem(web):
    body = problem(web.get("/api/v1/progress"), 404)
    assert body["type"] == "/problems/no-profile"


def test_an_empty_diary_answers_a_valid_document(person):
    response = person.get("/api/v1/progress")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    ProgressDoc.model_validate(document)
    assert document["schema"] == "footcoach.progress/1"
    assert document["profile"] == "default" and document["date"] == TODAY.isoformat()
    assert document["adherence"] == {"done": 0, "planned": 0, "share": None}
    assert document["first_step_pain"] == {
        "baseline": 6,
        "latest_mean_7d": None,
        "change": None,
        "verdict": None,
        "days": [],
    }
    assert document["ffi"] == [] and document["faam"] == []
    assert document["phase"] == "calm"
    assert document["adjustment"] is None and document["clinician_prompt"] is None


def test_the_document_is_the_services_and_a_date_leaves_later_records_out(web, intake_doc):
    tracking = web.services.tracking
    tracking.init("default", parse_intake(intake_doc), start=START)
    for n in range(10):
        tracking.checkin("default", 6 - n // 2, START + timedelta(days=n))
    tracking.record_questionnaire(
        "default", QuestionnaireResponse(Instrument.FFI, START, (6,) * 23)
    )
    tracking.record_questionnaire(
        "default", QuestionnaireResponse(Instrument.FFI, TODAY - timedelta(days=1), (3,) * 23)
    )
    tracking.record_questionnaire(
        "default", QuestionnaireResponse(Instrument.FAAM, START, (2,) * 21, (None,) * 8)
    )
    document = web.get("/api/v1/progress").json()
    ProgressDoc.model_validate(document)
    assert document == progress_document(progress_for(tracking, "default"))
    assert len(document["first_step_pain"]["days"]) == 10
    assert document["first_step_pain"]["verdict"] == "improved"
    latest = document["ffi"][-1]
    assert latest["total"] == 30.0
    assert latest["change_from_first"]["total"] == {
        "difference": -30.0,
        "direction": "better",
        "mid": 7.0,
        "meaningful": True,
    }
    assert document["faam"][0]["sports"] is None

    earlier = START + timedelta(days=3)
    then = web.get("/api/v1/progress", params={"date": earlier.isoformat()}).json()
    ProgressDoc.model_validate(then)
    assert then["date"] == earlier.isoformat()
    assert len(then["first_step_pain"]["days"]) == 4
    assert len(then["ffi"]) == 1 and len(then["faam"]) == 1
    assert then == progress_document(progress_for(tracking, "default", earlier))


def test_a_bad_date_is_named(person):
    for bad in ("2026-13-01", "yesterday", ""):
        error = fields(person.get("/api/v1/progress", params={"date": bad}))["date"]
        assert error["value"] == bad and error["allowed"] == "a date as YYYY-MM-DD"


def test_openapi_describes_the_answer_and_its_problems(web):
    document = web.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/progress"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ProgressDoc"}
    schema = document["components"]["schemas"]["ProgressDoc"]
    assert set(schema["required"]) >= {
        "schema",
        "profile",
        "date",
        "adherence",
        "streak_days",
        "first_step_pain",
        "ffi",
        "faam",
        "phase",
        "adjustment",
        "clinician_prompt",
    }
    assert schema["properties"]["schema"]["const"] == "footcoach.progress/1"
    for status in ("404", "422", "4XX"):
        assert list(operation["responses"][status]["content"]) == [PROBLEM_JSON]
    [parameter] = operation["parameters"]
    assert parameter["name"] == "date" and parameter["in"] == "query"
    assert not parameter.get("required", False)


def test_the_progress_endpoint_is_documented():
    from tests.web.test_api import API_DOC

    text = API_DOC.read_text()
    assert "## Progress" in text and "`GET /api/v1/progress`" in text
