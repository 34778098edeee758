"""How much of a request body the web app reads: a limit on every body, before anything else.

An ASGI middleware in front of the whole app, outside local mode's early answers
(cached_reads.py, quick_saves.py) so that they read bodies under the same limit. Each request
gets the limit of its path: an import (POST /api/v1/import, the settings page's restore form)
FOOTCOACH_MAX_IMPORT_BYTES, anything else FOOTCOACH_MAX_BODY_BYTES; forms and files count as
any other body. A request that declares a larger Content-Length is answered 413 at once: the
app never runs and not one byte of the body is read. A body sent in chunks is counted as it
comes in; the read that goes past the limit raises BodyTooLarge, an HTTP 413, which the app's
error handlers answer (problem+json for the API, the error page for people) or, when it is
raised before routing, this middleware does. Either way the route has not seen the body, so
nothing was written. The 413 closes the connection, so the rest of the body is never read.

Starlette's own RequestBodyLimitMiddleware is not used: it lets a route that does not read its
body run to the end and only then swaps its answer for a plain-text 413.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from footcoach.web.problems import refusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

IMPORT_PATHS = frozenset({"/api/v1/import", "/settings/import"})
"""Where a whole backup is sent, so the larger limit applies."""


class BodyTooLarge(HTTPException):
    """A request body over its path's limit: 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit), headers={"Connection": "close"})
        self.limit = limit


def too_large(limit: int) -> str:
    return f"The request body is larger than the {size_text(limit)} footcoach accepts here."


def size_text(count: int) -> str:
    """A byte count as people read it: 64 KiB, 8 MiB, 1500 bytes."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


class BodyLimits:
    def __init__(self, app: ASGIApp, most: int, most_import: int) -> None:
        self.app = app
        self.most = most
        self.most_import = most_import

    def limit(self, path: str) -> int:
        return self.most_import if path in IMPORT_PATHS else self.most

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, BodyTooLarge(limit))
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            if received > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refuse(scope, receive, send, exc)
        except ExceptionGroup as group:  # a task group that read the body raised it
            found, others = group.split(BodyTooLarge)
            if started or found is None or others is not None:
                raise
            await _refuse(scope, receive, send, BodyTooLarge(limit))


def _content_length(scope: Scope) -> int | None:
    """The declared body size; None when there is none (chunked) or it is not a number (the
    server refuses that itself)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else None
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
    request = Request(scope, receive)
    answer = refusal(request, 413, "Content too large", exc.detail, "content-too-large")
    answer.headers["Connection"] = "close"
    await answer(scope, receive, send)
