"""The batcher: requests waiting together are handled together, each gets its own answer, and
a request is never answered by work begun before it arrived."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from footcoach.services.batching import Batcher
from tests.support.loops import run_async


class Recorder:
    """A handler that squares numbers, fails on negative ones, and can be held at a gate."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, batch: list[int]) -> list[int | BaseException]:
        self.batches.append(list(batch))
        self.entered.set()
        self.gate.wait()
        return [ValueError(f"negative: {n}") if n < 0 else n * n for n in batch]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def batcher(recorder):
    made = Batcher(recorder, "test-batcher")
    yield made
    recorder.gate.set()
    made.close()


def test_each_caller_gets_its_own_result(batcher):
    assert [batcher.call(n) for n in (2, 3)] == [4, 9]


def test_an_exception_for_one_request_is_raised_to_its_caller_only(batcher, recorder):
    recorder.gate.clear()
    answers: dict[int, object] = {}

    def ask(n: int) -> None:
        try:
            answers[n] = batcher.call(n)
        except ValueError as exc:
            answers[n] = str(exc)

    first = threading.Thread(target=ask, args=(1,))
    first.start()
    assert recorder.entered.wait(5)
    rest = [threading.Thread(target=ask, args=(n,)) for n in (5, -2, 6)]
    for thread in rest:
        thread.start()
    recorder.gate.set()
    for thread in [first, *rest]:
        thread.join(5)
    assert answers == {1: 1, 5: 25, -2: "negative: -2", 6: 36}


def test_requests_that_arrive_while_a_batch_is_handled_wait_for_the_next_one(batcher, recorder):
    """Freshness: the batch in hand began before they arrived, so it cannot answer them."""
    recorder.gate.clear()
    first = threading.Thread(target=batcher.call, args=(1,))
    first.start()
    assert recorder.entered.wait(5)
    later = [threading.Thread(target=batcher.call, args=(n,)) for n in (2, 3, 4)]
    for thread in later:
        thread.start()
    time.sleep(0.05)  # they are queued behind the batch in hand
    recorder.gate.set()
    for thread in [first, *later]:
        thread.join(5)
    assert recorder.batches[0] == [1]
    assert sorted(n for batch in recorder.batches[1:] for n in batch) == [2, 3, 4]
    assert len(recorder.batches) < 4  # the three that waited together went together


def test_a_handler_that_raises_fails_every_request_of_its_batch():
    def broken(batch: list[int]) -> list[int]:
        raise RuntimeError("the database is gone")

    batcher: Batcher[int, int] = Batcher(broken, "broken")
    try:
        with pytest.raises(RuntimeError, match="the database is gone"):
            batcher.call(1)
    finally:
        batcher.close()


def test_a_handler_answering_the_wrong_number_of_results_is_an_error():
    batcher: Batcher[int, int] = Batcher(lambda batch: [], "short")
    try:
        with pytest.raises(RuntimeError, match="0 results for 1"):
            batcher.call(1)
    finally:
        batcher.close()


def test_awaiting_callers_are_answered_on_their_event_loop(batcher, recorder):
    async def many() -> list[int | str]:
        calls = [batcher.call_async(n) for n in (1, 2, -3, 4)]
        return [
            a if isinstance(a, int) else str(a)
            for a in await asyncio.gather(*calls, return_exceptions=True)
        ]

    assert run_async(many) == [1, 4, "negative: -3", 16]
    assert sum(len(b) for b in recorder.batches) == 4


def test_a_cancelled_waiter_leaves_the_others_answered(batcher, recorder):
    recorder.gate.clear()

    async def scenario() -> int:
        loop = asyncio.get_running_loop()
        gone = loop.create_task(batcher.call_async(7))
        kept = loop.create_task(batcher.call_async(8))
        await asyncio.sleep(0.05)
        gone.cancel()
        recorder.gate.set()
        with pytest.raises(asyncio.CancelledError):
            await gone
        return await kept

    assert run_async(scenario) == 64
    assert 7 in [n for batch in recorder.batches for n in batch]  # still handled


def test_close_handles_what_is_queued_and_a_later_call_starts_again(recorder):
    batcher: Batcher[int, int] = Batcher(recorder, "restart")
    assert batcher.call(3) == 9
    batcher.close()
    assert batcher.call(4) == 16
    batcher.close()
