"""Domain objects as versioned JSON-ready documents; the one place their public shape is defined."""

from __future__ import annotations

from typing import Any

from footcoach.domain.catalog import Dose, Exercise
from footcoach.domain.evidence import Conflict, Source

EXERCISE_SCHEMA = "footcoach.exercise/1"
SOURCE_SCHEMA = "footcoach.source/1"
CONFLICT_SCHEMA = "footcoach.conflict/1"

Document = dict[str, Any]


def _or_none(value: int) -> int | None:
    return value or None


def dose_document(dose: Dose) -> Document:
    return {
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": _or_none(dose.hold_s),
        "duration_s": _or_none(dose.duration_s),
        "rest_s": dose.rest_s,
        "times_per_day": dose.times_per_day,
        "tempo": None
        if dose.tempo is None
        else {"up_s": dose.tempo.up_s, "hold_s": dose.tempo.hold_s, "down_s": dose.tempo.down_s},
    }


def exercise_document(ex: Exercise) -> Document:
    return {
        "schema": EXERCISE_SCHEMA,
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "category": ex.category.value,
        "position": ex.position.value,
        "weight_bearing": ex.weight_bearing,
        "in_bed": ex.in_bed,
        "equipment": {
            "required": [e.value for e in ex.equipment.required],
            "substitutes": {k.value: list(v) for k, v in ex.equipment.substitutes.items()},
        },
        "targets": [t.value for t in ex.targets],
        "sides": ex.sides.value,
        "dose": dose_document(ex.dose),
        "steps": list(ex.steps),
        "cues": list(ex.cues),
        "why": ex.why,
        "cautions": list(ex.cautions),
        "progressions": list(ex.progressions),
        "regressions": list(ex.regressions),
        "substitute_exercises": list(ex.substitute_exercises),
        "sources": [
            {
                "source": c.source,
                "stance": c.stance.value,
                "says": c.says,
                "for_whom": c.for_whom or None,
                "dose": c.dose or None,
            }
            for c in ex.sources
        ],
        "foot_relevance": ex.foot_relevance.value,
        "relevance_note": ex.relevance_note or None,
    }


def source_document(src: Source) -> Document:
    return {
        "schema": SOURCE_SCHEMA,
        "id": src.id,
        "kind": src.kind.value,
        "title": src.title,
        "citation": src.citation,
        "strength": src.strength.label,
        "strength_explained": src.strength.explanation,
        "confidence": src.confidence or None,
        "summary": src.summary,
    }


def conflict_document(conflict: Conflict) -> Document:
    return {
        "schema": CONFLICT_SCHEMA,
        "id": conflict.id,
        "topic": conflict.topic,
        "exercises": list(conflict.exercises),
        "positions": [{"source": p.source, "position": p.position} for p in conflict.positions],
        "resolution": conflict.resolution,
        "reason": conflict.reason,
        "evidence": list(conflict.evidence),
    }
