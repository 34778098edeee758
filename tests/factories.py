"""Small builders for domain objects, so unit tests state only what they care about."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from footcoach.domain.catalog import (
    Category,
    Dose,
    Equipment,
    EquipmentNeeds,
    Exercise,
    Position,
    Relevance,
    Sides,
    SourceClaim,
    Stance,
    Target,
)
from footcoach.domain.intake import Feet, Goal, Intake, PainSite
from footcoach.domain.program import Item

_BASE = Exercise(
    id="sample",
    name="Sample exercise",
    aliases=(),
    category=Category.STRETCH,
    position=Position.SITTING,
    weight_bearing=False,
    in_bed=True,
    equipment=EquipmentNeeds(required=(Equipment.NONE,)),
    targets=(Target.PLANTAR_FASCIA,),
    sides=Sides.EACH,
    dose=Dose(sets=1, reps=10, hold_s=10, times_per_day=3),
    steps=("Do the thing.",),
    cues=(),
    why="Because.",
    cautions=(),
    progressions=(),
    regressions=(),
    substitute_exercises=(),
    sources=(SourceClaim(source="footcoach", stance=Stance.FOOTCOACH_DEFAULT, says="Ours."),),
    foot_relevance=Relevance.CORE,
)


def exercise(**changes: Any) -> Exercise:
    return replace(_BASE, **changes)


def intake(**changes: Any) -> Intake:
    """A valid heel-pain intake; override what a test is about."""
    base: dict[str, Any] = {
        "age": 47,
        "feet": Feet.LEFT,
        "goal": Goal.HEEL_PAIN,
        "pain_site": (PainSite.PLANTAR_HEEL,),
        "first_step_pain": 6,
        "weeks_of_symptoms": 10,
        "red_flags": (),
        "equipment": (Equipment.TOWEL, Equipment.STEP, Equipment.WALL),
        "minutes_per_day": 30,
    }
    base.update(changes)
    return Intake(**base)


def program_item(**changes: Any) -> Item:
    """A prescribed program item (10 plain reps, one set); override what a test is about."""
    base: dict[str, Any] = {
        "exercise": "sample",
        "sets": 1,
        "reps": 10,
        "hold_s": None,
        "duration_s": None,
        "rest_s": 0,
        "per_side": False,
        "first_side": None,
        "load": None,
        "tempo": None,
        "why": "Because.",
        "sources": (),
        "seconds": 0,
    }
    base.update(changes)
    return Item(**base)
