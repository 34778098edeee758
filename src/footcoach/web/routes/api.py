"""What the JSON API's routers share: JSON bodies read by footcoach's own parsers, problem+json
answers, and the OpenAPI declarations of both.

The routes live in api_catalog (exercises, sources, conflicts, protocols), api_plan (screen,
plan, profile, program) and api_diary (today, check-ins, questionnaires, scores, backups).
Request bodies are read as raw JSON and validated by the same parsers as the command line, so
the messages match; the pydantic models of footcoach.schemas only describe them in OpenAPI.
Successful answers are the documents of footcoach.services.documents, sent as they are built.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from footcoach.domain.errors import InvalidInputError, Problem, UnknownIdError
from footcoach.web.problems import PROBLEM_JSON, problem, problem_errors

R = TypeVar("R")

PREFIX = "/api/v1"
BODY = "(body)"
"""The field name of a whole request body, as web.problems names it."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The problem format (RFC 9457) -------------------------------------------------------------


class ProblemErrorDoc(Strict):
    field: str = Field(description="where: a field, a query parameter, or (body) for the whole")
    value: Any = Field(description="what was sent (null when it was missing)")
    allowed: str = Field(description="what is allowed there")


class ProblemDoc(Strict):
    """An error, as application/problem+json (RFC 9457)."""

    type: str = Field(description="/problems/invalid-input, /problems/conflict, ...")
    title: str
    status: int
    detail: str
    errors: list[ProblemErrorDoc] | None = Field(
        None, description="with invalid input: one entry per fault"
    )


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema with every $ref replaced by its definition, to embed anywhere."""
    schema = model.model_json_schema(by_alias=True)
    definitions = schema.pop("$defs", {})

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: expand(v) for k, v in node.items() if k != "$ref"}
                return {**expand(definitions[ref.removeprefix("#/$defs/")]), **rest}
            return {k: expand(v) for k, v in node.items()}
        if isinstance(node, list):
            return [expand(v) for v in node]
        return node

    expanded: dict[str, Any] = expand(schema)
    return expanded


_PROBLEM_SCHEMA = inline_schema(ProblemDoc)
_MEANINGS = {
    404: "Nothing by that id, or no profile yet",
    409: "Conflicts with what is stored; nothing was written",
    422: "Invalid input, one entry in errors per fault; nothing was written",
    429: "Too many imports or exports at once (yours, or the server's); try again after "
    "Retry-After seconds",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, and for any other client error (such as
    405), each an application/problem+json body."""
    meanings: dict[int | str, str] = {s: _MEANINGS[s] for s in statuses}
    meanings["4XX"] = "Any other client error, such as 405 for a method the path does not have"
    return {
        status: {"description": text, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}
        for status, text in meanings.items()
    }


_UNAUTHENTICATED = (
    "Multi-user mode: no login (no session cookie, no valid API token); with "
    "WWW-Authenticate: Bearer"
)
_ROLE = "Multi-user mode: not for this account's role (a person's data, or a clinician's tools)"
_UNSAFE = (
    "A missing or wrong CSRF token (multi-user mode, with the session cookie), or a request "
    "the browser marks as sent from another site"
)
_NO_CLINIC = (
    "Local mode: it has no accounts, so no clinic; multi-user mode: a person the clinician is "
    "not linked to, as for an id nobody has"
)
_TOO_LARGE = "The body is larger than this operation takes; it was not read past the limit"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def declare_problems(router: APIRouter) -> None:
    """Declare on each /api route of the router the problems that come from around its own
    code: 401 without a login (multi-user mode), 403 where the route is for one role only or
    takes an unsafe method (CSRF, cross-site), 413 where it takes a body, 429 where it holds a
    heavy slot, and any other 4xx. What a route declares itself is kept."""
    from footcoach.web import auth, deps, heavy

    role_checks = {deps.get_profile, auth.person_profile, auth.require_clinician}
    clinic_only = {auth.require_clinician, auth.linked_person}
    role_checks |= clinic_only
    for route in router.routes:
        if not isinstance(route, APIRoute) or not route.path.startswith(PREFIX):
            continue
        calls = _calls(route.dependant)
        unsafe = bool(set(route.methods or ()) & UNSAFE_METHODS)
        forbidden = [_ROLE] if calls & role_checks else []
        forbidden += [_UNSAFE] if unsafe else []
        found: dict[int | str, str] = {401: _UNAUTHENTICATED}
        if forbidden:
            found[403] = "; or ".join(forbidden)
        if unsafe:
            found[413] = _TOO_LARGE
        if calls & clinic_only:
            found[404] = _NO_CLINIC
        if heavy.heavy_slot in calls:
            found[429] = _MEANINGS[429]
        found["4XX"] = "Any other client error, such as 405 for a method the path does not have"
        for status, text in found.items():
            route.responses.setdefault(status, _problem_response(text))


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    """Every function the route depends on, however deep."""
    found: set[Callable[..., Any]] = set()
    for sub in dependant.dependencies:
        if sub.call is not None:
            found.add(sub.call)
        found |= _calls(sub)
    return found


def _problem_response(text: str) -> dict[str, Any]:
    return {"description": text, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}


def request_body(schema: type[BaseModel] | dict[str, Any], description: str) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON request body of this model (or schema)."""
    body = inline_schema(schema) if isinstance(schema, type) else schema
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": body}},
        }
    }


def conflict(detail: str, errors: list[Problem]) -> JSONResponse:
    """409: the request was fine but clashes with what is stored; nothing was written."""
    return problem(409, "Conflict", detail, "conflict", problem_errors(errors))


def send(document: object, status: int = 200, location: str | None = None) -> JSONResponse:
    """A document exactly as footcoach.services.documents built it (no re-validation)."""
    headers = None if location is None else {"Location": location}
    return JSONResponse(document, status_code=status, headers=headers)


# Reading bodies ----------------------------------------------------------------------------


class _NotJson(ValueError):
    """A number JSON cannot carry: NaN, Infinity, or one too large for a float."""


def _finite(text: str) -> float | int:
    """A number written with a fraction or an exponent. A whole one (8.0, 1e2) is the integer
    it equals, as JSON Schema counts it, so it is accepted wherever a whole number is; 8.5
    stays a float, and is refused there."""
    value = float(text)
    if not math.isfinite(value):
        raise _NotJson(text)
    return int(value) if value.is_integer() else value


def _no_constant(text: str) -> float:
    raise _NotJson(text)


async def json_body(request: Request) -> object:
    """The request body parsed as JSON; a body that is not JSON is invalid input."""
    return parse_json(await request.body())


def parse_json(raw: bytes) -> object:
    """A body parsed as JSON (finite numbers only); a body that is not JSON is invalid input."""
    if not raw.strip():
        raise InvalidInputError([Problem(BODY, None, "a JSON object: the body is empty")])
    try:
        return json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except _NotJson as exc:
        where = f"{exc} is not a JSON number"
    except UnicodeDecodeError:
        where = "it is not UTF-8 text"
    except RecursionError:
        where = "it is nested too deeply"
    shown = raw[:80].decode("utf-8", errors="replace")
    raise InvalidInputError([Problem(BODY, shown, f"valid JSON ({where})")])


JsonBody = Annotated[object, Depends(json_body)]


class Faults:
    """Collects the problems of several parts of one request, to report them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, value: object, allowed: str) -> None:
        self.problems.append(Problem(field, value, allowed))

    def check(self, parse: Callable[[], R], within: str = "") -> R | None:
        """The parse's result, or None with its problems noted (fields put `within` a part)."""
        try:
            return parse()
        except InvalidInputError as exc:
            self.problems.extend(nested(within, exc.problems))
            return None

    def raise_any(self) -> None:
        if self.problems:
            raise InvalidInputError(self.problems)


def nested(within: str, problems: Iterable[Problem]) -> list[Problem]:
    """Problems of a parser renamed for where its document sits in the request body."""

    def name(field: str) -> str:
        if field == "(document)":
            return within or BODY
        if not within:
            return field
        return f"{within}{field}" if field.startswith("[") else f"{within}.{field}"

    return [Problem(name(p.field), p.value, p.allowed) for p in problems]


def json_object(data: object) -> dict[str, Any]:
    """The body as a JSON object, or invalid input."""
    if not isinstance(data, dict):
        raise InvalidInputError([Problem(BODY, type(data).__name__, "a JSON object")])
    return data


def unknown_fields(faults: Faults, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    names = list(fields)
    for key in sorted(set(data) - set(names), key=str):
        faults.add(key, data[key], f"no such field; the fields are {', '.join(names)}")


def date_query(description: str) -> Any:
    """The optional `?date=YYYY-MM-DD` of a GET, read as text so footcoach's parser names it."""
    return Annotated[
        str | None,
        Query(alias="date", description=description, json_schema_extra={"format": "date"}),
    ]


def optional_day(value: str | None) -> date | None:
    return None if value is None else parse_day("date", value)


def parse_day(field: str, value: object) -> date:
    """A YYYY-MM-DD date, worded as on the command line."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInputError([Problem(field, value, "a date as YYYY-MM-DD")])


def whole_number(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError([Problem(field, value, f"a whole number from {low} to {high}")])
    return value


def known_id(field: str, value: object, lookup: Callable[[str], object], ids: list[str]) -> str:
    """An id of something in footcoach (a protocol, ...), checked as a field of a body."""
    if isinstance(value, str):
        try:
            lookup(value)
            return value
        except UnknownIdError as exc:
            hint = f"did you mean {', '.join(exc.suggestions)}? " if exc.suggestions else ""
            allowed = f"{hint}allowed: {', '.join(ids)}"
            raise InvalidInputError([Problem(field, value, allowed)]) from None
    raise InvalidInputError([Problem(field, value, f"an id; allowed: {', '.join(ids)}")])
