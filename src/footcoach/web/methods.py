"""HTTP methods as RFC 9110 has them: HEAD wherever GET works, and Allow on every 405.

FastAPI's routes answer only the methods they are declared with, so a HEAD on a page or an
API path was a 405; and the error handler dropped the Allow header of a 405 (and the static
files never set one). Methods, around the whole app, answers a HEAD as the GET it stands for
without the body, and puts on every 405 an Allow header listing the methods of every route at
the path (HEAD wherever GET is).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute, Match, Mount, Route

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FILES = frozenset({"GET", "HEAD"})
"""What a mount (the static files) answers."""


def allowed(routes: Iterable[BaseRoute], path: str) -> str:
    """The Allow header for a path: the methods of every route there, HEAD wherever GET is."""
    probe = {"type": "http", "path": path, "root_path": "", "method": "GET"}
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches(probe)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or FILES)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


class Methods:
    def __init__(self, app: ASGIApp, routes: Iterable[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        path = scope["path"]

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if bytes(name).lower() != b"allow"
                ]
                headers.append((b"allow", allowed(self.routes, path).encode()))
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a part of a streamed body: none of it is sent
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        # a HEAD goes in as a GET, on a copy: the server still knows it was a HEAD
        await self.app({**scope, "method": "GET"} if head else scope, receive, answer)


def routes_of(app: FastAPI) -> list[BaseRoute]:
    """Every route and mount of the app, those of footcoach's routers one by one (FastAPI
    keeps an included router as one opaque entry of app.router.routes)."""
    from footcoach.web.routes import routers

    found = [r for r in app.router.routes if isinstance(r, Route | Mount)]
    for router in routers():
        found.extend(r for r in router.routes if isinstance(r, Route | Mount))
    return found


def install(app: FastAPI) -> None:
    """Put Methods around the app's whole stack (see web/headers.py's install)."""
    build = app.build_middleware_stack

    def build_with_methods() -> ASGIApp:
        return Methods(build(), routes_of(app))

    app.build_middleware_stack = build_with_methods  # type: ignore[method-assign]
