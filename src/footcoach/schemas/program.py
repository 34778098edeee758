"""`footcoach.program/1` (from `footcoach plan --json`) and `footcoach.protocol/1`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from footcoach.domain.intake import Feet
from footcoach.domain.program import Action, Status
from footcoach.domain.protocol import Priority, Schedule, Slot
from footcoach.domain.screening import Urgency
from footcoach.schemas.exercise import TempoDoc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemDoc(_Strict):
    exercise: str = Field(description="a catalog id")
    sets: int = Field(ge=1)
    reps: int = Field(ge=1)
    hold_s: int | None = Field(ge=1)
    duration_s: int | None = Field(ge=1)
    rest_s: int = Field(ge=0)
    per_side: bool = Field(description="done on each foot in turn")
    first_side: Feet | None = Field(description="the painful foot, done first; null when both hurt")
    load: str | None
    tempo: TempoDoc | None
    why: str
    sources: list[str] = Field(min_length=1)


class SessionDoc(_Strict):
    slot: Slot
    minutes: int = Field(ge=0, description="estimated from sets, reps, holds, tempo, sides, rest")
    items: list[ItemDoc]


class DayDoc(_Strict):
    date: dt.date
    sessions: list[SessionDoc]


class WeekDoc(_Strict):
    week: int = Field(ge=1)
    phase: str
    days: list[DayDoc]


class ReasonDoc(_Strict):
    flag: str
    explanation: str


class ReferralDoc(_Strict):
    urgency: Urgency
    reasons: list[ReasonDoc] = Field(min_length=1)
    advice: str


class AdjustmentDoc(_Strict):
    action: Action
    reason: str


class ClinicianPromptDoc(_Strict):
    reasons: list[str] = Field(min_length=1)
    advice: str


class ExcludedDoc(_Strict):
    exercise: str
    reason: str
    sources: list[str]


class ProgramDoc(_Strict):
    """A generated exercise program, or a referral instead of one."""

    schema_: Literal["footcoach.program/1"] = Field(alias="schema")
    status: Status
    protocol: str
    referral: ReferralDoc | None
    adjustment: AdjustmentDoc | None
    clinician_prompt: ClinicianPromptDoc | None = Field(
        description="R2: keep to the gentle work and see a clinician"
    )
    weeks: list[WeekDoc]
    excluded: list[ExcludedDoc]
    notes: list[str]


class DoseStepDoc(_Strict):
    from_week: int
    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    load: str | None


class ProtocolItemDoc(_Strict):
    exercise: str
    slot: Slot
    priority: Priority
    schedule: Schedule
    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    rest_s: int | None
    load: str | None
    tempo: TempoDoc | None
    why: str
    sources: list[str]
    dose_steps: list[DoseStepDoc]


class PhaseDoc(_Strict):
    id: str
    name: str
    weeks: int
    enter_at_pain: int
    summary: str
    entry: str
    exit: str
    items: list[ProtocolItemDoc]


class ProtocolDoc(_Strict):
    """A protocol: its phases, slots, items and doses, with sources."""

    schema_: Literal["footcoach.protocol/1"] = Field(alias="schema")
    id: str
    name: str
    summary: str
    sources: list[str]
    evidence: str
    goals: list[str]
    default_weeks: int
    reassess_every_weeks: int
    non_weight_bearing: bool
    phases: list[PhaseDoc]
    excluded: list[ExcludedDoc]
    notes: list[str]
