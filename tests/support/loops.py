"""Run a coroutine to its end from a test, whatever event loop the test's thread may hold."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """`make()`'s result, on a new event loop in a thread of its own (Playwright's sync API
    leaves a loop running in the main thread, where asyncio.run() refuses to start)."""

    async def main() -> T:
        return await make()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()
