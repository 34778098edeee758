"""A generated program: weeks of days of sessions of prescribed items, with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from footcoach.domain.catalog import Tempo
from footcoach.domain.protocol import Slot
from footcoach.domain.screening import Referral


class Status(StrEnum):
    OK = "ok"
    REFER = "refer"


class Action(StrEnum):
    PROGRESS = "progress"
    REPEAT = "repeat"
    REGRESS = "regress"
    PAUSE = "pause"


@dataclass(frozen=True, slots=True)
class Adjustment:
    action: Action
    reason: str


@dataclass(frozen=True, slots=True)
class Item:
    exercise: str
    sets: int
    reps: int
    hold_s: int | None
    duration_s: int | None
    rest_s: int
    per_side: bool
    first_side: str | None
    load: str | None
    tempo: Tempo | None
    why: str
    sources: tuple[str, ...]
    seconds: int
    """Honest estimate of the time it takes, both sides, rests and setting up included."""


@dataclass(frozen=True, slots=True)
class Session:
    slot: Slot
    minutes: int
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    sessions: tuple[Session, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


@dataclass(frozen=True, slots=True)
class Week:
    number: int
    phase: str
    days: tuple[Day, ...]


@dataclass(frozen=True, slots=True)
class Excluded:
    exercise: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClinicianPrompt:
    """R2: a suggestion to see a clinician while the program goes on."""

    reasons: tuple[str, ...]
    advice: str


@dataclass(frozen=True, slots=True)
class Program:
    status: Status
    protocol: str
    referral: Referral | None
    adjustment: Adjustment | None
    weeks: tuple[Week, ...]
    excluded: tuple[Excluded, ...]
    notes: tuple[str, ...]
    clinician_prompt: ClinicianPrompt | None = None
