"""What a person records: morning check-ins, guided sessions item by item, questionnaires."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from footcoach.domain.intake import CheckIn, History, SessionLog


class Instrument(StrEnum):
    FFI = "ffi"
    FAAM = "faam"


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """What was actually done of one prescribed item."""

    position: int
    exercise: str
    sets_done: int
    reps_done: int
    """Repetitions (or holds) completed, over all sets and sides."""
    seconds_done: int
    skipped: bool
    finished_at: datetime


def all_planned_saved(planned_items: int | None, saved_positions: Iterable[int]) -> bool:
    """True when every item the program planned for a session is saved, done or skipped.

    This is what makes a session done: its rating (pain during, effort) is optional and may
    come later. A session started before footcoach kept the planned count (None) is done only
    when it was finished as completed."""
    if planned_items is None or planned_items <= 0:
        return False
    saved = {p for p in saved_positions if 0 <= p < planned_items}
    return len(saved) == planned_items


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One guided session: its slot and day, what was done, and how it felt.

    `completed` is kept true by the database once every planned item is saved (the rule is
    all_planned_saved), so views that read sessions without their items still count it done."""

    day: date
    slot: str
    started_at: datetime
    items: tuple[ItemRecord, ...] = ()
    completed: bool = False
    pain_during: int | None = None
    effort: int | None = None
    """How hard it felt, 0 (nothing) to 10 (maximal)."""
    finished_at: datetime | None = None
    planned_items: int | None = None
    """How many items the program planned when the session started (None: not known)."""

    @property
    def done(self) -> bool:
        """The one rule for a done session, used by every view: finished as completed, or
        every planned item saved. A rating is not needed."""
        return self.completed or all_planned_saved(
            self.planned_items, (i.position for i in self.items)
        )

    @property
    def rated(self) -> bool:
        """True once the person said how it felt (pain during it)."""
        return self.pain_during is not None


@dataclass(frozen=True, slots=True)
class CheckInCorrection:
    """One change to a stored check-in: the day, the value before and after, who made it and
    when (a person's own correction, or a clinician's)."""

    day: date
    was: int
    now: int
    who: str
    at: datetime


@dataclass(frozen=True, slots=True)
class QuestionnaireResponse:
    """Raw answers, item by item; None marks an item not applicable or not answered."""

    instrument: Instrument
    taken_on: date
    answers: tuple[int | None, ...]
    sports: tuple[int | None, ...] = ()
    """FAAM only: the 8 Sports items (answers holds the 21 ADL items)."""


@dataclass(frozen=True, slots=True)
class Diary:
    """Everything recorded for one profile, oldest first."""

    checkins: tuple[CheckIn, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    questionnaires: tuple[QuestionnaireResponse, ...] = field(default=())

    def history(self) -> History:
        """The planner's view: check-ins and finished sessions with their pain."""
        return History(
            checkins=self.checkins,
            sessions=tuple(
                SessionLog(s.day, s.slot, s.done, s.pain_during)
                for s in self.sessions
                if s.done or s.pain_during is not None
            ),
        )
