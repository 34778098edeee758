"""The JSON API as a whole: problem+json errors, JSON bodies, and the OpenAPI document.

The helpers here (problem, fields) are shared by test_api_*.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
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
    ("PUT", "/api/v1/checkins/{date}"): ("200", True),
    ("GET", "/api/v1/questionnaires"): ("200", False),
    ("POST", "/api/v1/questionnaires/ffi"): ("201", True),
    ("POST", "/api/v1/questionnaires/faam"): ("201", True),
    ("POST", "/api/v1/scores/ffi"): ("200", True),
    ("POST", "/api/v1/scores/faam"): ("200", True),
    ("GET", "/api/v1/export"): ("200", False),
    ("POST", "/api/v1/import"): ("201", True),
}


CATCH_ALLS = {"/api/v1/questionnaires/{instrument}", "/api/v1/scores/{instrument}"}
"""Hidden routes: any instrument but those documented one by one gets a 404 naming them."""


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


def api_routes(app) -> list[tuple[str, set[str], bool]]:
    """(path, methods, shown in OpenAPI) of every /api/v1 route, read from app.routes."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.13x lists included routes flat
        contexts = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    return [
        (c.path, set(c.methods), c.include_in_schema)
        for c in contexts
        if isinstance(getattr(c, "original_route", c), APIRoute) and c.path.startswith("/api/v1")
    ]


# OpenAPI --------------------------------------------------------------------------------------


def test_openapi_lists_every_api_route_the_app_has(web):
    document = web.get("/openapi.json").json()
    routes = api_routes(web.app)
    assert {path for path, _, _ in routes} >= {path for _, path in OWN_OPERATIONS}
    for path, methods, shown in routes:
        if path in CATCH_ALLS:
            assert not shown, f"{path} is documented per instrument, not as a catch-all"
            continue
        assert shown, f"{path} is hidden from OpenAPI"
        for method in methods:
            assert method.lower() in document["paths"].get(path, {}), (method, path)


def test_every_api_operation_declares_its_success_schema(web):
    """Each success says its media type; every JSON one (FHIR's too) its schema."""
    document = web.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, (method, path)
            for code in ok:
                content = operation["responses"][code]["content"]
                assert content, (method, path, code)
                for media, described in content.items():
                    if media == "application/json" or media.endswith("+json"):
                        assert described["schema"], (method, path, code, media)


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


def test_docs_describe_every_own_operation():
    documented = re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`]+)`", API_DOC.read_text())
    for method, path in OWN_OPERATIONS:
        pattern = re.sub(r"\\\{[^}]+\\\}", r"\\{[^}]+\\}", re.escape(path))
        assert any(m == method and re.fullmatch(pattern, p) for m, p in documented), (method, path)


# Problems -------------------------------------------------------------------------------------


class ProbeBody(BaseModel):
    first_step_pain: int = Field(ge=0, le=10)


def _probe(body: ProbeBody, limit: int = 1) -> dict:
    """A route that lets FastAPI validate its body and query (added to the app by a test)."""
    return {}


@pytest.mark.parametrize(
    ("content", "allowed"),
    [
        (b"", "the body is empty"),
        (b"{bad", "valid JSON (line 1, column 2"),
        (b"[1, 2]", "a JSON object"),
        (b"\xff\xfe", "valid JSON"),
        (b'{"first_step_pain": NaN}', "NaN is not a JSON number"),
        (b'{"first_step_pain": 1e999}', "1e999 is not a JSON number"),
        (b"[" * 20_000 + b"]" * 20_000, "nested too deeply"),
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
    web.app.add_api_route("/api/v1/probe", _probe, methods=["POST"])
    response = web.post("/api/v1/probe?limit=x", json={"first_step_pain": 11})
    found = fields(response)
    assert set(found) == {"first_step_pain", "limit"}
    assert found["first_step_pain"]["value"] == 11
    assert fields(web.post("/api/v1/probe", json=[]))["(body)"]


def test_fastapi_json_syntax_errors_name_the_body(web):
    web.app.add_api_route("/api/v1/probe", _probe, methods=["POST"])
    response = web.post(
        "/api/v1/probe", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert set(fields(response)) == {"(body)"}
