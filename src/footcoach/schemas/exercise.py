"""The `footcoach.exercise/1` document, as returned by `footcoach exercise ID --json`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from footcoach.domain.catalog import (
    Category,
    Equipment,
    Position,
    Relevance,
    Sides,
    Stance,
    Target,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


PositiveSeconds = Annotated[int, Field(ge=1)]


class TempoDoc(_Strict):
    up_s: int = Field(ge=0, description="seconds to lift")
    hold_s: int = Field(ge=0, description="seconds to hold at the top")
    down_s: int = Field(ge=0, description="seconds to lower")


class DoseDoc(_Strict):
    sets: int = Field(ge=1)
    reps: int = Field(ge=1)
    hold_s: PositiveSeconds | None = Field(description="seconds per hold; null when not held")
    duration_s: PositiveSeconds | None = Field(
        description="seconds for a timed item; null otherwise"
    )
    rest_s: int = Field(ge=0, description="seconds of rest between sets")
    times_per_day: int = Field(ge=1)
    tempo: TempoDoc | None


class EquipmentDoc(_Strict):
    required: list[Equipment] = Field(min_length=1)
    substitutes: dict[Equipment, list[str]] = Field(
        description="for a required item, what else can stand in for it"
    )


class SourceClaimDoc(_Strict):
    source: str = Field(description="a source id from `footcoach sources`")
    stance: Stance
    says: str
    for_whom: str | None
    dose: str | None


class ExerciseDoc(_Strict):
    """One exercise of footcoach's catalog."""

    schema_: Literal["footcoach.exercise/1"] = Field(alias="schema")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    aliases: list[str]
    category: Category
    position: Position
    weight_bearing: bool
    in_bed: bool = Field(description="can be done in bed before the first step")
    equipment: EquipmentDoc
    targets: list[Target] = Field(min_length=1)
    sides: Sides
    dose: DoseDoc
    steps: list[str] = Field(min_length=1)
    cues: list[str]
    why: str
    cautions: list[str]
    progressions: list[str]
    regressions: list[str]
    substitute_exercises: list[str]
    sources: list[SourceClaimDoc] = Field(min_length=1)
    foot_relevance: Relevance
    relevance_note: str | None
