"""The program page: the person's program as it stands, with its reasons and its evidence."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from footcoach.services.program_view import program_view
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep

router = APIRouter(include_in_schema=False)


@router.get("/program", response_class=HTMLResponse)
def program(
    request: Request, services: ServicesDep, profile: ProfileDep, templates: TemplatesDep
) -> Response:
    view = program_view(services.tracking, services.catalog, profile)
    return templates.TemplateResponse(request, "program.html", {"view": view, "nav": "program"})
