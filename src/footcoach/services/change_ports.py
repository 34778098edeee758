"""The port the prescription service adds: the store of program changes (UnitOfWork.changes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from footcoach.domain.changes import ProgramChange


class ChangeStore(Protocol):
    """The audit trail of each profile's program changes, numbered 1, 2, 3... per profile.

    A profile's program version is the number of its latest change (0 before any): the trail
    is the counter, so the two can never disagree.
    """

    def version(self, profile_id: int) -> int: ...

    def trail(self, profile_id: int, since_version: int = 0) -> list[ProgramChange]:
        """The changes after a version, oldest first."""
        ...

    def add(self, profile_id: int, version: int, change: ProgramChange) -> bool:
        """Store a change as this version; False, writing nothing, when the version is taken."""
        ...

    def restore(self, profile_id: int, changes: Sequence[ProgramChange]) -> None:
        """A backup's whole trail into a profile that has none, as versions 1, 2, 3..."""
        ...

    def touch_profile(self, profile_id: int) -> None:
        """Raise the profile's revision, so cached views of its program are rebuilt."""
        ...
