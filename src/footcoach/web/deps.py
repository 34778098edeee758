"""Dependency aliases that keep route signatures short.

They are coroutines: FastAPI would run plain functions in its thread pool, a hop that costs
more than what they do.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from footcoach.bootstrap import Services
from footcoach.web.auth import person_profile
from footcoach.web.page_cache import PageCache


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_profile(request: Request) -> str:
    """The profile a person's route acts on: local mode's one person; in multi-user mode the
    logged-in person's (anonymous: to the login page; clinicians: to /clinic, or 403)."""
    if request.app.state.settings.multi_user:
        return await person_profile(request)
    name: str = request.app.state.profile
    return name


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_page_cache(request: Request) -> PageCache:
    cache: PageCache = request.app.state.page_cache
    return cache


ServicesDep = Annotated[Services, Depends(get_services)]
ProfileDep = Annotated[str, Depends(get_profile)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
PageCacheDep = Annotated[PageCache, Depends(get_page_cache)]
