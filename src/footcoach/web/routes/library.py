"""The library: browse and filter the catalog, and read one exercise's card."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.services.library_view import FILTERS, browse, card_view, closest, filter_errors
from footcoach.web.deps import ServicesDep, TemplatesDep

router = APIRouter(include_in_schema=False)


@router.get("/library", response_class=HTMLResponse)
def library(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    category: str = "",
    equipment: str = "",
    position: str = "",
) -> Response:
    """A plain GET form; htmx asks for the results alone (HX-Request) as the filters change."""
    chosen = {"category": category, "equipment": equipment, "position": position}
    errors: dict[str, str] = {}
    entries = None
    try:
        entries = browse(services.catalog, category, equipment, position)
    except InvalidInputError as exc:
        errors = filter_errors(exc)
    context = {
        "nav": "library",
        "entries": entries,
        "chosen": chosen,
        "errors": errors,
        "filters": FILTERS,
        "total": len(services.catalog.exercises()),
    }
    status = 422 if errors else 200
    partial = request.headers.get("HX-Request") == "true"
    if partial and request.headers.get("HX-History-Restore-Request") != "true":
        context["hx"] = True
        return templates.TemplateResponse(
            request, "partials/library_results.html", context, status_code=status
        )
    return templates.TemplateResponse(request, "library.html", context, status_code=status)


@router.get("/library/{key}", response_class=HTMLResponse)
def exercise(
    request: Request, key: str, services: ServicesDep, templates: TemplatesDep
) -> Response:
    """One exercise's card; an alias redirects to the id, an unknown id suggests the closest."""
    try:
        view = card_view(services.catalog, key)
    except UnknownIdError as exc:
        return templates.TemplateResponse(
            request,
            "exercise.html",
            {
                "nav": "library",
                "missing": key,
                "suggestions": closest(services.catalog, exc.suggestions),
            },
            status_code=404,
        )
    canonical = view.card.exercise.id
    if canonical != key:
        return RedirectResponse(f"/library/{canonical}", status_code=307)
    return templates.TemplateResponse(request, "exercise.html", {"nav": "library", "view": view})
