"""A clinician's changes to a person's program: swaps, doses and notes, checked and applied.

A change names who made it, in which role, when, why, and the day it applies from. Changes are
kept as an audit trail and applied, oldest first, over the program the planner builds, so the
planner's own rules (phases, the pain monitor, the time budget) still run underneath them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum

from footcoach.domain.catalog import Catalog, Exercise, Sides, Stance, suggest
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem
from footcoach.domain.planner import PlannedDay, item_seconds, session_minutes
from footcoach.domain.program import Day, Item, Program, Session, Week
from footcoach.domain.protocol import Slot
from footcoach.domain.safety import NEVER_PRESCRIBED
from footcoach.domain.validation import choice_problem, has_control_characters
from footcoach.domain.wording import day_text

WHY_LENGTH = (1, 500)
"""Characters in the reason every change must give."""
NOTE_LENGTH = (1, 1000)
"""Characters in a note."""
WHO_LENGTH = (1, 254)
"""Characters naming who made a change (an e-mail address fits)."""

ROLES = ("person", "clinician", "admin")
"""Who may change a program: the person themself, their clinician, or an administrator."""

DOSE_RANGES: dict[str, tuple[int, int]] = {
    "sets": (1, 10),
    "reps": (1, 50),
    "hold_s": (1, 120),
    "duration_s": (10, 1800),
    "rest_s": (0, 300),
}
"""What a clinician may set, inclusive. The catalog's doses run from 1 to 3 sets, 1 to 15 reps,
holds of 1 to 30 s, timed work of 2 to 5 minutes and rests of up to 2 minutes; the ranges leave
room above that for a clinician's judgement while ruling out typing slips (100 sets, a 2-hour
hold). How many times a day is not a dose field: the program expresses it by slots."""

TIMED_ONLY = frozenset({"duration_s"})
"""Dose fields for exercises done for a time (the catalog dose has a duration)."""
COUNTED_ONLY = frozenset({"reps", "hold_s"})
"""Dose fields for exercises done in repetitions (the catalog dose has no duration)."""


class ChangeKind(StrEnum):
    SWAP = "swap"
    """One exercise for one of its progressions, regressions or substitutes."""
    DOSE = "dose"
    """New sets, reps, hold, duration or rest for one exercise."""
    NOTE = "note"
    """Free text shown with the program; it changes no item."""


@dataclass(frozen=True, slots=True)
class DoseChange:
    """The dose fields a change sets; None leaves a field as the planner prescribed it."""

    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    duration_s: int | None = None
    rest_s: int | None = None

    def given(self) -> dict[str, int]:
        """The fields set, by name, in a stable order."""
        out: dict[str, int] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class ProgramChange:
    """One accepted (or proposed) change to one person's program."""

    kind: ChangeKind
    who: str
    """Who made it, as the accounts name them (an e-mail address, or "you")."""
    role: str
    """One of ROLES."""
    when: datetime
    """When it was saved (timezone-aware)."""
    why: str
    """The reason, shown to the person with the change."""
    starts: date
    """The first day of the program it applies to; earlier days are left as they were."""
    exercise: str | None = None
    """The exercise it applies to: required for swap and dose, optional for a note."""
    to: str | None = None
    """For a swap: the exercise that takes the place of `exercise`."""
    dose: DoseChange | None = None
    """For a dose change (required) or a swap (optional; otherwise the old item's dose)."""
    note: str | None = None
    """For a note: the text."""


class ConflictError(FootcoachError):
    """A save based on an older version of the program; nothing was written.

    It carries the changes saved since that version, oldest first, so the caller can show
    what is different before the person or clinician decides again.
    """

    def __init__(self, based_on: int, current: int, since: Sequence[ProgramChange]) -> None:
        self.based_on = based_on
        self.current = current
        self.since = tuple(since)
        lines = "; ".join(f"{c.who} ({c.role}): {describe(c)}" for c in self.since)
        super().__init__(
            f"the program changed since version {based_on} (it is now version {current}): "
            f"{lines or 'no details'}; look at the changes and save again if still wanted"
        )


def describe(change: ProgramChange) -> str:
    """One line saying what a change does, for the audit trail and conflict messages."""
    scope = f" from {day_text(change.starts)}"
    if change.kind is ChangeKind.SWAP:
        dose = f" at {_dose_text(change.dose)}" if change.dose and change.dose.given() else ""
        return f"{change.to} in place of {change.exercise}{dose}{scope}"
    if change.kind is ChangeKind.DOSE:
        dose_text = _dose_text(change.dose) if change.dose else "no change"
        return f"dose of {change.exercise}: {dose_text}{scope}"
    about = f" about {change.exercise}" if change.exercise else ""
    return f"note{about}{scope}: {change.note}"


def _dose_text(dose: DoseChange) -> str:
    names = {
        "sets": "{} sets",
        "reps": "{} reps",
        "hold_s": "{} s holds",
        "duration_s": "{} s",
        "rest_s": "{} s rest",
    }
    return ", ".join(names[k].format(v) for k, v in dose.given().items())


# validation ---------------------------------------------------------------------------------
def _text_problem(field: str, value: object, bounds: tuple[int, int]) -> Problem | None:
    low, high = bounds
    if not isinstance(value, str) or not low <= len(value.strip()) or len(value) > high:
        return Problem(field, value, f"text of {low} to {high} characters")
    if has_control_characters(value):
        return Problem(field, value, "text without control characters (such as a NUL byte)")
    return None


def _days_from(program: Program, starts: date) -> Iterable[Day]:
    for week in program.weeks:
        for day in week.days:
            if day.day >= starts:
                yield day


def _slots_of(program: Program, exercise_id: str, starts: date) -> set[Slot]:
    """The slots an exercise is in on or after a day."""
    return {
        session.slot
        for day in _days_from(program, starts)
        for session in day.sessions
        if any(item.exercise == exercise_id for item in session.items)
    }


def _in_program(program: Program, starts: date) -> list[str]:
    seen: dict[str, None] = {}
    for day in _days_from(program, starts):
        for session in day.sessions:
            for item in session.items:
                seen.setdefault(item.exercise, None)
    return sorted(seen)


def suits_slot(exercise: Exercise, slot: Slot) -> bool:
    """Before the first step means in bed, off the feet: the planner's own rule for that slot."""
    return slot is not Slot.BEFORE_FIRST_STEP or (exercise.in_bed and not exercise.weight_bearing)


def linked(exercise: Exercise) -> tuple[str, ...]:
    """What a clinician may swap an exercise for: its progressions, regressions, substitutes."""
    out = (*exercise.progressions, *exercise.regressions, *exercise.substitute_exercises)
    return tuple(dict.fromkeys(x for x in out if x not in NEVER_PRESCRIBED))


def _catalog_id(
    field: str, value: str | None, catalog: Catalog, problems: list[Problem]
) -> Exercise | None:
    if not isinstance(value, str) or not value:
        problems.append(Problem(field, value, "an exercise id from the catalog"))
        return None
    if value not in catalog.ids:
        close = suggest(value, catalog.ids)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        problems.append(Problem(field, value, f"{hint}an exercise id from the catalog"))
        return None
    return catalog.get(value)


def _dose_problems(dose: DoseChange, exercise: Exercise, field: str = "dose") -> list[Problem]:
    problems: list[Problem] = []
    given = dose.given()
    if not given:
        names = ", ".join(DOSE_RANGES)
        return [Problem(field, {}, f"at least one of {names}")]
    timed = exercise.dose.duration_s > 0
    for name, value in given.items():
        low, high = DOSE_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                Problem(f"{field}.{name}", value, f"a whole number from {low} to {high}")
            )
        elif timed and name in COUNTED_ONLY:
            problems.append(
                Problem(
                    f"{field}.{name}",
                    value,
                    f"no {name}: {exercise.id} is done for a time; set duration_s instead",
                )
            )
        elif not timed and name in TIMED_ONLY:
            problems.append(
                Problem(
                    f"{field}.{name}",
                    value,
                    f"no {name}: {exercise.id} is done in repetitions; set reps or hold_s instead",
                )
            )
    return problems


def check_change(
    change: ProgramChange,
    program: Program,
    catalog: Catalog,
    *,
    today: date | None = None,
) -> None:
    """Raise InvalidInputError naming every field that is wrong; return None when it may be saved.

    `program` is the program as it stands with the earlier changes applied; `today`, when given,
    refuses changes to days already past.
    """
    if not isinstance(change.kind, ChangeKind):
        raise InvalidInputError([choice_problem("kind", change.kind, ChangeKind)])
    problems = _author_problems(change)
    if today is not None and change.starts < today:
        problems.append(
            Problem("starts", change.starts.isoformat(), f"today ({today.isoformat()}) or later")
        )
    if change.kind is ChangeKind.NOTE:
        _check_note(change, catalog, problems)
    else:
        _check_exercise_change(change, program, catalog, problems)
    if problems:
        raise InvalidInputError(problems)


def _author_problems(change: ProgramChange) -> list[Problem]:
    """Who made a change, in which role, when and why."""
    problems: list[Problem] = []
    for field, value, bounds in (("who", change.who, WHO_LENGTH), ("why", change.why, WHY_LENGTH)):
        problem = _text_problem(field, value, bounds)
        if problem is not None:
            problems.append(problem)
    if change.role not in ROLES:
        problems.append(Problem("role", change.role, f"one of {', '.join(ROLES)}"))
    if not isinstance(change.when, datetime) or change.when.tzinfo is None:
        problems.append(Problem("when", change.when, "a date and time with its time zone"))
    return problems


def record_problems(change: ProgramChange) -> list[Problem]:
    """What is wrong with a change as a record of the past (one read back from a backup): its
    author, role, time and reason, and the fields its kind takes. Whether it fitted the program
    was checked when it was saved (check_change); applying it never prescribes an exercise the
    catalog lacks or never prescribes."""
    if not isinstance(change.kind, ChangeKind):
        return [choice_problem("kind", change.kind, ChangeKind)]
    problems = _author_problems(change)
    takes = {
        ChangeKind.SWAP: {"exercise", "to"},
        ChangeKind.DOSE: {"exercise", "dose"},
        ChangeKind.NOTE: {"note"},
    }[change.kind]
    optional = {ChangeKind.SWAP: {"dose"}, ChangeKind.DOSE: set(), ChangeKind.NOTE: {"exercise"}}
    for field in ("exercise", "to", "dose", "note"):
        value = getattr(change, field)
        if field in takes and value is None:
            problems.append(Problem(field, None, f"a value: a {change.kind.value} names it"))
        elif value is not None and field not in takes | optional[change.kind]:
            shown = value.given() if isinstance(value, DoseChange) else value
            problems.append(Problem(field, shown, f"nothing: a {change.kind.value} takes none"))
    if change.note is not None:
        problem = _text_problem("note", change.note, NOTE_LENGTH)
        if problem is not None:
            problems.append(problem)
    return problems


def _check_note(change: ProgramChange, catalog: Catalog, problems: list[Problem]) -> None:
    problem = _text_problem("note", change.note, NOTE_LENGTH)
    if problem is not None:
        problems.append(problem)
    if change.exercise is not None:
        _catalog_id("exercise", change.exercise, catalog, problems)
    if change.to is not None:
        problems.append(Problem("to", change.to, "nothing: only a swap names an exercise to"))
    if change.dose is not None:
        problems.append(Problem("dose", change.dose.given(), "nothing: a note changes no dose"))


def _check_exercise_change(
    change: ProgramChange, program: Program, catalog: Catalog, problems: list[Problem]
) -> None:
    if change.note is not None:
        problems.append(
            Problem("note", change.note, f"nothing: a {change.kind.value} takes no note")
        )
    old = _catalog_id("exercise", change.exercise, catalog, problems)
    slots: set[Slot] = set()
    if old is not None:
        slots = _slots_of(program, old.id, change.starts)
        if not slots:
            present = ", ".join(_in_program(program, change.starts)) or "none"
            problems.append(
                Problem(
                    "exercise",
                    old.id,
                    f"an exercise in the program on or after {change.starts.isoformat()}: "
                    f"{present}",
                )
            )
    if change.kind is ChangeKind.DOSE:
        if change.to is not None:
            problems.append(Problem("to", change.to, "nothing: only a swap names an exercise to"))
        if change.dose is None:
            problems.append(Problem("dose", None, f"at least one of {', '.join(DOSE_RANGES)}"))
        elif old is not None:
            problems.extend(_dose_problems(change.dose, old))
        return
    # a swap
    if change.to is not None and change.to in NEVER_PRESCRIBED:
        problems.append(Problem("to", change.to, NEVER_PRESCRIBED[change.to]))
        return
    new = _catalog_id("to", change.to, catalog, problems)
    if new is None or old is None:
        return
    allowed = linked(old)
    if new.id not in allowed:
        options = ", ".join(allowed) or f"none: {old.id} has no linked exercises to swap to"
        problems.append(
            Problem(
                "to",
                new.id,
                f"one of {old.id}'s progressions, regressions or substitutes: {options}",
            )
        )
    elif slots and not any(suits_slot(new, slot) for slot in slots):
        problems.append(
            Problem(
                "to",
                new.id,
                f"an exercise done in bed, off the feet: {old.id} is only in the "
                f"{Slot.BEFORE_FIRST_STEP.value} session",
            )
        )
    if change.dose is not None:
        problems.extend(_dose_problems(change.dose, new))


# applying -----------------------------------------------------------------------------------
def _by(change: ProgramChange) -> str:
    return f"{change.who} ({change.role}) on {day_text(change.when.date())}"


def _seconds(item: Item) -> int:
    return item_seconds(
        item.sets,
        item.reps,
        item.hold_s or 0,
        item.duration_s or 0,
        item.rest_s,
        item.tempo.rep_s if item.tempo else 0,
        item.per_side,
    )


def _with_dose(item: Item, dose: DoseChange | None) -> Item:
    if dose is not None:
        item = replace(
            item,
            sets=item.sets if dose.sets is None else dose.sets,
            reps=item.reps if dose.reps is None else dose.reps,
            hold_s=item.hold_s if dose.hold_s is None else dose.hold_s,
            duration_s=item.duration_s if dose.duration_s is None else dose.duration_s,
            rest_s=item.rest_s if dose.rest_s is None else dose.rest_s,
        )
    return replace(item, seconds=_seconds(item))


def _swapped(item: Item, change: ProgramChange, new: Exercise) -> Item:
    """The new exercise in the old item's place, at the clinician's dose or the old one."""
    per_side = new.sides is Sides.EACH
    timed = new.dose.duration_s > 0
    base = replace(
        item,
        exercise=new.id,
        reps=item.reps if not timed else new.dose.reps,
        hold_s=(item.hold_s or new.dose.hold_s or None) if new.dose.hold_s and not timed else None,
        duration_s=(item.duration_s or new.dose.duration_s) if timed else None,
        per_side=per_side,
        first_side=item.first_side if per_side else None,
        load=None,
        tempo=new.dose.tempo,
        why=f"Changed by {_by(change)}: in place of {change.exercise}. Reason: {change.why} "
        f"{new.why}",
        sources=tuple(c.source for c in new.sources if c.stance is Stance.RECOMMENDS)
        or ("footcoach",),
    )
    return _with_dose(base, change.dose)


def _dosed(item: Item, change: ProgramChange) -> Item:
    assert change.dose is not None
    changed = _with_dose(item, change.dose)
    return replace(
        changed,
        why=f"Dose changed by {_by(change)}: {_dose_text(change.dose)}. Reason: {change.why} "
        f"{item.why}",
    )


def _apply_one(
    weeks: tuple[Week, ...], change: ProgramChange, catalog: Catalog, kept: set[str]
) -> tuple[Week, ...]:
    new: Exercise | None = None
    if change.kind is ChangeKind.SWAP:
        if change.to is None or change.to in NEVER_PRESCRIBED or change.to not in catalog.ids:
            return weeks  # stored data can outlive a catalog entry; never prescribe it then
        new = catalog.get(change.to)
    if change.kind is ChangeKind.DOSE and change.dose is None:
        return weeks
    done: dict[tuple[Item, Slot], Item] = {}  # items repeat day after day: change each once

    def item_for(item: Item, slot: Slot) -> Item:
        if item.exercise != change.exercise:
            return item
        key = (item, slot)
        if key not in done:
            if new is None:
                done[key] = _dosed(item, change)
            elif suits_slot(new, slot):
                done[key] = _swapped(item, change, new)
            else:
                kept.add(
                    f"{change.exercise} stays in the {slot.value} session, which is done in bed: "
                    f"{new.id} is not."
                )
                done[key] = item
        return done[key]

    def session_for(session: Session) -> Session:
        items = tuple(item_for(i, session.slot) for i in session.items)
        if items == session.items:
            return session
        return replace(session, items=items, minutes=session_minutes(items))

    def day_for(day: Day) -> Day:
        if day.day < change.starts:
            return day
        sessions = tuple(session_for(s) for s in day.sessions)
        return day if sessions == day.sessions else replace(day, sessions=sessions)

    return tuple(replace(w, days=tuple(day_for(d) for d in w.days)) for w in weeks)


def note_text(change: ProgramChange) -> str:
    """How a note reads among the program's notes."""
    about = f" about {change.exercise}" if change.exercise else ""
    return (
        f"Note from {_by(change)}{about}, from {day_text(change.starts)}: {change.note} "
        f"(Reason: {change.why})"
    )


def apply_changes(program: Program, changes: Iterable[ProgramChange], catalog: Catalog) -> Program:
    """The program with the changes applied, oldest first, each from its start day onward.

    A swapped item keeps its slot and place; a change that no longer finds its exercise (the
    planner moved on, a phase left it out) changes nothing. Notes join the program's notes.
    """
    todo = list(changes)
    if not todo:
        return program
    weeks = program.weeks
    notes = list(program.notes)
    kept: set[str] = set()
    for change in todo:
        if change.kind is ChangeKind.NOTE:
            notes.append(note_text(change))
        else:
            weeks = _apply_one(weeks, change, catalog, kept)
    return replace(program, weeks=weeks, notes=(*notes, *sorted(kept)))


def apply_changes_to_day(
    planned: PlannedDay, changes: Iterable[ProgramChange], catalog: Catalog
) -> PlannedDay:
    """One day of apply_changes(): the day as the changes leave it, each from its start day on
    (a change works day by day, so the day is the one the whole program would show)."""
    weeks: tuple[Week, ...] = (Week(planned.week, planned.phase, (planned.day,)),)
    kept: set[str] = set()  # words for the program's notes, which a single day does not show
    for change in changes:
        if change.kind is not ChangeKind.NOTE:
            weeks = _apply_one(weeks, change, catalog, kept)
    day = weeks[0].days[0]
    return planned if day is planned.day else replace(planned, day=day)
