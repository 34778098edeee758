"""The person's display preference on every page, without each route having to pass it.

`install(templates)` adds a Jinja2Templates context processor that gives every template a
`large_text` value. It is lazy: the profile is read (once per request) only when a template
actually tests it, as base.html does on <html>; partials that never look cost nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from footcoach.domain.profile import Preferences
from footcoach.services.settings import preferences
from footcoach.web.auth import profile_name


def request_preferences(request: Request) -> Preferences:
    """This request's person's preferences, read at most once per request (defaults if none)."""
    cached = getattr(request.state, "preferences", None)
    if isinstance(cached, Preferences):
        return cached
    try:
        name = profile_name(request)
        tracking = request.app.state.services.tracking
        found = preferences(tracking, name) if name is not None else Preferences()
    except Exception:  # a display preference must never break a page, not even an error page
        found = Preferences()
    request.state.preferences = found
    return found


class LargeText:
    """Truthy when the person asked for larger text; evaluated only when a template tests it."""

    __slots__ = ("request",)

    def __init__(self, request: Request) -> None:
        self.request = request

    def __bool__(self) -> bool:
        return request_preferences(self.request).large_text

    def __repr__(self) -> str:
        return f"LargeText({bool(self)})"


def _context(request: Request) -> dict[str, Any]:
    return {"large_text": LargeText(request)}


def install(templates: Jinja2Templates) -> None:
    """Give every template rendered through `templates` the person's `large_text` (idempotent)."""
    if _context not in templates.context_processors:
        templates.context_processors.append(_context)
