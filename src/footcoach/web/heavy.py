"""Bounds on the heavy requests (importing and exporting a whole backup), so that one person's
cannot starve everyone else's.

A backup import writes thousands of rows in one transaction and an export reads and renders the
whole diary: each holds a database connection and a pool thread for as long as it runs. Each
app process runs at most PER_PROCESS of them at once, and each person at most PER_PERSON
(local mode: its one person). A request over either bound is not queued: it is answered at once
with 429 problem+json (an HTML page for the settings forms) and a Retry-After header, and the
work it would have done is not started.

Routes take a slot with the `HeavyDep` dependency; the slot is given back when the route is
done, whether it succeeded or not.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response

from footcoach.services.restoring import CancelFlag
from footcoach.web.problems import problem, wants_json

T = TypeVar("T")

PER_PROCESS = 2
"""Heavy requests one app process runs at once."""
PER_PERSON = 1
"""Heavy requests one person (one account; in local mode, its one person) runs at once."""
RETRY_AFTER_S = 5
"""What Retry-After says to a request refused for being over a bound."""
WATCH_EVERY_S = 0.1
"""How often a running import looks whether its client is still there."""


class TooBusy(Exception):
    """Over a bound: 429 with Retry-After."""

    def __init__(self, mine: bool) -> None:
        self.mine = mine
        """True when it was the person's own bound (they have one running already)."""
        super().__init__(
            "You have an import, export or printout being made already; try again once it "
            "has finished."
            if mine
            else "The server is busy with other imports, exports and printouts; try again in a "
            "few seconds."
        )


class HeavyWork:
    """The heavy requests running in this process, by person. Thread-safe: slots are taken
    on the event loop and may be given back from a pool thread."""

    def __init__(self, per_process: int = PER_PROCESS, per_person: int = PER_PERSON) -> None:
        self.per_process = per_process
        self.per_person = per_person
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._total = 0

    def take(self, who: str) -> None:
        """A slot for `who`, or TooBusy (nothing taken)."""
        with self._lock:
            if self._running.get(who, 0) >= self.per_person:
                raise TooBusy(mine=True)
            if self._total >= self.per_process:
                raise TooBusy(mine=False)
            self._running[who] = self._running.get(who, 0) + 1
            self._total += 1

    def give_back(self, who: str) -> None:
        with self._lock:
            left = self._running.get(who, 0) - 1
            if left > 0:
                self._running[who] = left
            else:
                self._running.pop(who, None)
            self._total = max(0, self._total - 1)

    @property
    def running(self) -> int:
        with self._lock:
            return self._total


def heavy_work(app: FastAPI) -> HeavyWork:
    """The app's bounds (made on first use)."""
    work = getattr(app.state, "heavy_work", None)
    if not isinstance(work, HeavyWork):
        work = HeavyWork()
        app.state.heavy_work = work
    return work


def _who(request: Request) -> str:
    if not request.app.state.settings.multi_user:
        return "local"
    from footcoach.web.auth import identity

    user = identity(request).user
    return f"user-{user.id}" if user is not None else f"address-{_address(request)}"


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


async def heavy_slot(request: Request) -> AsyncIterator[None]:
    """Hold one heavy slot of this process and person while the route runs."""
    work = heavy_work(request.app)
    who = _who(request)
    work.take(who)
    try:
        yield
    finally:
        work.give_back(who)


HeavyDep = Annotated[None, Depends(heavy_slot)]


async def off_the_loop(request: Request, work: Callable[[CancelFlag], T]) -> T:
    """`work` in a pool thread, while the event loop watches the client: should it go away, or
    the request be cancelled (the server stopping), the flag is set, so the work stops at its
    next checkpoint and writes nothing (restoring.RestoreCancelled). Returns work's result."""
    flag = CancelFlag()
    running = asyncio.ensure_future(asyncio.to_thread(work, flag))
    try:
        while True:
            done, _ = await asyncio.wait({running}, timeout=WATCH_EVERY_S)
            if done:
                return running.result()
            if await request.is_disconnected():
                flag.cancel()
                return await running  # raises RestoreCancelled at the work's next checkpoint
    except asyncio.CancelledError:
        flag.cancel()
        raise


def install(app: FastAPI) -> None:
    """The 429 answer for TooBusy."""
    heavy_work(app)

    @app.exception_handler(TooBusy)
    async def too_busy(request: Request, exc: TooBusy) -> Response:
        headers = {"Retry-After": str(RETRY_AFTER_S)}
        if wants_json(request):
            answer: Response = problem(429, "Too many at once", str(exc), "too-busy")
        else:
            templates = request.app.state.templates
            answer = templates.TemplateResponse(
                request,
                "error.html",
                {"title": "Busy", "detail": str(exc)},
                status_code=429,
            )
        answer.headers.update(headers)
        return answer
