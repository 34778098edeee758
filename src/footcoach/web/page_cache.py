"""Rendered answers kept per worker and served again while the person's data has not changed.

The hottest reads (today's page, today and the program as JSON) depend on one profile's data,
the day and the page's variant only. Each request reads the profile's revision, one indexed
row, and answers the bytes rendered at that revision when it has them; any write to the
profile, in this process or another, raises the revision, so nothing stale is ever served.

The routes are async, so that a kept answer costs no hop to a thread; an answer to work out
anew (the person's view is built again after a write: the database read, the planning and the
rendering, several milliseconds) is worked out in the thread pool, so the event loop goes on
serving the worker's other connections meanwhile (`answer_async`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from anyio import to_thread
from fastapi.responses import Response

from footcoach.services.cache import RevisionCache

ENTRIES = 2048
"""Bodies kept per worker (a few KB each for today; the program is some 100 KB)."""


class PageCache:
    def __init__(self, size: int = ENTRIES) -> None:
        self._bodies: RevisionCache[Hashable, tuple[bytes, str]] = RevisionCache(size)

    def answer(self, key: Hashable, revision: object, render: Callable[[], Response]) -> Response:
        """The body rendered at this revision, or render() now and keep it when it is a 200."""
        found = self._bodies.get(key, revision)
        if found is not None:
            body, media_type = found
            return Response(body, media_type=media_type)
        response = render()
        if response.status_code == 200 and response.media_type:
            self._bodies.put(key, revision, (bytes(response.body), response.media_type))
        return response

    async def answer_async(
        self, key: Hashable, revision: object, render: Callable[[], Response]
    ) -> Response:
        """answer(), with render() run in the thread pool when the answer must be made."""
        found = self._bodies.get(key, revision)
        if found is not None:
            body, media_type = found
            return Response(body, media_type=media_type)
        return await to_thread.run_sync(self.answer, key, revision, render)
