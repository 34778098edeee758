"""Local mode's hottest reads answered before routing, while the person's data is unchanged.

GET /today, /api/v1/today and /api/v1/program depend on the one person's data and the day only.
This ASGI middleware, in front of the app, reads the profile's revision (one indexed row, on a
bare driver connection; on PostgreSQL one statement for all the requests waiting together, so
no round trip holds up the event loop) and, when it has the answer the app gave at that
revision on that day, sends it again, byte for byte and with the same headers, without routing,
dependencies or rendering. Otherwise the JSON views are worked out here, in a thread, by the
routes' own functions (after a write, the read that follows need not pay for routing either),
and /today goes on to the app as usual (its page depends on the request); a 200 answer is
kept. Any write to the profile, in this process or another, raises the revision, so nothing
stale is served; the day is part of the key.

Multi-user mode passes every request through: who is asking takes a session read first, and
the routes keep their own cache, keyed by the session (web/page_cache.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.responses import Response

from footcoach.bootstrap import Services
from footcoach.domain.errors import FootcoachError
from footcoach.services.cache import RevisionCache
from footcoach.services.tracking import NoProfileError
from footcoach.web.routes.api_diary import today_answer
from footcoach.web.routes.api_plan import program_answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATHS = frozenset({"/today", "/api/v1/today", "/api/v1/program"})
ANSWERS: dict[str, Callable[[Services, str, dt.date], Response]] = {
    "/api/v1/today": today_answer,
    "/api/v1/program": lambda services, profile, _day: program_answer(services, profile),
}
"""The views worked out here when the kept answer is out of date: the routes' own answers."""
ENTRIES = 64
"""Answers kept: three paths, a few days."""


class CachedReads:
    def __init__(self, app: ASGIApp, services: Services, profile: str) -> None:
        self.app = app
        self.services = services
        self.profile = profile
        self.answers: RevisionCache[tuple[str, object], tuple[list[Any], bytes]] = RevisionCache(
            ENTRIES
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in PATHS
            or scope.get("query_string")
        ):
            await self.app(scope, receive, send)
            return
        try:
            revision = await self.services.tracking.revision_async(self.profile)
        except NoProfileError:  # the app answers that (the onboarding page, a 404)
            await self.app(scope, receive, send)
            return
        key: tuple[str, dt.date] = (scope["path"], self.services.clock.today())
        found = self.answers.get(key, revision)
        if found is not None:
            headers, body = found
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        answer = ANSWERS.get(scope["path"])
        app: ASGIApp = self.app
        if answer is not None:
            with contextlib.suppress(FootcoachError):  # else the app answers, as always
                app = await asyncio.to_thread(answer, self.services, self.profile, key[1])
        await self._pass_and_keep(app, scope, receive, send, key, revision)

    async def _pass_and_keep(
        self,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[str, object],
        revision: object,
    ) -> None:
        """Let `app` answer; keep a whole 200 answer that sets no cookie, under the revision
        read before it ran (so what is kept is as new as its key, or newer)."""
        start: Message = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False) and _keepable(start):
                    self.answers.put(key, revision, (list(start["headers"]), b"".join(parts)))
            await send(message)

        await app(scope, receive, keep)


def _keepable(start: Message) -> bool:
    if start.get("status") != 200:
        return False
    return all(name.lower() != b"set-cookie" for name, _ in start.get("headers", ()))
