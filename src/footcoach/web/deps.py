"""Dependency aliases that keep route signatures short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from footcoach.bootstrap import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_profile(request: Request) -> str:
    """Local mode: the one person of this footcoach (accounts come with multi-user mode)."""
    name: str = request.app.state.profile
    return name


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


ServicesDep = Annotated[Services, Depends(get_services)]
ProfileDep = Annotated[str, Depends(get_profile)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
