"""`footcoach.intake/1` and `footcoach.history/1`: validated at the edge into domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footcoach.domain.catalog import Equipment
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.intake import (
    AGE_RANGE,
    DEFAULT_BED,
    DEFAULT_WAKE,
    INJECTION_WEEKS_RANGE,
    MINUTES_RANGE,
    PAIN_RANGE,
    WEEKS_RANGE,
    CheckIn,
    Feet,
    Goal,
    History,
    Intake,
    PainSite,
    RedFlag,
    SessionLog,
    main_site_problem,
)
from footcoach.domain.protocol import Slot
from footcoach.domain.validation import choice_problem
from footcoach.schemas.dates import Day

INTAKE_SCHEMA = "footcoach.intake/1"
HISTORY_SCHEMA = "footcoach.history/1"
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


HEEL_PAIN_NEEDS_A_SITE: dict[str, Any] = {
    "if": {"properties": {"goal": {"const": Goal.HEEL_PAIN.value}}, "required": ["goal"]},
    "then": {"properties": {"pain_site": {"minItems": 1}}},
}
"""The rule between goal and pain_site, in JSON Schema (the others, such as main_pain_site
being one of pain_site, are said in the fields' descriptions)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _int(bounds: tuple[int, int], description: str) -> Any:
    return Annotated[int, Field(ge=bounds[0], le=bounds[1], strict=True, description=description)]


Pain = _int(PAIN_RANGE, "0 = no pain, 10 = worst imaginable")


class IntakeDoc(_Strict):
    """A person's answers to the intake questions."""

    model_config = ConfigDict(json_schema_extra={"allOf": [HEEL_PAIN_NEEDS_A_SITE]})
    schema_: Literal["footcoach.intake/1"] = Field(alias="schema")
    age: _int(AGE_RANGE, "years")
    feet: Feet = Field(description="which foot hurts, or both")
    goal: Goal
    pain_site: list[PainSite] = Field(
        description="where it hurts; may be empty only when the goal is foot_strength"
    )
    first_step_pain: Pain
    weeks_of_symptoms: _int(WEEKS_RANGE, "how long it has hurt")
    red_flags: list[RedFlag] = Field(description="warning signs; any of them means see a clinician")
    equipment: list[Equipment] = Field(description="what you have at home")
    minutes_per_day: _int(MINUTES_RANGE, "time you can give each day")
    wake_time: str = Field(DEFAULT_WAKE.strftime("%H:%M"), pattern=CLOCK, description="HH:MM")
    bed_time: str = Field(
        DEFAULT_BED.strftime("%H:%M"), pattern=CLOCK, description="HH:MM, not wake_time's"
    )
    main_pain_site: PainSite | None = Field(
        None, description="the site that hurts most, one of pain_site; null when not asked"
    )
    pregnant: bool = Field(False, strict=True, description="true when pregnant now")
    steroid_injection_weeks_ago: (
        Annotated[int, Field(ge=INJECTION_WEEKS_RANGE[0], le=INJECTION_WEEKS_RANGE[1], strict=True)]
        | None
    ) = Field(
        None,
        description="whole weeks since a steroid injection into the heel; null when none",
    )


class CheckInDoc(_Strict):
    date: Day
    first_step_pain: Pain


class SessionLogDoc(_Strict):
    date: Day
    slot: Slot
    completed: bool = Field(strict=True)
    pain_during: Pain | None = None


class HistoryDoc(_Strict):
    """Dated morning check-ins and session logs."""

    schema_: Literal["footcoach.history/1"] = Field(alias="schema")
    entries: list[CheckInDoc | SessionLogDoc]


_ENUM_FIELDS = {
    "feet": Feet,
    "goal": Goal,
    "pain_site": PainSite,
    "main_pain_site": PainSite,
    "red_flags": RedFlag,
    "equipment": Equipment,
    "slot": Slot,
}
_RANGES = {
    "age": AGE_RANGE,
    "first_step_pain": PAIN_RANGE,
    "weeks_of_symptoms": WEEKS_RANGE,
    "minutes_per_day": MINUTES_RANGE,
    "pain_during": PAIN_RANGE,
    "steroid_injection_weeks_ago": INJECTION_WEEKS_RANGE,
}
_NULLABLE = {"steroid_injection_weeks_ago"}


def _field_name(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("CheckInDoc", "SessionLogDoc"):
            continue
        else:
            out += ("." if out else "") + ("schema" if part == "schema_" else part)
    return out


def _problem(error: Any, expected_schema: str, model: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    field = _field_name(loc)
    names = [p for p in loc if isinstance(p, str) and p not in ("CheckInDoc", "SessionLogDoc")]
    leaf = names[-1] if names else ""
    value = error.get("input")
    kind = error["type"]
    if kind == "missing":
        return Problem(field, None, "a value: this field is required")
    if kind == "extra_forbidden":
        allowed = ", ".join(f.alias or name for name, f in model.model_fields.items())
        return Problem(field, value, f"no such field; the fields are {allowed}")
    if leaf in ("schema", "schema_"):
        return Problem("schema", value, f"exactly {expected_schema!r}")
    if kind == "enum" and leaf in _ENUM_FIELDS:
        return choice_problem(field, value, _ENUM_FIELDS[leaf])
    if leaf in _RANGES:
        low, high = _RANGES[leaf]
        none = ", or null" if leaf in _NULLABLE else ""
        return Problem(field, value, f"a whole number from {low} to {high}{none}")
    if kind.startswith("bool"):
        return Problem(field, value, "true or false")
    if kind == "string_pattern_mismatch":
        return Problem(field, value, "a 24-hour time as HH:MM, such as 06:30")
    if leaf == "date" or kind.startswith("date"):
        return Problem(field, value, "a date as YYYY-MM-DD")
    return Problem(field, value, error["msg"].lower())


def _validate(model: type[BaseModel], data: object, expected_schema: str) -> Any:
    if not isinstance(data, dict):
        raise InvalidInputError([Problem("(document)", type(data).__name__, "a JSON object")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(e, expected_schema, model) for e in exc.errors()]
        raise InvalidInputError(list({str(p): p for p in problems}.values())) from None


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _sorted_unique(values: list[Any], enum: Any) -> tuple[Any, ...]:
    order = list(enum)
    return tuple(sorted(set(values), key=order.index))


def _cross_field_problems(data: object) -> list[Problem]:
    """The rules that tie fields together, read from the raw document so they are reported
    alongside problems with single fields (the domain checks them again on a valid document)."""
    if not isinstance(data, dict):
        return []
    problems = []
    if data.get("goal") == Goal.HEEL_PAIN.value and data.get("pain_site") == []:
        problems.append(Problem("pain_site", [], "at least one site when the goal is heel_pain"))
    sites, main = data.get("pain_site"), data.get("main_pain_site")
    names = {site.value for site in PainSite}

    def known(value: object) -> bool:  # any JSON value: a list or an object is no site
        return isinstance(value, str) and value in names

    if isinstance(sites, list) and all(map(known, sites)) and known(main) and main not in sites:
        problems.append(main_site_problem(main, [PainSite(site) for site in sites]))
    wake, bed = data.get("wake_time"), data.get("bed_time")
    if isinstance(wake, str) and wake == bed:
        problems.append(Problem("bed_time", bed, "a time other than wake_time"))
    return problems


def parse_intake(data: object) -> Intake:
    """A validated domain Intake, or InvalidInputError listing every problem."""
    try:
        doc: IntakeDoc = _validate(IntakeDoc, data, INTAKE_SCHEMA)
    except InvalidInputError as exc:
        raise InvalidInputError([*exc.problems, *_cross_field_problems(data)]) from None
    return Intake(
        age=doc.age,
        feet=doc.feet,
        goal=doc.goal,
        pain_site=_sorted_unique(doc.pain_site, PainSite),
        first_step_pain=doc.first_step_pain,
        weeks_of_symptoms=doc.weeks_of_symptoms,
        red_flags=_sorted_unique(doc.red_flags, RedFlag),
        equipment=_sorted_unique(doc.equipment, Equipment),
        minutes_per_day=doc.minutes_per_day,
        wake_time=_clock(doc.wake_time),
        bed_time=_clock(doc.bed_time),
        pregnant=doc.pregnant,
        steroid_injection_weeks_ago=doc.steroid_injection_weeks_ago,
        main_pain_site=doc.main_pain_site,
    )


def _entry(raw: object, index: int) -> CheckInDoc | SessionLogDoc:
    model: type[BaseModel] = (
        SessionLogDoc if isinstance(raw, dict) and "slot" in raw else CheckInDoc
    )
    try:
        return model.model_validate(raw)  # type: ignore[return-value]
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            e = dict(e)
            e["loc"] = ("entries", index, *e["loc"])
            problems.append(_problem(e, HISTORY_SCHEMA, model))
        raise InvalidInputError(problems) from None


def parse_history(data: object) -> History:
    """A validated domain History, or InvalidInputError listing every problem."""
    if not isinstance(data, dict):
        raise InvalidInputError([Problem("(document)", type(data).__name__, "a JSON object")])
    problems: list[Problem] = []
    if data.get("schema") != HISTORY_SCHEMA:
        problems.append(Problem("schema", data.get("schema"), f"exactly {HISTORY_SCHEMA!r}"))
    extra = sorted(set(data) - {"schema", "entries"})
    problems += [
        Problem(k, data[k], "no such field; the fields are schema, entries") for k in extra
    ]
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        problems.append(Problem("entries", raw_entries, "a list of check-ins and sessions"))
        raw_entries = []
    entries: list[CheckInDoc | SessionLogDoc] = []
    for i, raw in enumerate(raw_entries):
        try:
            entries.append(_entry(raw, i))
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError(problems)
    return History(
        checkins=tuple(
            CheckIn(e.date, e.first_step_pain) for e in entries if isinstance(e, CheckInDoc)
        ),
        sessions=tuple(
            SessionLog(e.date, e.slot.value, e.completed, e.pain_during)
            for e in entries
            if isinstance(e, SessionLogDoc)
        ),
    )
