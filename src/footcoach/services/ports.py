"""The ports: what the services need from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from footcoach.domain.changes import ProgramChange
from footcoach.domain.diary import (
    CheckInCorrection,
    Diary,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.intake import CheckIn
from footcoach.domain.library import Library
from footcoach.domain.profile import Profile
from footcoach.domain.protocol import Protocols

if TYPE_CHECKING:  # change_ports builds on this module
    from footcoach.services.change_ports import ChangeStore


class LibrarySource(Protocol):
    """Loads the exercise catalog, its sources and its conflicts."""

    def load(self) -> Library: ...


class ProtocolSource(Protocol):
    """Loads the protocols, checked against the library they draw on."""

    def load(self, library: Library) -> Protocols: ...


class ProfileStore(Protocol):
    def id_of(self, name: str) -> int | None: ...

    def revision(self, name: str) -> tuple[int, int] | None:
        """(id, revision): the revision rises with every write a cached view depends on."""
        ...

    def get(self, name: str) -> Profile | None: ...

    def names(self) -> list[str]: ...

    def save(self, profile: Profile, now: datetime) -> None: ...


class DiaryStore(Protocol):
    def checkin_on(self, profile_id: int, day: date) -> CheckIn | None: ...

    def add_checkin(self, profile_id: int, checkin: CheckIn, now: datetime) -> None: ...

    def correct_checkin(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        """Change the day's check-in to `pain` and keep the change in the audit trail; returns
        the value it had, or None (nothing written) when the day has no check-in."""
        ...

    def corrections(self, profile_id: int) -> list[CheckInCorrection]:
        """Every check-in correction of a profile, oldest first."""
        ...

    def start_session(
        self,
        profile_id: int,
        day: date,
        slot: str,
        now: datetime,
        planned_items: int | None = None,
    ) -> int: ...

    def add_item(self, session_id: int, item: ItemRecord) -> bool: ...

    def add_session(self, profile_id: int, record: SessionRecord) -> int: ...

    def open_session(
        self, profile_id: int, day: date, slot: str
    ) -> tuple[int, list[int]] | None: ...

    def session_record(self, session_id: int) -> SessionRecord | None: ...

    def owned_session(self, profile_id: int, session_id: int) -> SessionRecord | None:
        """session_record, only when the session is this profile's."""
        ...

    def finish_session(
        self,
        session_id: int,
        completed: bool,
        pain_during: int | None,
        effort: int | None,
        now: datetime,
    ) -> None: ...

    def add_questionnaire(
        self, profile_id: int, response: QuestionnaireResponse, now: datetime
    ) -> None: ...

    def restore(
        self, profile_id: int, diary: Diary, now: datetime, checkpoint: Callable[[], None]
    ) -> None:
        """A whole diary into a profile, in a few multi-row inserts; `checkpoint` runs before
        each and raises to stop (the caller's transaction is then rolled back)."""
        ...

    def diary(
        self, profile_id: int, since: date | None = None, with_items: bool = True
    ) -> Diary: ...

    def is_empty(self, profile_id: int) -> bool: ...


class UnitOfWork(Protocol):
    """One transaction over the stores; leaving without commit() rolls back."""

    profiles: ProfileStore
    diary: DiaryStore
    changes: ChangeStore

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


ProfileRead = tuple[tuple[int, int], tuple[date, str] | None]
"""A profile's (id, revision) and, when asked for, the (day, slot) of one of its sessions."""


class HotPath(Protocol):
    """The busiest reads and writes, done more cheaply than a unit of work can."""

    def revision(self, name: str) -> tuple[int, int] | None:
        """ProfileStore.revision, outside any transaction."""
        ...

    def session_slot(self, profile_id: int, session_id: int) -> tuple[date, str] | None:
        """(day, slot) of a session when it is this profile's, else None."""
        ...

    def save_item(self, session_id: int, item: ItemRecord) -> bool:
        """DiaryStore.add_item, committed before it returns (True when new)."""
        ...

    def correct_checkin(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        """DiaryStore.correct_checkin with the revision raised, committed before it returns."""
        ...

    def profile_state(self, name: str) -> tuple[Profile, Diary, list[ProgramChange]] | None:
        """The profile, its diary without item records and its program changes, oldest first,
        as a unit of work reads them but in one consistent read; None when there is no such
        profile, or when the units of work are to read it instead."""
        ...

    # for an event loop: each awaits its answer without blocking the loop

    async def revision_async(self, name: str) -> tuple[int, int] | None:
        """revision()."""
        ...

    async def session_slot_async(self, name: str, session_id: int) -> ProfileRead | None:
        """The profile's (id, revision) and the session's (day, slot) when it is that profile's,
        in one read; None when there is no such profile."""
        ...

    async def save_item_async(self, session_id: int, item: ItemRecord) -> bool:
        """save_item()."""
        ...

    async def correct_checkin_async(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        """correct_checkin()."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...
