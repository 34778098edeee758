"""The app factory: everything is built here from settings, nothing at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from footcoach import __version__
from footcoach.bootstrap import Services, build_services
from footcoach.config import Settings, load_settings
from footcoach.web import auth, preferences, problems
from footcoach.web.cached_reads import CachedReads
from footcoach.web.page_cache import PageCache
from footcoach.web.routes import routers
from footcoach.web.templating import install_filters

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or load_settings()
    services = services or build_services(settings)
    app = FastAPI(
        title="footcoach",
        version=__version__,
        summary="A safe, explainable home exercise coach for heel pain and weak feet.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(auth.guard)],  # logins and CSRF, before every route (web/auth.py)
    )
    app.state.services = services
    app.state.settings = settings
    app.state.profile = settings.profile
    templates = Jinja2Templates(directory=HERE / "templates")
    install_filters(templates, services)
    preferences.install(templates)
    auth.install(app, templates)
    app.state.templates = templates
    app.state.page_cache = PageCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    problems.install(app)
    if not settings.multi_user:  # one person: their hottest reads are answered before routing
        app.add_middleware(CachedReads, services=services, profile=settings.profile)
    for router in routers():
        app.include_router(router)
    return app
