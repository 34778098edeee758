"""The JSON API as a whole: problem+json errors, JSON bodies, and the OpenAPI document.

The helpers here (problem, fields) are shared by test_api_*.py.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"
METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}

# the operations of web/routes/api_*.py, with their success status and whether they take a body
OWN_OPERATIONS = {
    ("GET", "/api/v1/exercises"): ("200", False),
    ("GET", "/api/v1/exercises/{exercise_id}"): ("200", False),
    ("GET", "/api/v1/sources"): ("200", False),
    ("GET", "/api/v1/conflicts"): ("200", False),
    ("GET", "/api/v1/protocols"): ("200", False),
    ("GET", "/api/v1/protocols/{protocol_id}"): ("200", False),
    ("POST", "/api/v1/screen"): ("200", True),
    ("POST", "/api/v1/plan"): ("200", True),
    ("GET", "/api/v1/profile"): ("200", False),
    ("PUT", "/api/v1/profile"): ("201", True),
    ("GET", "/api/v1/program"): ("200", False),
    ("GET", "/api/v1/today"): ("200", False),
    ("POST", "/api/v1/checkins"): ("201", True),
    ("GET", "/api/v1/questionnaires"): ("200", False),
    ("POST", "/api/v1/questionnaires/{instrument}"): ("201", True),
    ("POST", "/api/v1/scores/{instrument}"): ("200", True),
    ("GET", "/api/v1/export"): ("200", False),
    ("POST", "/api/v1/import"): ("201", True),
}


def problem(response, status: int) -> dict:
    """The problem+json body of an error answer, checked for its shape (RFC 9457)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"] and body["detail"]
    if status == 422:
        assert body["errors"], "invalid input must list its faults"
        for error in body["errors"]:
            assert set(error) == {"field", "value", "allowed"}
            assert error["field"] and error["allowed"]
    return body


def fields(response) -> dict[str, dict]:
    """A 422's faults by field name."""
    return {e["field"]: e for e in problem(response, 422)["errors"]}


def api_routes(app) -> list[APIRoute]:
    return [r for r in app.routes if isinstance(r, APIRoute) and r.path.startswith("/api/v1")]


# OpenAPI --------------------------------------------------------------------------------------


def test_openapi_lists_every_api_route_the_app_has(web):
    document = web.get("/openapi.json").json()
    routes = api_routes(web.app)
    assert routes, "the app has no /api/v1 routes"
    for route in routes:
        assert route.include_in_schema, f"{route.path} is hidden from OpenAPI"
        for method in route.methods:
            assert method.lower() in document["paths"].get(route.path, {}), (method, route.path)


def test_every_api_operation_declares_its_success_schema(web):
    document = web.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, (method, path)
            for code in ok:
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema, (method, path, code)


def test_own_operations_declare_bodies_and_problems(web):
    document = web.get("/openapi.json").json()
    for (method, path), (status, takes_body) in OWN_OPERATIONS.items():
        operation = document["paths"][path][method.lower()]
        assert status in operation["responses"], (method, path)
        if takes_body:
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body.get("properties") or body.get("oneOf"), (method, path)
        errors = {c: r for c, r in operation["responses"].items() if c.startswith("4")}
        assert "4XX" in errors, (method, path)
        for code, answer in errors.items():
            assert list(answer["content"]) == [PROBLEM_JSON], (method, path, code)
        assert "$defs" not in str(operation)


def test_request_schemas_come_from_footcoachs_models(web):
    paths = web.get("/openapi.json").json()["paths"]
    intake = paths["/api/v1/screen"]["post"]["requestBody"]["content"]["application/json"]
    assert intake["schema"]["properties"]["schema"]["const"] == "footcoach.intake/1"
    assert intake["schema"]["additionalProperties"] is False
    plan = paths["/api/v1/plan"]["post"]["requestBody"]["content"]["application/json"]
    assert plan["schema"]["required"] == ["intake"]
    program = paths["/api/v1/plan"]["post"]["responses"]["200"]["content"]["application/json"]
    assert program["schema"] == {"$ref": "#/components/schemas/ProgramDoc"}


# Problems -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "allowed"),
    [
        (b"", "the body is empty"),
        (b"{bad", "valid JSON (line 1, column 2"),
        (b"[1, 2]", "a JSON object"),
        (b"\xff\xfe", "valid JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_named_as_the_body(web, content, allowed):
    response = web.post(
        "/api/v1/checkins", content=content, headers={"content-type": "application/json"}
    )
    error = fields(response)["(body)"]
    assert allowed in error["allowed"]
    assert web.services.tracking.profiles() == []


def test_unknown_api_paths_and_methods_answer_problems(web):
    assert problem(web.get("/api/v1/exercises/x/y"), 404)["title"] == "Not found"
    assert problem(web.delete("/api/v1/exercises"), 405)["title"] == "Method not allowed"


def test_fastapi_validation_errors_name_plain_fields(web):
    """Routes that let FastAPI validate still answer problem+json with plain field names."""

    class Body(BaseModel):
        first_step_pain: int = Field(ge=0, le=10)

    def probe(body: Body, limit: int = 1) -> dict:
        return {}

    web.app.add_api_route("/api/v1/probe", probe, methods=["POST"])
    response = web.post("/api/v1/probe?limit=x", json={"first_step_pain": 11})
    found = fields(response)
    assert set(found) == {"first_step_pain", "limit"}
    assert found["first_step_pain"]["value"] == 11
    assert fields(web.post("/api/v1/probe", json=[]))["(body)"]


@pytest.mark.xfail(reason="web/problems.py names a JSON syntax error by its character position")
def test_fastapi_json_syntax_errors_name_the_body(web):
    class Body(BaseModel):
        first_step_pain: int

    def probe(body: Body) -> dict:
        return {}

    web.app.add_api_route("/api/v1/probe", probe, methods=["POST"])
    response = web.post("/api/v1/probe", content=b"{bad", headers={"content-type": "application/json"})
    assert set(fields(response)) == {"(body)"}
