"""Protocols as data: phases, the items of each daily slot, their doses and schedules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from footcoach.domain.catalog import Tempo, suggest
from footcoach.domain.errors import UnknownIdError
from footcoach.domain.intake import Goal


class Slot(StrEnum):
    BEFORE_FIRST_STEP = "before_first_step"
    DAYTIME = "daytime"
    EVENING = "evening"


SLOT_ORDER: tuple[Slot, ...] = (Slot.BEFORE_FIRST_STEP, Slot.DAYTIME, Slot.EVENING)


class Schedule(StrEnum):
    DAILY = "daily"
    EVERY_OTHER_DAY = "every_other_day"


class Priority(StrEnum):
    """What to keep when time is short: essential first, then core, then optional."""

    ESSENTIAL = "essential"
    CORE = "core"
    OPTIONAL = "optional"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.ESSENTIAL: 0, Priority.CORE: 1, Priority.OPTIONAL: 2}


@dataclass(frozen=True, slots=True)
class DoseStep:
    """The dose of an item from a given week of its phase onward (Rathleff-style steps)."""

    from_week: int
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    duration_s: int | None = None
    load: str | None = None
    adds_weight: bool = False
    """The step adds weight beyond the body's own (a loaded backpack)."""


@dataclass(frozen=True, slots=True)
class ProtocolItem:
    """One exercise in one slot of a phase; None fields take the exercise's default dose."""

    exercise: str
    slot: Slot
    why: str
    priority: Priority = Priority.CORE
    schedule: Schedule = Schedule.DAILY
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    duration_s: int | None = None
    rest_s: int | None = None
    load: str | None = None
    tempo: Tempo | None = None
    sources: tuple[str, ...] = ()
    dose_steps: tuple[DoseStep, ...] = ()
    follows: str | None = None
    """The exercise of an earlier item of the phase this one belongs after (rest after ice):
    it is never planned without that item."""

    def step_for(self, week_in_phase: int) -> DoseStep | None:
        """The dose step in force in a given week of the phase, if the item has steps."""
        current = None
        for step in self.dose_steps:
            if step.from_week <= week_in_phase:
                current = step
        return current


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    name: str
    weeks: int
    """How long the phase lasts when pain allows it to run its course."""
    summary: str
    entry: str
    exit: str
    items: tuple[ProtocolItem, ...]
    enter_at_pain: int = 0
    """At the start, the phase is used only if first-step pain is at least this (0: always)."""

    def predecessor(self, index: int) -> int | None:
        """The index of the item the item at `index` follows: the nearest earlier item of the
        phase with the exercise it names; None when it follows nothing (or nothing matches)."""
        wanted = self.items[index].follows
        if wanted is None:
            return None
        for i in range(index - 1, -1, -1):
            if self.items[i].exercise == wanted:
                return i
        return None

    @property
    def gentle(self) -> bool:
        """A phase entered only while pain is high (the calm phase): all off the feet."""
        return self.enter_at_pain > 0


@dataclass(frozen=True, slots=True)
class ExcludedNote:
    """An exercise a protocol leaves out on purpose, with the reason."""

    exercise: str
    reason: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Protocol:
    id: str
    name: str
    summary: str
    sources: tuple[str, ...]
    evidence: str
    goals: tuple[Goal, ...]
    default_weeks: int
    reassess_every_weeks: int
    non_weight_bearing: bool
    phases: tuple[Phase, ...]
    excluded: tuple[ExcludedNote, ...] = ()
    notes: tuple[str, ...] = ()

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        ids = tuple(p.id for p in self.phases)
        raise UnknownIdError("phase", phase_id, suggest(phase_id, ids), ids)


class Protocols:
    def __init__(self, protocols: Iterable[Protocol]) -> None:
        self._by_id = {p.id: p for p in sorted(protocols, key=lambda p: p.id)}

    def __iter__(self) -> Iterator[Protocol]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, key: str) -> Protocol:
        try:
            return self._by_id[key]
        except KeyError:
            raise UnknownIdError("protocol", key, suggest(key, self._by_id), self.ids) from None
