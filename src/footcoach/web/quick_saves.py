"""Local mode's item saves and check-in corrections, answered before routing when everything
about them is plain.

A guided session posts each item the moment it finishes: POST /api/v1/sessions/{id}/items is
the app's busiest write, and a morning's check-in, changed with PUT /api/v1/checkins/{date},
the next. Through the router each pays for route matching, dependency resolution, the layers of
error handling and a hop to the thread pool, which together cost about as much as the write.
This ASGI middleware, in front of the app, takes the common case itself: a same-site request
whose body is valid, for a session of the person's and a position not saved before, or for a
day that has a check-in. It reads and checks the body with the route's own functions, writes
through the same use case (awaiting the commit on the event loop: nobody is answered before the
write is on disk) and answers with the route's own answer.

Everything else goes on to the app, with the body as it was sent, and the app answers it as
always: bad input, an unknown session, an item the plan refuses, a day without a check-in
(nothing was written for any of them), a position saved before (a retry: the app answers the
record stored first, and writes nothing), a request from another site, a body over 64 KiB.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from footcoach.bootstrap import Services
from footcoach.domain.errors import FootcoachError
from footcoach.services.sessions import record_new_item
from footcoach.web.routes.api import Faults, parse_json
from footcoach.web.routes.api_diary import checkin_corrected, correction_of
from footcoach.web.routes.api_sessions import item_saved, read_item

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = re.compile(r"/api/v1/sessions/([1-9][0-9]{0,9})/items")
CHECKIN_PATH = re.compile(r"/api/v1/checkins/([0-9]{4}-[0-9]{2}-[0-9]{2})")
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
        target = _target(scope)
        if target is None:
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if body is None:  # the client went away: there is nobody to answer
            return
        replay = _replaying(body, complete, receive)
        if not complete or not await self._answered(scope, send, replay, target, body):
            await self.app(scope, replay, send)

    async def _answered(
        self, scope: Scope, send: Send, receive: Receive, target: int | str, body: bytes
    ) -> bool:
        if isinstance(target, int):
            return await self._saved(scope, send, receive, target, body)
        return await self._corrected(scope, send, receive, target, body)

    async def _corrected(
        self, scope: Scope, send: Send, receive: Receive, path_day: str, body: bytes
    ) -> bool:
        """Whether the check-in was changed and answered here."""
        try:
            day, pain = correction_of(path_day, parse_json(body))
            said = await self.services.tracking.correct_checkin_async(self.profile, pain, day)
        except FootcoachError:  # bad input, no profile, no check-in that day: nothing written
            return False
        await checkin_corrected(day, pain, said)(scope, receive, send)
        return True

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


def _target(scope: Scope) -> int | str | None:
    """The session of a same-site POST /api/v1/sessions/{id}/items, the day of a same-site PUT
    /api/v1/checkins/{date} (as written in the path), else None."""
    if scope["type"] != "http" or scope.get("query_string"):
        return None
    target: int | str
    if scope["method"] == "POST":
        match = PATH.fullmatch(scope["path"])
        if match is None or int(match[1]) > LARGEST_ID:
            return None
        target = int(match[1])
    elif scope["method"] == "PUT":
        match = CHECKIN_PATH.fullmatch(scope["path"])
        if match is None:
            return None
        target = match[1]
    else:
        return None
    for name, value in scope["headers"]:
        if name == b"sec-fetch-site" and value.lower() == b"cross-site":
            return None  # the app refuses it, with its reasons
    return target


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
