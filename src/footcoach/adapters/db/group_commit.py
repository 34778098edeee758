"""Item saves and check-in corrections that arrive together are committed together: one
transaction, one disk flush.

A SQLite commit in full-sync mode waits for the disk (about 4 ms on these machines) and SQLite
takes one writer at a time, so committing each saved item on its own caps a server at a few
hundred saves a second, with long queues behind the write lock. Here each save is handed to one
writer thread per process, which writes everything waiting in one transaction and then releases
every caller: nobody is answered before their item is on disk, and a busy minute costs a flush
per batch instead of per item. Should a batch fail as a whole, each of its items is tried again
in a transaction of its own, so one bad item cannot fail the others.

On SQLite the writers of all processes take turns through a lock file (flock): a writer waiting
for the lock is woken the moment it is free, where SQLite's own busy wait sleeps in growing steps
and leaves long tails when two processes write at once. PostgreSQL batches the same way (one
commit per batch) and needs no lock file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from footcoach.adapters.db.unit_of_work import SqlUnitOfWork
from footcoach.domain.diary import ItemRecord
from footcoach.services.batching import Batcher

Save = tuple[int, ItemRecord]
"""(session id, item record)"""


@dataclass(frozen=True, slots=True)
class Correction:
    """A day's check-in changed to `pain`, by `who`, at `at` (kept in the audit trail)."""

    profile_id: int
    day: date
    pain: int
    who: str
    at: datetime


Write = Save | Correction
Written = bool | int | None
"""A save: True when new. A correction: the pain it replaced, None when the day had none."""


class GroupCommit:
    def __init__(
        self, unit_of_work: Callable[[], SqlUnitOfWork], lock_path: str | None = None
    ) -> None:
        """`lock_path`: a file that writers in every process lock in turn (SQLite), or None."""
        self._unit_of_work = unit_of_work
        self._lock_path = lock_path
        self._lock_file: int | None = None
        self._batcher: Batcher[Write, Written] = Batcher(self._commit, "footcoach-diary-writer")

    def save(self, session_id: int, item: ItemRecord) -> bool:
        """Insert an item and return once it is committed: True when it is new, False when its
        position was saved before (nothing written)."""
        return bool(self._batcher.call((session_id, item)))

    async def save_async(self, session_id: int, item: ItemRecord) -> bool:
        """save(), awaited: the event loop goes on while the item waits for its commit."""
        return bool(await self._batcher.call_async((session_id, item)))

    def correct(self, correction: Correction) -> int | None:
        """Change a check-in and return once it is committed: the pain it replaced, or None
        when the day has no check-in (nothing written)."""
        return _was(self._batcher.call(correction))

    async def correct_async(self, correction: Correction) -> int | None:
        """correct(), awaited."""
        return _was(await self._batcher.call_async(correction))

    def close(self) -> None:
        """Let the writer finish what is queued, then stop it."""
        self._batcher.close()
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None

    def _commit(self, batch: list[Write]) -> list[Written | BaseException]:
        """The batch in one transaction, in order: each correction reads the check-in as the
        ones before it left it."""
        try:
            results: list[Written | BaseException] = [None] * len(batch)
            with self._turn(), self._unit_of_work() as uow:
                saves = [(n, w) for n, w in enumerate(batch) if not isinstance(w, Correction)]
                if saves:
                    created = uow.diary.add_items([save for _, save in saves])
                    for (n, _), new in zip(saves, created, strict=True):
                        results[n] = new
                fixes = [(n, w) for n, w in enumerate(batch) if isinstance(w, Correction)]
                if fixes:
                    replaced = uow.diary.correct_checkins(
                        [(w.profile_id, w.day, w.pain, w.who, w.at) for _, w in fixes]
                    )
                    for (n, _), was in zip(fixes, replaced, strict=True):
                        results[n] = was
                uow.commit()
            return results
        except Exception as exc:
            if len(batch) == 1:
                return [exc]
            # one at a time, so one bad write fails alone
            return [self._commit([single])[0] for single in batch]

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This process's turn to write, among all that share the lock file (the writer thread
        only, so the file needs no guard of its own)."""
        if self._lock_path is None:
            yield
            return
        try:
            import fcntl
        except ImportError:  # not POSIX: SQLite's own locking alone
            yield
            return
        if self._lock_file is None:
            self._lock_file = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)


def _was(result: Written) -> int | None:
    """A correction's result: the replaced pain (an int, never a save's bool)."""
    return None if result is None or isinstance(result, bool) else result
