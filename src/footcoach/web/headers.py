"""Security headers on every answer the app gives: pages, the API, static files and errors.

The middleware wraps the whole ASGI stack, the framework's own error layer included, so an
unexpected error's 500, a 404 from the static files and the answers that local mode gives
before routing (web/cached_reads.py, web/quick_saves.py) carry the same headers as a page.

- Content-Security-Policy: scripts, styles, images, fetches and workers from footcoach's own
  origin only. No inline script runs (the pages load theirs from /static), no inline style
  either (htmx is told not to inject its indicator style, in base.html's htmx-config), no
  plugins, no <base> tag, forms post to footcoach only, and no site may frame a page.
- X-Frame-Options: DENY, for browsers that predate frame-ancestors.
- X-Content-Type-Options: nosniff, so a file is only ever what its Content-Type says.
- Referrer-Policy: same-origin: other sites are not told which footcoach page linked to them.
- Strict-Transport-Security, only on answers to requests that came over HTTPS. The scheme is
  the one uvicorn gives the app: X-Forwarded-Proto counts only when it comes from a proxy that
  `footcoach serve --forwarded-allow-ips` trusts, so a plain-HTTP server never sends it.

A header the app set itself is left as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The Content-Security-Policy of every answer."""

HSTS = "max-age=31536000"
"""A year; no includeSubDomains, since other services may share the domain and not do HTTPS."""

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
OVER_HTTPS = (*ALWAYS, (b"strict-transport-security", HSTS.encode()))


class SecurityHeaders:
    """Adds the headers above to the start of every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = OVER_HTTPS if scope.get("scheme") == "https" else ALWAYS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in headers}
                headers.extend(pair for pair in extra if pair[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """Put SecurityHeaders around the app's whole stack, outside Starlette's error middleware
    (which answers an unhandled error itself, past any middleware added with add_middleware).
    The stack is built on the first request, so middleware added after this call still sits
    inside it."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
