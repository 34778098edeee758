"""A small, thread-safe cache of views keyed by what they were built from and its revision."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class RevisionCache(Generic[K, V]):
    """Least recently used entries, each valid for one revision of its key.

    The revision is read from the database by the caller, first, before anything it covers: a
    value built afterwards can only be newer than its revision says, never older, so a reader
    that sees the revision never gets a view older than it.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[K, tuple[object, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, revision: object) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != revision:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: K, revision: object, value: V) -> None:
        with self._lock:
            self._entries[key] = (revision, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
