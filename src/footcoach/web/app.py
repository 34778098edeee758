"""The app factory: everything is built here from settings, nothing at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from fastapi.templating import Jinja2Templates

from footcoach import __version__
from footcoach.bootstrap import Services, build_services
from footcoach.config import Settings, load_settings
from footcoach.web import (
    auth,
    headers,
    heavy,
    housekeeping,
    methods,
    openapi_document,
    preferences,
    problems,
)
from footcoach.web.cached_reads import CachedReads
from footcoach.web.hosts import HostCheck
from footcoach.web.limits import BodyLimits
from footcoach.web.page_cache import PageCache
from footcoach.web.quick_saves import QuickSaves
from footcoach.web.routes import routers
from footcoach.web.templating import install_filters
from footcoach.web.warm_start import warm_start

HERE = Path(__file__).parent
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""footcoach sends nothing anywhere; off, FastAPI also skips looking for telemetry providers on
every request."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.warm_start:
        warm_start(app)
    # accounts only exist in multi-user mode: their old sessions and attempts are purged
    multi_user = app.state.settings.multi_user
    purging = await housekeeping.start(app.state.services.accounts.purge) if multi_user else None
    yield
    if purging is not None:
        await housekeeping.stop(purging)
    await app.state.services.aclose()  # what the server's event loop holds


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    warm: bool = False,
    quick: bool = True,
) -> FastAPI:
    """`warm`: a server's app, loaded in full and its heap frozen when it starts (warm_start.py).
    `quick`: local mode answers its hottest requests before routing (cached_reads.py,
    quick_saves.py); off, every request is routed (to compare the two in tests)."""
    settings = settings or load_settings()
    services = services or build_services(settings)
    app = FastAPI(
        title="footcoach",
        version=__version__,
        summary="A safe, explainable home exercise coach for heel pain and weak feet.",
        openapi_url=None,  # served by openapi_document.py, built in full wherever it runs
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(auth.guard)],  # logins and CSRF, before every route (web/auth.py)
        lifespan=_lifespan,
        telemetry=NO_TELEMETRY,
    )
    app.state.services = services
    app.state.settings = settings
    app.state.profile = settings.profile
    app.state.warm_start = warm
    templates = Jinja2Templates(directory=HERE / "templates")
    install_filters(templates, services)
    preferences.install(templates)
    auth.install(app, templates)
    app.state.templates = templates
    app.state.page_cache = PageCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    problems.install(app)
    openapi_document.install(app)
    heavy.install(app)  # at most a few imports and exports at once (web/heavy.py)
    if not settings.multi_user and quick:
        # one person: their hottest reads and their item saves are answered before routing
        app.add_middleware(CachedReads, services=services, profile=settings.profile)
        app.add_middleware(QuickSaves, services=services, profile=settings.profile)
    # the request guards, outside everything that may answer or read a body (the last added
    # runs first): the Host and Origin checks, then the body limit (web/hosts.py, limits.py)
    app.add_middleware(
        BodyLimits, most=settings.max_body_bytes, most_import=settings.max_import_bytes
    )
    app.add_middleware(
        HostCheck, multi_user=settings.multi_user, allowed_hosts=settings.allowed_hosts
    )
    for router in routers():
        app.include_router(router)
    methods.install(app)  # HEAD wherever GET works, Allow on every 405 (web/methods.py)
    headers.install(app)  # around everything, errors and the quick answers included
    return app
