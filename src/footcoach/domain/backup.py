"""What a backup holds: everything of one profile."""

from __future__ import annotations

from dataclasses import dataclass

from footcoach.domain.changes import ProgramChange
from footcoach.domain.diary import Diary
from footcoach.domain.profile import Profile


@dataclass(frozen=True, slots=True)
class Backup:
    profile: Profile
    diary: Diary
    changes: tuple[ProgramChange, ...] = ()
    """The program's changes (its audit trail), oldest first: version 1, 2, 3..."""
