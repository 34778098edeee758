"""Errors as RFC 9457 problem+json for the API, and as friendly pages for people."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from footcoach.domain.changes import ConflictError
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem, UnknownIdError
from footcoach.schemas.changes import trail_document

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("footcoach.web")

EXCERPT = 80
"""Characters of a value an error answer quotes at most; longer ones are cut with an ellipsis."""
MOST_ERRORS = 10
"""Problems an error answer lists at most; it counts the rest."""
MOST_DETAIL = 1000
"""Characters of an error answer's detail at most, whatever produced it."""


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def problem(
    status: int, title: str, detail: str, kind: str, errors: list[dict[str, Any]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{kind}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def excerpt(value: object, most: int = EXCERPT) -> object:
    """A value as an error answer may quote it: numbers, booleans and None as they are, text
    cut to `most` characters with an ellipsis; a list or object as it is when its JSON is that
    short, else the start of its JSON text."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= most else value[: most - 1] + "\u2026"
    if isinstance(value, int):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            text = str(value)
    return value if len(text) <= most else text[: most - 1] + "\u2026"


def short(text: str, most: int = MOST_DETAIL) -> str:
    """A message cut to `most` characters, as a last guard against quoting a whole input."""
    return text if len(text) <= most else text[: most - 1] + "\u2026"


def problem_errors(problems: tuple[Problem, ...] | list[Problem]) -> list[dict[str, Any]]:
    """The problems as an error answer lists them: at most MOST_ERRORS, values as excerpts."""
    return [
        {"field": short(p.field, EXCERPT), "value": excerpt(p.value), "allowed": short(p.allowed)}
        for p in problems[:MOST_ERRORS]
    ]


def problems_detail(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """One line for the problems: each as 'field: got value; allowed', with excerpts."""
    parts = [
        f"{short(p.field, EXCERPT)}: got {excerpt(p.value)!r}; {p.allowed}"
        for p in problems[:MOST_ERRORS]
    ]
    return short("; ".join(parts) + _more(len(problems)))


def _more(count: int) -> str:
    hidden = count - MOST_ERRORS
    if hidden <= 0:
        return ""
    return f"; and {hidden} more problem{'s' if hidden > 1 else ''}"


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "(body)"


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "detail": detail}, status_code=status
    )


def refusal(request: Request, status: int, title: str, detail: str, kind: str) -> Response:
    """An error answer made outside the routes (the request guards of web/limits.py and
    web/hosts.py): problem+json for the API, the error page for people."""
    if wants_json(request):
        return problem(status, title, detail, kind)
    return _page(request, status, title, detail)


def install(app: FastAPI) -> None:
    """Map footcoach's errors and the framework's to problem+json or an HTML page."""

    @app.exception_handler(InvalidInputError)
    async def invalid(request: Request, exc: InvalidInputError) -> Response:
        detail = problems_detail(exc.problems)
        if wants_json(request):
            return problem(
                422, "Invalid input", detail, "invalid-input", problem_errors(exc.problems)
            )
        return _page(request, 422, "That did not look right", detail)

    @app.exception_handler(UnknownIdError)
    async def unknown(request: Request, exc: UnknownIdError) -> Response:
        kind = short(exc.kind, EXCERPT)
        detail = short(str(exc))
        if wants_json(request):
            return problem(404, f"Unknown {kind}", detail, "unknown-id")
        return _page(request, 404, f"No such {kind}", detail)

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        """A program change based on an older version: 409, with the changes made since."""
        if wants_json(request):
            body = {
                "type": "/problems/conflict",
                "title": "Conflict",
                "status": 409,
                "detail": str(exc),
                "based_on_version": exc.based_on,
                "current_version": exc.current,
                "changes_since": trail_document(exc.since, exc.based_on),
            }
            return JSONResponse(body, status_code=409, media_type=PROBLEM_JSON)
        return _page(request, 409, "Someone changed this program since you opened it", str(exc))

    @app.exception_handler(FootcoachError)
    async def domain_error(request: Request, exc: FootcoachError) -> Response:
        from footcoach.services.tracking import NoProfileError

        if isinstance(exc, NoProfileError):
            if wants_json(request):
                detail = (
                    f"There is no profile {exc.name!r} yet: send an intake with "
                    "PUT /api/v1/profile, or answer the questions at /welcome."
                )
                return problem(404, "No profile", detail, "no-profile")
            return RedirectResponse("/welcome", status_code=303)
        detail = short(str(exc))
        if wants_json(request):
            return problem(400, "Cannot do that", detail, "refused")
        return _page(request, 400, "footcoach could not do that", detail)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        """The framework's own checks (path parameters, form fields, models): each problem
        with an excerpt of the value it was given, never the whole body; a missing field was
        given nothing, so its value is null."""
        found = exc.errors()
        errors = [
            {
                "field": "(body)"
                if e["type"] == "json_invalid"
                else short(_field(tuple(e["loc"])), EXCERPT),
                "value": None if e["type"] == "missing" else excerpt(e.get("input")),
                "allowed": "a valid JSON document"
                if e["type"] == "json_invalid"
                else short(e["msg"]),
            }
            for e in found[:MOST_ERRORS]
        ]
        detail = short("; ".join(f"{e['field']}: {e['allowed']}" for e in errors))
        detail += _more(len(found))
        if wants_json(request):
            return problem(422, "Invalid input", detail, "invalid-input", errors)
        return _page(request, 422, "That did not look right", detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        """A bug, not bad input: say so plainly; the details go to the server's log."""
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        detail = "Something went wrong inside footcoach; nothing you sent was at fault."
        if wants_json(request):
            return problem(500, "Internal error", detail, "internal-error")
        return _page(request, 500, "Something went wrong", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed", 413: "Content too large"}
        title = titles.get(exc.status_code, "Error")
        detail = (
            f"There is nothing at {excerpt(request.url.path)}."
            if exc.status_code == 404
            else short(str(exc.detail))
        )
        if wants_json(request):
            answer = problem(exc.status_code, title, detail, title.lower().replace(" ", "-"))
        else:
            answer = _page(request, exc.status_code, title, detail)
        answer.headers.update(exc.headers or {})  # e.g. a 413's Connection: close
        return answer
