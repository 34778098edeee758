"""The ports: what the services need from the outside world, as Protocols."""

from __future__ import annotations

from typing import Protocol

from footcoach.domain.library import Library


class LibrarySource(Protocol):
    """Loads the exercise catalog, its sources and its conflicts."""

    def load(self) -> Library: ...
