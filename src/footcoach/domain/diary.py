"""What a person records: morning check-ins, guided sessions item by item, questionnaires."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One guided session: its slot and day, what was done, and how it felt."""

    day: date
    slot: str
    started_at: datetime
    items: tuple[ItemRecord, ...] = ()
    completed: bool = False
    pain_during: int | None = None
    effort: int | None = None
    """How hard it felt, 0 (nothing) to 10 (maximal)."""
    finished_at: datetime | None = None


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
                SessionLog(s.day, s.slot, s.completed, s.pain_during)
                for s in self.sessions
                if s.completed or s.pain_during is not None
            ),
        )
