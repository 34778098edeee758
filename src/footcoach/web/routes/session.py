"""The guided session page: timers in the browser (static/session.js), and a plain form that
records the session as done for a browser without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from footcoach.domain.intake import PAIN_RANGE
from footcoach.domain.wording import ADJUSTMENT_WORDS
from footcoach.services import sessions as use
from footcoach.services.settings import preferences
from footcoach.services.tracking import SessionState, TodayView
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep
from footcoach.web.templating import SLOT_WORDS

router = APIRouter(include_in_schema=False)

SCALE_MESSAGE = "Choose a number from 0 to 10."
FIELDS = ("pain_during", "effort")


def _page(
    request: Request,
    templates: Jinja2Templates,
    view: TodayView,
    slot: str,
    voice: bool,
    carried_on: tuple[int, ...] | None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    found = next((s for s in view.sessions if s.session.slot.value == slot), None)
    if found is None:
        names = [SLOT_WORDS.get(s.session.slot.value, s.session.slot.value) for s in view.sessions]
        detail = (
            f"Today's sessions are: {'; '.join(names)}."
            if names
            else "There are no sessions today."
        )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": "There is no such session today", "detail": detail},
            status_code=404,
        )
    state = found.state.value
    if state == SessionState.IN_PROGRESS.value and carried_on is None:
        state = SessionState.PENDING.value  # started and ended unfinished: a new one starts
    data: dict[str, Any] = {
        "slot": slot,
        "state": state,
        "voice": voice,
        "items": len(found.session.items),
        "api": "/api/v1/sessions",
        "today": "/today",
        "actions": ADJUSTMENT_WORDS,  # the pain monitor's actions in words, for the result
    }
    context = {
        "slot": slot,
        "session": found.session,
        "state": state,
        "rated": found.rated,
        "saved": len(carried_on or ()),
        "errors": errors or {},
        "values": values or {},
        "data": data,
    }
    return templates.TemplateResponse(request, "session.html", context, status_code=status_code)


@router.get("/session/{slot}", response_class=HTMLResponse)
def session_page(
    request: Request,
    slot: str,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
) -> Response:
    view = services.tracking.today(profile)
    voice = preferences(services.tracking, profile).voice
    carried_on = use.open_positions(services.tracking, profile, slot, view.day)
    return _page(request, templates, view, slot, voice, carried_on)


def _scale(text: str) -> int | None:
    low, high = PAIN_RANGE
    text = text.strip()
    if not text.isdigit() or not low <= int(text) <= high:
        return None
    return int(text)


@router.post("/session/{slot}/done", response_class=HTMLResponse)
def record_done(
    request: Request,
    slot: str,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    pain_during: Annotated[str, Form()] = "",
    effort: Annotated[str, Form()] = "",
) -> Response:
    """The plain form: the whole session done, with how it felt; then back to today."""
    values = {"pain_during": pain_during.strip(), "effort": effort.strip()}
    numbers = {field: _scale(values[field]) for field in FIELDS}
    errors = {field: SCALE_MESSAGE for field, number in numbers.items() if number is None}
    view = services.tracking.today(profile)
    known = any(s.session.slot.value == slot for s in view.sessions)
    if errors or not known:
        voice = preferences(services.tracking, profile).voice
        carried_on = use.open_positions(services.tracking, profile, slot, view.day)
        return _page(
            request, templates, view, slot, voice, carried_on, errors, values, status_code=422
        )
    pain, hard = numbers["pain_during"], numbers["effort"]
    assert pain is not None and hard is not None
    use.record_done(services.tracking, services.library.catalog, profile, slot, pain, hard)
    return RedirectResponse("/today", status_code=303)
