"""The sessions as a calendar: the person's own at /api/v1/calendar.ics, the private link a
phone's calendar follows without a login (/calendar/{token}.ics), and the settings page's
section that makes and stops that link.

The link's secret is shown once, on the page that answers "Make a link"; only its SHA-256
digest is kept. A new link replaces the old one, which then answers 404 as any unknown link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from footcoach.domain.profile import Profile
from footcoach.domain.wording import day_text
from footcoach.services.calendar import DEFAULT_WEEKS, WEEKS_RANGE, NewLink, SessionCalendar
from footcoach.web import auth
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep
from footcoach.web.routes.api import PREFIX, problem_responses

router = APIRouter()

NEW_LINK_STATE = "calendar_new_link"
"""request.state's attribute for the link just made (or False: the form was sent twice)."""
STOPPED = "stopped"

Weeks = Annotated[
    int | None,
    Query(
        ge=WEEKS_RANGE[0],
        le=WEEKS_RANGE[1],
        description=f"How many weeks from today, {WEEKS_RANGE[0]} to {WEEKS_RANGE[1]} "
        f"(default {DEFAULT_WEEKS})",
    ),
]


def _ics(made: SessionCalendar, filename: str) -> Response:
    from footcoach.adapters.ical_calendar import MEDIA_TYPE, ical_bytes  # 0.2 s: on first use

    return Response(
        ical_bytes(made),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _ics_responses() -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(404, 422)
    responses[200] = {
        "description": "An RFC 5545 calendar: one event per planned session per day, each "
        "with a reminder (VALARM) and its exercises and doses in words",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
    return responses


@router.get(
    f"{PREFIX}/calendar.ics",
    response_class=Response,
    responses=_ics_responses(),
    tags=["calendar"],
    summary="Your coming sessions as an iCalendar file, for a phone's calendar",
)
def my_calendar(services: ServicesDep, profile: ProfileDep, weeks: Weeks = None) -> Response:
    """The sessions the program plans from today for `weeks` weeks, at the person's times: in
    bed at the time they get up, during the day halfway to bedtime, in the evening an hour
    before bed. Times are floating (the phone's own clock); the same session on the same day
    keeps its UID, so importing again updates it."""
    made = services.calendar.calendar(profile, weeks or DEFAULT_WEEKS)
    return _ics(made, "footcoach.ics")


@router.get("/calendar/{token}.ics", include_in_schema=False)
def calendar_feed(services: ServicesDep, token: str, weeks: Weeks = None) -> Response:
    """The feed a calendar app follows: no login, the secret in the URL is the key. An unknown
    or stopped link is a 404 that says no more."""
    made = services.calendar.feed(token, weeks or DEFAULT_WEEKS)
    if made is None:
        return Response(
            "This calendar link is not in use.\n",
            status_code=404,
            media_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )
    return _ics(made, "footcoach.ics")


@dataclass(frozen=True, slots=True)
class CalendarSection:
    """What the settings page's calendar section shows."""

    link_id: int | None
    made_on: str | None
    new_url: str | None = None
    subscribe_url: str | None = None
    notice: str | None = None
    accounts: bool = False
    """Accounts and logins (multi-user mode): a password change stops the link."""


def calendar_section(request: Request, profile: Profile | None) -> CalendarSection | None:
    """The settings page's calendar section for this person (None before the intake)."""
    if profile is None:
        return None
    link = request.app.state.services.calendar.link(profile.name)
    section = CalendarSection(
        link_id=None if link is None else link.id,
        made_on=None if link is None else day_text(link.made_at.date()),
    )
    made: NewLink | bool | None = getattr(request.state, NEW_LINK_STATE, None)
    if isinstance(made, NewLink):
        url = str(request.url_for("calendar_feed", token=made.token))
        return CalendarSection(
            link_id=made.link.id,
            made_on=day_text(made.link.made_at.date()),
            new_url=url,
            subscribe_url="webcal://" + url.split("://", 1)[1],
            accounts=auth.multi_user(request),
        )
    if made is False:
        return CalendarSection(
            section.link_id,
            section.made_on,
            notice="A new link was made already, and it is the one in use. To see a link "
            "again, make a new one.",
        )
    if request.query_params.get("calendar") == STOPPED:
        return CalendarSection(
            None,
            None,
            notice="The link is stopped. Calendars that followed it no longer get your sessions.",
        )
    return section


@router.post("/settings/calendar", include_in_schema=False)
def make_link(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    replaces: Annotated[str, Form()] = "",
) -> Response:
    """A new private link in place of the one shown on the page the form came from (the
    `replaces` field: its number, or empty for none); the answer is the settings page, showing
    the new link this once."""
    from footcoach.web.routes.settings import settings_page

    shown = replaces.strip()
    current = int(shown) if shown.isdigit() and len(shown) < 10 else None
    made = services.calendar.new_link(profile, current)
    setattr(request.state, NEW_LINK_STATE, made if made is not None else False)
    page = settings_page(request, services, profile, templates)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/settings/calendar/stop", include_in_schema=False)
def stop_link(services: ServicesDep, profile: ProfileDep) -> Response:
    """The link stops working at once; the page then says so."""
    services.calendar.stop_link(profile)
    return RedirectResponse(f"/settings?calendar={STOPPED}#calendar-title", status_code=303)
