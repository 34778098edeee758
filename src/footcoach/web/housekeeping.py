"""Housekeeping while a multi-user server runs: AccountService.purge when it starts, then hourly.

Ended web sessions, login and registration attempts past their window and long-spent invites
are rows nobody reads again; left alone they grow with every login. Each worker of a server
purges on its own (purging is safe from any process at any time, and cheap when there is
nothing to purge), in a thread, so the event loop keeps answering. A purge that fails is
logged and tried again at the next hour; shutting down waits for a purge under way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import anyio

log = logging.getLogger("footcoach.web")

PURGE_EVERY_S = 3600.0
"""How often a server purges, after once at start."""


async def purge_once(purge: Callable[[], int]) -> None:
    """Run `purge` in a thread; a failure is logged, not raised."""
    try:
        gone = await anyio.to_thread.run_sync(purge)
    except Exception:
        log.exception("footcoach: the purge of old sessions and attempts failed")
    else:
        if gone:
            log.info("footcoach: purged %d old sessions, attempts and invites", gone)


async def purge_periodically(
    purge: Callable[[], int],
    every_s: float = PURGE_EVERY_S,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Run `purge` every `every_s` seconds until cancelled."""
    while True:
        await sleep(every_s)
        await purge_once(purge)


async def start(purge: Callable[[], int]) -> asyncio.Task[None]:
    """Purge now (the server answers once it is done), then hourly in a task of the running
    loop; cancel it to stop."""
    await purge_once(purge)
    return asyncio.get_running_loop().create_task(purge_periodically(purge), name="purge")


async def stop(task: asyncio.Task[None]) -> None:
    """Cancel the task and wait for it (and for a purge under way) to end."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
