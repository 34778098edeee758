"""The server does what /openapi.json says (issue #16, item 10): whole numbers written 8.0,
HEAD wherever GET works, Allow on every 405, one body per questionnaire, the rules between
fields, and every problem an operation can answer declared."""

from __future__ import annotations

import jsonschema_rs
import pytest

from footcoach.domain.accounts import Role
from tests.web.multi_user import multi_fixture  # noqa: F401
from tests.web.test_api import PROBLEM_JSON, fields, problem
from tests.web.test_api_sessions import start

FFI = {"items": [5] * 23}
FAAM = {"adl": [3] * 21, "sports": [2] * 8}


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


# Whole numbers ------------------------------------------------------------------------------


def test_a_whole_number_written_with_a_fraction_is_that_number(person):
    session = start(person)
    finished = person.post(
        f"/api/v1/sessions/{session['id']}/finish",
        json={"completed": True, "pain_during": 2.0, "effort": 8.0},
    )
    assert finished.status_code == 200, finished.text
    assert (finished.json()["pain_during"], finished.json()["effort"]) == (2, 8)
    checkin = person.post("/api/v1/checkins", json={"first_step_pain": 3e0})
    assert checkin.status_code == 201, checkin.text
    assert checkin.json()["first_step_pain"] == 3


def test_a_number_with_a_fraction_is_still_refused_where_a_whole_one_is_asked(person):
    found = fields(person.post("/api/v1/checkins", json={"first_step_pain": 3.5}))
    assert found["first_step_pain"]["value"] == 3.5
    assert "whole number" in found["first_step_pain"]["allowed"]


# Methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/today", "/welcome", "/library", "/api/v1/exercises", "/sw.js"])
def test_head_answers_wherever_get_does_without_a_body(person, path):
    got = person.get(path)
    head = person.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_head_on_a_static_file_too(person):
    head = person.head("/static/pwa.js")
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("TRACE", "/api/v1/preferences", "GET, HEAD"),
        ("DELETE", "/api/v1/profile", "GET, HEAD, PUT"),  # two routes share the path
        ("TRACE", "/api/v1/checkins", "POST"),
        ("PUT", "/today", "GET, HEAD"),
        ("POST", "/static/pwa.js", "GET, HEAD"),
    ],
)
def test_every_405_says_which_methods_the_path_has(person, method, path, allow):
    answer = person.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow


# The description ----------------------------------------------------------------------------


def test_each_questionnaire_is_its_own_operation_with_its_own_body(web):
    paths = web.get("/openapi.json").json()["paths"]
    assert "/api/v1/questionnaires/{instrument}" not in paths
    assert "/api/v1/scores/{instrument}" not in paths
    for kind in ("questionnaires", "scores"):
        ffi = paths[f"/api/v1/{kind}/ffi"]["post"]["requestBody"]["content"]
        faam = paths[f"/api/v1/{kind}/faam"]["post"]["requestBody"]["content"]
        ffi_fields = set(ffi["application/json"]["schema"]["properties"])
        faam_fields = set(faam["application/json"]["schema"]["properties"])
        assert "items" in ffi_fields and not {"adl", "sports"} & ffi_fields
        assert {"adl", "sports"} <= faam_fields and "items" not in faam_fields


def test_the_faam_shape_sent_as_an_ffi_is_refused_and_other_names_are_404(person):
    assert set(fields(person.post("/api/v1/questionnaires/ffi", json=FAAM))) >= {"adl", "items"}
    assert person.post("/api/v1/scores/faam", json=FAAM).status_code == 200
    assert "did you mean" in problem(person.post("/api/v1/scores/fam", json=FAAM), 404)["detail"]


def test_the_rule_between_goal_and_pain_site_is_in_the_schema(web, intake_doc):
    paths = web.get("/openapi.json").json()["paths"]
    schema = paths["/api/v1/screen"]["post"]["requestBody"]["content"]["application/json"]
    (rule,) = schema["schema"]["allOf"]
    assert rule["if"]["properties"]["goal"] == {"const": "heel_pain"}
    assert rule["then"]["properties"]["pain_site"] == {"minItems": 1}
    refused = fields(web.post("/api/v1/screen", json={**intake_doc, "pain_site": []}))
    assert "when the goal is heel_pain" in refused["pain_site"]["allowed"]
    bed = schema["schema"]["properties"]["bed_time"]["description"]
    assert "wake_time" in bed


def test_every_operation_declares_the_problems_around_it(web):
    document = web.get("/openapi.json").json()
    for method, path, operation in _operations(document):
        if not path.startswith("/api/v1"):
            continue
        answers = operation["responses"]
        assert "401" in answers, (method, path)
        assert list(answers["401"]["content"]) == [PROBLEM_JSON]
        if method in ("POST", "PUT"):
            assert {"403", "413"} <= set(answers), (method, path)
    paths = document["paths"]
    assert "403" in paths["/api/v1/preferences"]["get"]["responses"]
    assert "403" in paths["/api/v1/today"]["get"]["responses"]
    assert "403" not in paths["/api/v1/exercises"]["get"]["responses"]
    assert "429" in paths["/api/v1/import"]["post"]["responses"]
    assert "404" in paths["/api/v1/clinic/people"]["get"]["responses"]


def test_a_clinician_gets_the_403_the_preferences_operation_declares(multi):
    clinician = multi.actor("doc@example.org", Role.CLINICIAN)
    answer = clinician.client.get("/api/v1/preferences")
    problem(answer, 403)
    declared = clinician.client.get("/openapi.json").json()["paths"]["/api/v1/preferences"]
    assert "403" in declared["get"]["responses"]


def _request_schema(client, method: str, path: str) -> dict:
    operation = client.get("/openapi.json").json()["paths"][path][method]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def test_the_ffi_operations_schema_refuses_the_faam_shape_and_the_server_agrees(person):
    for kind, extra in (("questionnaires", {}), ("scores", {"schema": "footcoach.ffi-answers/1"})):
        ffi = jsonschema_rs.validator_for(_request_schema(person, "post", f"/api/v1/{kind}/ffi"))
        faam = jsonschema_rs.validator_for(_request_schema(person, "post", f"/api/v1/{kind}/faam"))
        assert ffi.is_valid({**FFI, **extra}) and not ffi.is_valid(FAAM)
        assert not faam.is_valid({**FFI, **extra})
        assert person.post(f"/api/v1/{kind}/ffi", json=FAAM).status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "note", "to": "towel-curl"}, "to"),  # a note swaps nothing
        ({"kind": "note", "note": None}, "note"),  # a note has its text
        ({"kind": "dose", "exercise": "plantar-fascia-stretch"}, "dose"),  # and a dose its dose
        ({"kind": "note", "note": "   "}, "note"),  # text with no character but spaces
    ],
)
def test_the_rules_between_a_changes_fields_are_in_its_schema(person, change, field):
    body = {"kind": "note", "note": "Busy week.", "why": "Travel.", "based_on_version": 0}
    body.update(change)
    schema = jsonschema_rs.validator_for(_request_schema(person, "post", "/api/v1/program/changes"))
    assert schema.is_valid({**body, **{"kind": "note", "note": "Busy week.", "to": None}})
    assert not schema.is_valid(body)
    refused = person.post("/api/v1/program/changes", json=body)
    assert refused.status_code == 422, refused.text
    assert field in fields(refused)


def test_a_date_sent_as_a_number_is_refused_as_the_schema_says(person):
    """Pydantic alone reads 20261123 as seconds since 1970; `format: date` is text."""
    found = fields(person.post("/api/v1/checkins", json={"date": 1795000000, "first_step_pain": 3}))
    assert found["date"]["value"] == 1795000000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"main_pain_site": {}}, "main_pain_site"),
        ({"pain_site": [{}], "main_pain_site": "arch"}, "pain_site[0]"),
    ],
)
def test_an_object_where_a_site_is_asked_is_refused_not_a_server_error(
    web, intake_doc, change, field
):
    """Found by schemathesis: the rule between the two fields hashed what it was sent (500)."""
    refused = fields(web.post("/api/v1/screen", json={**intake_doc, **change}))
    assert refused[field]["value"] == {}
