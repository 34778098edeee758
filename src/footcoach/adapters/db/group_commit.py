"""Item saves that arrive together are committed together: one transaction, one disk flush.

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
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from footcoach.adapters.db.unit_of_work import SqlUnitOfWork
from footcoach.domain.diary import ItemRecord

BATCH = 128
"""The most items one transaction takes."""


@dataclass(eq=False)
class _Save:
    session_id: int
    item: ItemRecord
    done: threading.Event = field(default_factory=threading.Event)
    created: bool = False
    error: BaseException | None = None


class GroupCommit:
    def __init__(
        self, unit_of_work: Callable[[], SqlUnitOfWork], lock_path: str | None = None
    ) -> None:
        """`lock_path`: a file that writers in every process lock in turn (SQLite), or None."""
        self._unit_of_work = unit_of_work
        self._lock_path = lock_path
        self._lock_file: int | None = None
        self._waiting: queue.SimpleQueue[_Save | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._starting = threading.Lock()

    def save(self, session_id: int, item: ItemRecord) -> bool:
        """Insert an item and return once it is committed: True when it is new, False when its
        position was saved before (nothing written)."""
        pending = _Save(session_id, item)
        self._start()
        self._waiting.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.created

    def close(self) -> None:
        """Let the writer finish what is queued, then stop it."""
        writer = self._writer
        if writer is not None:
            self._waiting.put(None)
            writer.join()
            self._writer = None
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None

    def _start(self) -> None:
        if self._writer is not None:
            return
        with self._starting:
            if self._writer is None:
                writer = threading.Thread(target=self._write, name="footcoach-item-writer")
                writer.daemon = True  # a request waiting on it keeps the process alive anyway
                writer.start()
                self._writer = writer

    def _write(self) -> None:
        while True:
            first = self._waiting.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < BATCH:
                try:
                    more = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._waiting.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._commit(batch)

    def _commit(self, batch: list[_Save]) -> None:
        try:
            with self._turn(), self._unit_of_work() as uow:
                created = uow.diary.add_items([(s.session_id, s.item) for s in batch])
                uow.commit()
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
                batch[0].done.set()
                return
            for single in batch:  # one at a time, so one bad item fails alone
                self._commit([single])
            return
        for pending, new in zip(batch, created, strict=True):
            pending.created = new
            pending.done.set()

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
