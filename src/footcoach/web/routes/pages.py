"""The person's home pages: the start, today, and the morning check-in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.web.auth import page_variant
from footcoach.web.deps import PageCacheDep, ProfileDep, ServicesDep, TemplatesDep

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(services: ServicesDep, profile: ProfileDep) -> Response:
    known = profile in services.tracking.profiles()
    return RedirectResponse("/today" if known else "/welcome", status_code=303)


@router.get("/today", response_class=HTMLResponse)
async def today(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    pages: PageCacheDep,
) -> Response:
    """On the event loop: a page unchanged since it was last drawn costs one indexed read."""
    day = services.clock.today()

    def render() -> Response:
        view = services.tracking.today(profile, day)
        return templates.TemplateResponse(request, "today.html", {"view": view, "nav": "today"})

    key = ("today", profile, day, page_variant(request))  # the page holds the CSRF token
    return await pages.answer_async(key, await services.tracking.revision_async(profile), render)


@router.post("/checkin", response_class=HTMLResponse)
def checkin(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    first_step_pain: Annotated[str, Form()] = "",
    correct: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
) -> Response:
    """Record the check-in, or with `correct` change today's; htmx swaps the check-in card, a
    plain form post goes back to today."""
    error = None
    changed = None
    day = None
    if date:  # a past day's correction, from the diary
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            error = "That day is not a date footcoach knows; open the diary again."
    try:
        value = int(first_step_pain)
    except ValueError:
        value = None
        error = "Choose a number from 0 to 10."
    if value is not None and error is None:
        try:
            if correct:
                before = services.tracking.today(profile).checkin
                services.tracking.correct_checkin(profile, value, day)
                changed = None if before is None or day else before.first_step_pain
            else:
                services.tracking.checkin(profile, value)
        except InvalidInputError as exc:
            error = " ".join(p.allowed for p in exc.problems[:1])
        except UnknownIdError:
            error = "There is no check-in today to change yet: choose a number and save it."
    if request.headers.get("HX-Request") != "true":
        if error:
            view = services.tracking.today(profile)
            return templates.TemplateResponse(
                request,
                "today.html",
                {"view": view, "nav": "today", "checkin_error": error},
                status_code=422,
            )
        return RedirectResponse("/diary#checkins-title" if day else "/today", status_code=303)
    view = services.tracking.today(profile)
    return templates.TemplateResponse(
        request,
        "partials/checkin.html",
        {"view": view, "checkin_error": error, "checkin_changed": changed},
        status_code=422 if error else 200,
    )
