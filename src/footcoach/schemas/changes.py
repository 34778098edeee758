"""`footcoach.program-change/1`: one change to a person's program, as submitted; and the trail.

A submitted change says what to change and on which version of the program it was made; who
made it, in which role and when come from the logged-in account and the server's clock, never
from the document. The audit trail goes out as change records (change_document).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footcoach.domain.changes import (
    DOSE_RANGES,
    NOTE_LENGTH,
    ROLES,
    WHO_LENGTH,
    WHY_LENGTH,
    ChangeKind,
    DoseChange,
    ProgramChange,
)
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.validation import choice_problem
from footcoach.schemas.dates import Day, Moment
from footcoach.services.documents import change_record

PROGRAM_CHANGE_SCHEMA: Final = "footcoach.program-change/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _dose_field(name: str, description: str) -> Any:
    low, high = DOSE_RANGES[name]
    return Field(None, ge=low, le=high, strict=True, description=f"{description}, {low}-{high}")


TEXT = r"\S"
"""Text must have a character other than spaces (it is read with the spaces stripped)."""
_FIELDS_BY_KIND = {
    ChangeKind.SWAP: ({"exercise", "to"}, {"dose"}),
    ChangeKind.DOSE: ({"exercise", "dose"}, set()),
    ChangeKind.NOTE: ({"note"}, {"exercise"}),
}
"""Per kind: the fields it names, and those it may name; the others stay null."""


def _kind_rule(kind: ChangeKind) -> dict[str, Any]:
    takes, may = _FIELDS_BY_KIND[kind]
    nothing = {"exercise", "to", "dose", "note"} - takes - may
    then: dict[str, Any] = {
        "required": sorted(takes),
        "properties": {
            **{name: {"not": {"type": "null"}} for name in sorted(takes)},
            **{name: {"type": "null"} for name in sorted(nothing)},
        },
    }
    return {
        "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
        "then": then,
    }


def _text(bounds: tuple[int, int]) -> dict[str, Any]:
    """What the domain checks of a record's text, for the schema (its own messages stay)."""
    return {"minLength": bounds[0], "maxLength": bounds[1], "pattern": TEXT}


KIND_RULES: dict[str, Any] = {"allOf": [_kind_rule(kind) for kind in ChangeKind]}
"""The fields each kind of change takes, in JSON Schema: a swap names exercise and to (and may
set a dose), a dose names exercise and dose, a note has its note (and may name an exercise)."""


class DoseDoc(_Strict):
    """The dose fields to set; those left out keep the dose the program had."""

    sets: int | None = _dose_field("sets", "sets")
    reps: int | None = _dose_field("reps", "repetitions per set, for exercises done in reps")
    hold_s: int | None = _dose_field("hold_s", "seconds each repetition is held")
    duration_s: int | None = _dose_field(
        "duration_s", "seconds per set, for exercises done for a time"
    )
    rest_s: int | None = _dose_field("rest_s", "seconds of rest between sets")


class ProgramChangeDoc(_Strict):
    """One change to a person's program: a swap, a dose or a note, with the reason for it."""

    model_config = ConfigDict(json_schema_extra=KIND_RULES)

    schema_: Literal["footcoach.program-change/1"] = Field(
        PROGRAM_CHANGE_SCHEMA, alias="schema", description="optional; when present, exactly this"
    )
    kind: ChangeKind = Field(
        description="swap: an exercise for one of its progressions, regressions or substitutes; "
        "dose: new sets, reps, hold, duration or rest; note: text shown with the program"
    )
    exercise: str | None = Field(
        None,
        max_length=64,
        description="the catalog id of the exercise changed; required for swap and dose, "
        "optional for a note",
    )
    to: str | None = Field(
        None, max_length=64, description="swap only: the catalog id of the exercise put in"
    )
    dose: DoseDoc | None = Field(
        None, description="dose (required) or swap (optional; otherwise the dose it had)"
    )
    note: str | None = Field(
        None,
        min_length=NOTE_LENGTH[0],
        max_length=NOTE_LENGTH[1],
        description="note only: the text",
        json_schema_extra={"pattern": TEXT},
    )
    why: str = Field(
        min_length=WHY_LENGTH[0],
        max_length=WHY_LENGTH[1],
        description="the reason, shown to the person with the change",
        json_schema_extra={"pattern": TEXT},
    )
    starts_on: Day | None = Field(
        None, description="the first day it applies to, today or later; today when left out"
    )
    based_on_version: int = Field(
        ge=0,
        strict=True,
        description="the program version the change was made on; a save on an older version "
        "is refused with the changes made since",
    )


class ChangeRecordDoc(_Strict):
    """One accepted change in a program's audit trail."""

    model_config = ConfigDict(json_schema_extra=KIND_RULES)

    version: int = Field(ge=1, description="the program version this change made")
    kind: ChangeKind
    exercise: str | None
    to: str | None
    dose: DoseDoc | None
    note: str | None = Field(json_schema_extra=_text(NOTE_LENGTH))
    why: str = Field(json_schema_extra=_text(WHY_LENGTH))
    starts_on: Day
    who: str = Field(json_schema_extra=_text(WHO_LENGTH))
    role: str = Field(description=f"one of {', '.join(ROLES)}", json_schema_extra={"enum": ROLES})
    at: Moment = Field(description="when it was saved")
    summary: str = Field(description="what it does, in one line")


_INTS = {**DOSE_RANGES, "based_on_version": (0, None)}


def _problem(error: Any) -> Problem:
    loc = [str(p) for p in error["loc"]]
    field = ".".join("schema" if p == "schema_" else p for p in loc)
    leaf = loc[-1] if loc else ""
    value = error.get("input")
    kind = error["type"]
    if kind == "missing":
        return Problem(field, None, "a value: this field is required")
    if kind == "extra_forbidden":
        model = DoseDoc if field.startswith("dose.") else ProgramChangeDoc
        names = ", ".join(f.alias or n for n, f in model.model_fields.items())
        return Problem(field, value, f"no such field; the fields are {names}")
    if leaf == "schema_":
        return Problem("schema", value, f"exactly {PROGRAM_CHANGE_SCHEMA!r}")
    if leaf == "kind":
        return choice_problem(field, value, ChangeKind)
    if leaf in _INTS:
        low, high = _INTS[leaf]
        upper = f" to {high}" if high is not None else " or more"
        return Problem(field, value, f"a whole number from {low}{upper}")
    if leaf == "why":
        return Problem(field, value, f"text of {WHY_LENGTH[0]} to {WHY_LENGTH[1]} characters")
    if leaf == "note":
        return Problem(field, value, f"text of {NOTE_LENGTH[0]} to {NOTE_LENGTH[1]} characters")
    if leaf == "starts_on":
        return Problem(field, value, "a date as YYYY-MM-DD")
    return Problem(field, value, str(error["msg"]).lower())


def parse_change(
    data: object, who: str, role: str, when: dt.datetime, today: dt.date
) -> tuple[ProgramChange, int]:
    """A submitted document into a change and the version it was based on.

    The shape is checked here, every fault named; whether the change fits the person's
    program is the prescription service's check.
    """
    if not isinstance(data, dict):
        raise InvalidInputError([Problem("(document)", type(data).__name__, "a JSON object")])
    try:
        doc = ProgramChangeDoc.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors()]
        raise InvalidInputError(list({str(p): p for p in problems}.values())) from None
    dose = None
    if doc.dose is not None:
        dose = DoseChange(
            sets=doc.dose.sets,
            reps=doc.dose.reps,
            hold_s=doc.dose.hold_s,
            duration_s=doc.dose.duration_s,
            rest_s=doc.dose.rest_s,
        )
    change = ProgramChange(
        kind=doc.kind,
        who=who,
        role=role,
        when=when,
        why=doc.why,
        starts=doc.starts_on or today,
        exercise=doc.exercise,
        to=doc.to,
        dose=dose,
        note=doc.note,
    )
    return change, doc.based_on_version


def change_document(change: ProgramChange, version: int) -> dict[str, Any]:
    """One change of the audit trail, as shown on the program page and by the API."""
    return change_record(change, version)


def trail_document(
    changes: Iterable[ProgramChange], since_version: int = 0
) -> list[dict[str, Any]]:
    """The audit trail (or the changes after a version, as a conflict carries them), in order."""
    return [change_document(c, since_version + i) for i, c in enumerate(changes, start=1)]
