"""Errors as RFC 9457 problem+json for the API, and as friendly pages for people."""

from __future__ import annotations

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


def problem_errors(problems: tuple[Problem, ...] | list[Problem]) -> list[dict[str, Any]]:
    return [{"field": p.field, "value": p.value, "allowed": p.allowed} for p in problems]


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "(body)"


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "detail": detail}, status_code=status
    )


def install(app: FastAPI) -> None:
    """Map footcoach's errors and the framework's to problem+json or an HTML page."""

    @app.exception_handler(InvalidInputError)
    async def invalid(request: Request, exc: InvalidInputError) -> Response:
        if wants_json(request):
            return problem(
                422, "Invalid input", str(exc), "invalid-input", problem_errors(exc.problems)
            )
        return _page(request, 422, "That did not look right", str(exc))

    @app.exception_handler(UnknownIdError)
    async def unknown(request: Request, exc: UnknownIdError) -> Response:
        if wants_json(request):
            return problem(404, f"Unknown {exc.kind}", str(exc), "unknown-id")
        return _page(request, 404, f"No such {exc.kind}", str(exc))

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
        if wants_json(request):
            return problem(400, "Cannot do that", str(exc), "refused")
        return _page(request, 400, "footcoach could not do that", str(exc))

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": "(body)" if e["type"] == "json_invalid" else _field(tuple(e["loc"])),
                "value": e.get("input"),
                "allowed": "a valid JSON document" if e["type"] == "json_invalid" else e["msg"],
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['allowed']}" for e in errors)
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
        titles = {404: "Not found", 405: "Method not allowed"}
        title = titles.get(exc.status_code, "Error")
        detail = (
            f"There is nothing at {request.url.path}."
            if exc.status_code == 404
            else str(exc.detail)
        )
        if wants_json(request):
            return problem(exc.status_code, title, detail, title.lower().replace(" ", "-"))
        return _page(request, exc.status_code, title, detail)
