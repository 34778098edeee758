"""Local mode's item saves, answered before routing when everything about them is plain.

A guided session posts each item the moment it finishes: POST /api/v1/sessions/{id}/items is
the app's busiest write. Through the router it pays for route matching, dependency resolution
and a hop to the thread pool, which together cost more than the save. This ASGI middleware, in
front of the app, takes the common case itself: a same-site request whose body is a valid item
record, for a session of the person's, new at its position. It reads and checks the body with
the route's own functions, saves it through the same use case (awaiting the commit on the event
loop, nobody answered before the item is on disk) and answers with the route's own answer, 201.

Everything else goes on to the app, with the body as it was sent, and the app answers it as
always: bad input, an unknown session, an item the plan refuses (nothing was written for any of
them), a position saved before (a retry: the app answers the record stored first, and writes
nothing), a request from another site, a body over 64 KiB.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from footcoach.bootstrap import Services
from footcoach.domain.errors import FootcoachError
from footcoach.services.sessions import record_new_item
from footcoach.web.routes.api import Faults, parse_json
from footcoach.web.routes.api_sessions import item_saved, read_item

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = re.compile(r"/api/v1/sessions/([1-9][0-9]{0,9})/items")
LARGEST_ID = 2**31 - 1
"""As the route's SessionId allows."""
MOST_BODY = 64 * 1024
"""A body larger than this is left to the app (an item record is about 150 bytes)."""


class QuickSaves:
    def __init__(self, app: ASGIApp, services: Services, profile: str) -> None:
        self.app = app
        self.services = services
        self.profile = profile

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session_id = _session_id(scope)
        if session_id is None:
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if body is None:  # the client went away: there is nobody to answer
            return
        replay = _replaying(body, complete, receive)
        if not complete or not await self._saved(scope, send, replay, session_id, body):
            await self.app(scope, replay, send)

    async def _saved(
        self, scope: Scope, send: Send, receive: Receive, session_id: int, body: bytes
    ) -> bool:
        """Whether the item was saved as new and answered here."""
        try:
            data = parse_json(body)
        except FootcoachError:
            return False
        if not isinstance(data, dict):
            return False
        faults = Faults()
        services = self.services
        record, key = read_item(data, faults, services.clock.now())
        if faults.problems or record is None:
            return False
        try:
            created = await record_new_item(
                services.tracking, services.library.catalog, self.profile, session_id, record
            )
        except FootcoachError:  # no profile, no such session, refused by the plan
            return False
        if not created:
            return False
        await item_saved(session_id, record, key, created=True)(scope, receive, send)
        return True


def _session_id(scope: Scope) -> int | None:
    """The session of a same-site POST /api/v1/sessions/{id}/items, else None."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope.get("query_string"):
        return None
    match = PATH.fullmatch(scope["path"])
    if match is None:
        return None
    session_id = int(match[1])
    if session_id > LARGEST_ID:
        return None
    for name, value in scope["headers"]:
        if name == b"sec-fetch-site" and value.lower() == b"cross-site":
            return None  # the app refuses it, with its reasons
    return session_id


async def _read_body(receive: Receive) -> tuple[bytes | None, bool]:
    """(the body, True) once it is all in; (what came so far, False) past MOST_BODY; (None,
    False) when the client disconnected."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, False
        part = message.get("body", b"")
        parts.append(part)
        size += len(part)
        if not message.get("more_body", False):
            return b"".join(parts), True
        if size > MOST_BODY:
            return b"".join(parts), False


def _replaying(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A receive that gives the body read so far again, then the client's own messages."""
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return again
