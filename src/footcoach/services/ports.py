"""The ports: what the services need from the outside world, as Protocols."""

from __future__ import annotations

from typing import Protocol

from footcoach.domain.library import Library
from footcoach.domain.protocol import Protocols


class LibrarySource(Protocol):
    """Loads the exercise catalog, its sources and its conflicts."""

    def load(self) -> Library: ...


class ProtocolSource(Protocol):
    """Loads the protocols, checked against the library they draw on."""

    def load(self, library: Library) -> Protocols: ...
