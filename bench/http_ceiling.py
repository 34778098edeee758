"""The machine's ceiling for the HTTP benchmark: a bare ASGI app that answers b"ok" to anything.

Served by uvicorn exactly as `footcoach serve` serves footcoach (same loop and HTTP parser, 2
workers, no access log), its requests per second are what this machine, uvicorn and wrk can do
with no application work at all; bench/http.py reports each endpoint as a share of it.

    uvicorn bench.http_ceiling:app --workers 2 --port 8001 --log-level warning --no-access-log
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

BODY = b"ok"
HEADERS = [(b"content-type", b"text/plain"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":  # answered as footcoach's app answers it
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
