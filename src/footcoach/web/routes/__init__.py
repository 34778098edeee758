"""Every router of the app; one module per page group, plus the JSON API."""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

MODULES = (
    "footcoach.web.routes.pages",
    "footcoach.web.routes.program",
    "footcoach.web.routes.library",
    "footcoach.web.routes.onboarding",
    "footcoach.web.routes.settings",
    "footcoach.web.routes.api_catalog",
    "footcoach.web.routes.api_plan",
    "footcoach.web.routes.api_diary",
    "footcoach.web.routes.session",
    "footcoach.web.routes.api_sessions",
    "footcoach.web.routes.diary",
    "footcoach.web.routes.progress_page",
    "footcoach.web.routes.api_progress",
    "footcoach.web.routes.pwa",
    "footcoach.web.routes.account",
    "footcoach.web.routes.clinic",
    "footcoach.web.routes.api_clinic",
    "footcoach.web.routes.api_exports",
    "footcoach.web.routes.calendar",
    "footcoach.web.routes.handout",
)


def routers() -> list[APIRouter]:
    """The routers, each API route declaring the problems its dependencies may answer."""
    from footcoach.web.routes.api import declare_problems

    found = [import_module(name).router for name in MODULES]
    for router in found:
        declare_problems(router)
    return found
