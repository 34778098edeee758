"""The program page: the person's program as it stands, with its reasons and its evidence, the
changes their clinician (or they) made to it, and small changes of their own (a dose, a note)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footcoach.domain.changes import ChangeKind, ConflictError
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.schemas.changes import trail_document
from footcoach.services.clinic import DOSE_LABELS, change_choices
from footcoach.services.program_view import program_view
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep
from footcoach.web.routes.clinic import (
    CurrentUserDep,
    FormDep,
    Submitted,
    conflict_context,
    form_values,
    messages,
    save_change,
)

router = APIRouter(include_in_schema=False)

PERSON_KINDS = (ChangeKind.DOSE.value, ChangeKind.NOTE.value)
"""What a person may change in their own program; swapping exercises is their clinician's."""


def _page(
    request: Request,
    services: ServicesDep,
    profile: str,
    templates: TemplatesDep,
    submitted: Submitted | None = None,
    conflict: dict[str, Any] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    trail = services.prescriptions.changes(profile)  # first: the program is as new or newer
    view = program_view(services.tracking, services.catalog, profile)
    today = services.clock.today()
    context = {
        "view": view,
        "nav": "program",
        "trail": trail_document(trail),
        "version": len(trail),
        "choices": change_choices(view.program, services.planning.library.catalog, today),
        "submitted": submitted,
        "conflict": conflict,
        "saved": saved,
        "dose_labels": DOSE_LABELS,
    }
    return templates.TemplateResponse(request, "program.html", context, status_code=status_code)


@router.get("/program", response_class=HTMLResponse)
def program(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    saved: bool = False,
) -> Response:
    return _page(request, services, profile, templates, saved=saved)


@router.post("/program/changes", response_class=HTMLResponse)
def change_program(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    form: FormDep,
    user: CurrentUserDep,
) -> Response:
    who = user.email if user is not None else "you"
    values = form_values(form)
    values["to"] = ""
    try:
        if values["kind"] not in PERSON_KINDS:
            allowed = "a dose or a note: swapping exercises is for your clinician"
            raise InvalidInputError([Problem("kind", values["kind"], allowed)])
        save_change(services, profile, values, who, "person")
    except InvalidInputError as exc:
        submitted = Submitted(values, messages(list(exc.problems)))
        return _page(request, services, profile, templates, submitted, status_code=422)
    except ConflictError as exc:
        context = conflict_context(services, exc, values)
        submitted = Submitted(values, {})
        return _page(request, services, profile, templates, submitted, context, status_code=409)
    return RedirectResponse("/program?saved=true#changes-title", status_code=303)
