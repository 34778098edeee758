"""Requests that wait together are handled together, by one thread of their own.

A busy server asks the database the same small things many times a millisecond: a profile's
revision, a session's slot, "save this item". Asking once for everyone waiting costs one round
trip (and, for writes, one commit) instead of one each. A Batcher keeps one worker thread: when
it is free it takes everything waiting (up to `most`), hands the list to `handle`, and answers
each caller with its own result. A request that arrives while a batch is being handled waits for
the next one, so every answer comes from work begun after its request arrived: a read is never
older than the request, and a caller that saw its write acknowledged reads it back.

Callers either block (`call`, from a thread) or await (`call_async`, from an event loop, which
is never blocked: the worker hands the answers back to the loop, once per batch).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MOST = 128
"""The most requests one batch takes."""


@dataclass(eq=False)
class _Waiting(Generic[T, R]):
    request: T
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future[R] | None = None
    done: threading.Event | None = None
    result: R | None = None
    error: BaseException | None = None


class Batcher(Generic[T, R]):
    def __init__(
        self,
        handle: Callable[[list[T]], Sequence[R | BaseException]],
        name: str,
        most: int = MOST,
    ) -> None:
        """`handle` answers a batch with one result, or one exception, per request, in order;
        should it raise, every request of the batch gets that exception."""
        self._handle = handle
        self._name = name
        self._most = most
        self._waiting: queue.SimpleQueue[_Waiting[T, R] | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._starting = threading.Lock()
        self._closed = False

    def call(self, request: T) -> R:
        """The request's result, once its batch is handled (blocks this thread)."""
        waiting: _Waiting[T, R] = _Waiting(request, done=threading.Event())
        self._submit(waiting)
        assert waiting.done is not None
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        return waiting.result  # type: ignore[return-value]

    async def call_async(self, request: T) -> R:
        """The request's result, once its batch is handled (the event loop goes on meanwhile).
        A caller that stops waiting (a cancelled task) does not stop its request."""
        loop = asyncio.get_running_loop()
        waiting: _Waiting[T, R] = _Waiting(request, loop=loop, future=loop.create_future())
        self._submit(waiting)
        assert waiting.future is not None
        return await waiting.future

    def close(self) -> None:
        """Handle what is waiting, then stop the worker; later calls start a new one."""
        with self._starting:
            worker = self._worker
            self._worker = None
            if worker is not None:
                self._waiting.put(None)
        if worker is not None:
            worker.join()

    def _submit(self, waiting: _Waiting[T, R]) -> None:
        if self._worker is None:
            with self._starting:
                if self._worker is None:
                    worker = threading.Thread(target=self._work, name=self._name, daemon=True)
                    worker.start()  # daemon: a caller waiting on it keeps the process alive
                    self._worker = worker
        self._waiting.put(waiting)

    def _work(self) -> None:
        while True:
            first = self._waiting.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self._most:
                try:
                    more = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._answer(batch)
            if stop:
                return

    def _answer(self, batch: list[_Waiting[T, R]]) -> None:
        try:
            results = list(self._handle([w.request for w in batch]))
            if len(results) != len(batch):
                raise RuntimeError(f"{self._name}: {len(results)} results for {len(batch)}")
        except BaseException as exc:
            results = [exc] * len(batch)
        by_loop: dict[asyncio.AbstractEventLoop, list[_Waiting[T, R]]] = {}
        for waiting, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                waiting.error = result
            else:
                waiting.result = result
            if waiting.done is not None:
                waiting.done.set()
            elif waiting.loop is not None:
                by_loop.setdefault(waiting.loop, []).append(waiting)
        for loop, settled in by_loop.items():  # one wake-up of each loop per batch
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits there now
                loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[_Waiting[T, R]]) -> None:
    """On the waiters' event loop: hand each its result."""
    for waiting in settled:
        future = waiting.future
        if future is None or future.done():  # the waiter was cancelled
            continue
        if waiting.error is not None:
            future.set_exception(waiting.error)
        else:
            future.set_result(waiting.result)  # type: ignore[arg-type]
