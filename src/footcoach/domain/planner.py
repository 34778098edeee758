"""From an intake, a protocol and the pain history to a dated, explained, safe program."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum

from footcoach.domain.catalog import (
    Catalog,
    Category,
    Equipment,
    Exercise,
    Relevance,
    Sides,
    Stance,
)
from footcoach.domain.intake import Feet, History, Intake
from footcoach.domain.library import Library
from footcoach.domain.monitor import Assessment, assess
from footcoach.domain.program import (
    Action,
    ClinicianPrompt,
    Day,
    Excluded,
    Item,
    Program,
    Session,
    Status,
    Week,
)
from footcoach.domain.protocol import SLOT_ORDER, Priority, Protocol, ProtocolItem, Schedule, Slot
from footcoach.domain.safety import CALM_PAIN, NEVER_PRESCRIBED
from footcoach.domain.screening import screen

SETUP_S = 15
"""Seconds to get into position and read the card, per item."""
SWITCH_S = 5
"""Seconds to switch to the other foot."""
PLAIN_REP_S = 3
"""Seconds for one repetition with no hold and no tempo."""
HOLD_MOVE_S = 2
"""Seconds to move into and out of each hold."""
REGRESS_DAYS = 7
"""How long an easier variant stands in after a regress."""
LOADING_CATEGORIES = frozenset({Category.STRENGTH, Category.BALANCE, Category.GAIT})

CLINICIAN_ADVICE = (
    "Keep to the gentle parts of the program and book a visit with a physiotherapist, podiatrist "
    "or your GP. Show them your footcoach progress."
)


class Modifier(Enum):
    NONE = 0
    REGRESSED = 1
    PAUSED = 2


@dataclass(frozen=True, slots=True)
class _State:
    phase: int
    week: int
    modifier: Modifier = Modifier.NONE


def is_loading(ex: Exercise) -> bool:
    """Work that loads the foot: weight-bearing strength, balance and walking drills."""
    return ex.weight_bearing and ex.category in LOADING_CATEGORIES


def item_seconds(
    sets: int,
    reps: int,
    hold_s: int,
    duration_s: int,
    rest_s: int,
    tempo_s: int,
    per_side: bool,
) -> int:
    """An honest time estimate: every rep, hold, rest and side, plus getting set up."""
    if duration_s:
        one_set = duration_s
    elif tempo_s:
        one_set = reps * (tempo_s + hold_s)
    elif hold_s:
        one_set = reps * (hold_s + HOLD_MOVE_S)
    else:
        one_set = reps * PLAIN_REP_S
    if not per_side:
        return sets * one_set + (sets - 1) * rest_s + SETUP_S
    # sides alternate set by set, so one foot rests while the other works
    switches = 2 * sets - 1
    return (
        2 * sets * one_set + (sets - 1) * max(0, rest_s - one_set) + switches * SWITCH_S + SETUP_S
    )


def session_minutes(items: tuple[Item, ...]) -> int:
    return math.ceil(sum(i.seconds for i in items) / 60)


def _allowed(ex: Exercise, slot: Slot, protocol: Protocol) -> bool:
    if ex.id in NEVER_PRESCRIBED or ex.foot_relevance is Relevance.NONE:
        return False
    if slot is Slot.BEFORE_FIRST_STEP and (ex.weight_bearing or not ex.in_bed):
        return False
    return not (protocol.non_weight_bearing and ex.weight_bearing)


def _missing(ex: Exercise, owned: frozenset[Equipment]) -> list[str]:
    have = owned | {Equipment.NONE}
    return [
        item.value
        for item in ex.equipment.required
        if item not in have and not any(a in have for a in ex.equipment.substitutes.get(item, ()))
    ]


class _Planner:
    """One program's worth of state: resolved exercises, cached day templates, drop records."""

    def __init__(
        self,
        intake: Intake,
        library: Library,
        protocol: Protocol,
        assessment: Assessment,
    ) -> None:
        self.intake = intake
        self.catalog: Catalog = library.catalog
        self.protocol = protocol
        self.assessment = assessment
        self.owned = frozenset(intake.equipment)
        self.resolved: dict[tuple[str, Slot], Exercise | None] = {}
        self.excluded: dict[str, Excluded] = {}
        self.notes: list[str] = []
        self.templates: dict[tuple[int, int, int, Modifier], tuple[Session, ...]] = {}
        self.time_dropped: set[str] = set()
        self.shortened: set[str] = set()
        self.paused: set[str] = set()
        self.step_weeks = [
            sorted({1} | {s.from_week for i in ph.items for s in i.dose_steps})
            for ph in protocol.phases
        ]
        self.alternating = [
            any(i.schedule is Schedule.EVERY_OTHER_DAY for i in ph.items) for ph in protocol.phases
        ]

    # exercise resolution ----------------------------------------------------------------
    def resolve(self, exercise_id: str, slot: Slot) -> Exercise | None:
        key = (exercise_id, slot)
        if key not in self.resolved:
            self.resolved[key] = self._resolve(exercise_id, slot)
        return self.resolved[key]

    def _resolve(self, exercise_id: str, slot: Slot) -> Exercise | None:
        wanted = self.catalog.get(exercise_id)
        queue, seen = [wanted], {wanted.id: None}  # a dict keeps the order tried
        while queue:
            ex = queue.pop(0)
            if _allowed(ex, slot, self.protocol) and ex.equipment.usable_with(self.owned):
                if ex.id != wanted.id:
                    missing = ", ".join(_missing(wanted, self.owned))
                    self._note(
                        f"You have no {missing}: {ex.id} stands in for {wanted.id} ({ex.name})."
                    )
                return ex
            for sub in ex.substitute_exercises:
                if sub not in seen:
                    seen[sub] = None
                    queue.append(self.catalog.get(sub))
        needs = [
            f"{ex_id} needs {', '.join(_missing(self.catalog.get(ex_id), self.owned))}"
            for ex_id in seen
            if _missing(self.catalog.get(ex_id), self.owned)
        ]
        reason = "; ".join(needs) if needs else f"no version of it suits the {slot.value} slot"
        self._exclude(wanted.id, f"Not in your equipment: {reason}.", ())
        return None

    def regressed(self, ex: Exercise, slot: Slot) -> Exercise | None:
        for easier in ex.regressions:
            candidate = self.catalog.get(easier)
            if _allowed(candidate, slot, self.protocol) and candidate.equipment.usable_with(
                self.owned
            ):
                return candidate
        return None

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _exclude(self, exercise_id: str, reason: str, sources: tuple[str, ...]) -> None:
        if exercise_id not in self.excluded:
            self.excluded[exercise_id] = Excluded(exercise_id, reason, sources)

    # prescription -----------------------------------------------------------------------
    def prescribe(
        self, pitem: ProtocolItem, ex: Exercise, week: int, regressed_from: Exercise | None
    ) -> Item:
        d = ex.dose
        step = pitem.step_for(week)
        sets = (step.sets if step and step.sets else None) or pitem.sets or d.sets
        reps = (step.reps if step and step.reps else None) or pitem.reps or d.reps
        hold = (step.hold_s if step and step.hold_s else None) or pitem.hold_s or d.hold_s
        duration = (
            (step.duration_s if step and step.duration_s else None)
            or pitem.duration_s
            or d.duration_s
        )
        rest = pitem.rest_s if pitem.rest_s is not None else d.rest_s
        load = (step.load if step and step.load else None) or pitem.load
        tempo = pitem.tempo or d.tempo
        if regressed_from is not None and regressed_from.id == ex.id:
            sets = max(1, sets - 1)
        per_side = ex.sides is Sides.EACH
        first_side = (
            self.intake.feet.value if per_side and self.intake.feet is not Feet.BOTH else None
        )
        why = pitem.why
        if ex.id != pitem.exercise:
            why = f"Stands in for {pitem.exercise}. {why}"
        if regressed_from is not None:
            why = f"Eased after the pain monitor's regress ({regressed_from.id}). {why}"
        sources = pitem.sources or tuple(
            c.source for c in ex.sources if c.stance is Stance.RECOMMENDS
        )
        return Item(
            exercise=ex.id,
            sets=sets,
            reps=reps,
            hold_s=hold or None,
            duration_s=duration or None,
            rest_s=rest,
            per_side=per_side,
            first_side=first_side,
            load=load,
            tempo=tempo,
            why=why,
            sources=sources or ("footcoach",),
            seconds=item_seconds(
                sets, reps, hold, duration, rest, tempo.rep_s if tempo else 0, per_side
            ),
        )

    def sessions_for(self, state: _State, parity: int) -> tuple[Session, ...]:
        phase = self.protocol.phases[state.phase]
        parity = parity if self.alternating[state.phase] else 0
        key = (state.phase, self._step_week(state), parity, state.modifier)
        cached = self.templates.get(key)
        if cached is not None:
            return cached
        chosen: list[tuple[ProtocolItem, Item]] = []
        for pitem in phase.items:
            if pitem.schedule is Schedule.EVERY_OTHER_DAY and parity:
                continue
            ex = self.resolve(pitem.exercise, pitem.slot)
            if ex is None:
                continue
            regressed_from = None
            if state.modifier is Modifier.PAUSED and is_loading(ex):
                self.paused.add(ex.id)
                continue
            if state.modifier is Modifier.REGRESSED and is_loading(ex):
                regressed_from = ex
                ex = self.regressed(ex, pitem.slot) or ex
            chosen.append((pitem, self.prescribe(pitem, ex, state.week, regressed_from)))
        sessions = self.fit(chosen)
        self.templates[key] = sessions
        return sessions

    def _step_week(self, state: _State) -> int:
        """The first week of the dose step in force: weeks with the same doses share a template."""
        weeks = self.step_weeks[state.phase]
        return weeks[bisect.bisect_right(weeks, state.week) - 1]

    # the time budget --------------------------------------------------------------------
    def fit(self, chosen: list[tuple[ProtocolItem, Item]]) -> tuple[Session, ...]:
        """Drop optional, then core, then repeated work, shortening essentials before dropping."""
        budget = self.intake.minutes_per_day
        items = [item for _, item in chosen]
        seen: set[str] = set()
        # what goes first: lowest priority, a repeat of an earlier item, a later slot
        order: list[tuple[int, int, int]] = []
        for pitem, _ in chosen:
            order.append(
                (pitem.priority.rank, int(pitem.exercise in seen), SLOT_ORDER.index(pitem.slot))
            )
            seen.add(pitem.exercise)
        alive = list(range(len(chosen)))

        def minutes() -> int:
            totals = [0] * len(SLOT_ORDER)
            for i in alive:
                totals[order[i][2]] += items[i].seconds
            return sum(math.ceil(t / 60) for t in totals)

        while alive and minutes() > budget:
            victim = max(alive, key=lambda i: (*order[i], items[i].seconds))
            if chosen[victim][0].priority is Priority.ESSENTIAL and self._shrink(items, alive):
                continue
            alive.remove(victim)
            self.time_dropped.add(items[victim].exercise)
        return _group([(chosen[i][0], items[i]) for i in alive])

    def _shrink(self, items: list[Item], alive: list[int]) -> bool:
        """Shorten the longest item a step (fewer sets, then fewer reps); False if none can."""
        for i in sorted(alive, key=lambda i: -items[i].seconds):
            smaller = _smaller(items[i])
            if smaller is not None:
                self.shortened.add(items[i].exercise)
                items[i] = smaller
                return True
        return False


def _smaller(item: Item) -> Item | None:
    if item.sets > 1:
        changed = replace(item, sets=item.sets - 1)
    elif item.duration_s and item.duration_s > 60:
        changed = replace(item, duration_s=max(60, item.duration_s * 3 // 4))
    elif item.reps > 3:
        changed = replace(item, reps=max(3, item.reps * 3 // 4))
    else:
        return None
    tempo_s = item.tempo.rep_s if item.tempo else 0
    seconds = item_seconds(
        changed.sets,
        changed.reps,
        changed.hold_s or 0,
        changed.duration_s or 0,
        changed.rest_s,
        tempo_s,
        changed.per_side,
    )
    return replace(changed, seconds=seconds)


def _group(entries: list[tuple[ProtocolItem, Item]]) -> tuple[Session, ...]:
    sessions = []
    for slot in SLOT_ORDER:
        items = tuple(item for p, item in entries if p.slot is slot)
        if items:
            sessions.append(Session(slot=slot, minutes=session_minutes(items), items=items))
    return tuple(sessions)


def _advance(protocol: Protocol, phase: int, day_in_phase: int, days: int) -> tuple[int, int]:
    """Phase index and day within it, `days` after a given point; the last phase never ends."""
    k = day_in_phase + days
    last = len(protocol.phases) - 1
    while phase < last and k >= protocol.phases[phase].weeks * 7:
        k -= protocol.phases[phase].weeks * 7
        phase += 1
    return phase, k


def first_phase(protocol: Protocol, first_step_pain: int) -> int:
    for i, phase in enumerate(protocol.phases):
        if first_step_pain >= phase.enter_at_pain:
            return i
    return len(protocol.phases) - 1


def _timeline(
    protocol: Protocol, intake: Intake, assessment: Assessment, start: date
) -> Callable[[int], _State]:
    """The state of each day (by offset from the start), with the adjustment applied."""
    p0 = first_phase(protocol, intake.first_step_pain)

    def base(d: int) -> _State:
        phase, k = _advance(protocol, p0, 0, d)
        return _State(phase, k // 7 + 1)

    adj = assessment.adjustment
    if adj is None or assessment.effective_from is None:
        return base
    a = max(0, (assessment.effective_from - start).days)
    here_phase, here_k = _advance(protocol, p0, 0, a)
    action = adj.action
    recent = assessment.recent_pain

    def from_point(
        phase: int, k0: int, modifier_days: int, modifier: Modifier
    ) -> Callable[[int], _State]:
        def state(d: int) -> _State:
            if d < a:
                return base(d)
            phase_d, k = _advance(protocol, phase, k0, d - a)
            mod = modifier if d - a < modifier_days else Modifier.NONE
            return _State(phase_d, k // 7 + 1, mod)

        return state

    calm_like = [i for i, p in enumerate(protocol.phases) if p.enter_at_pain > 0]
    if action is Action.PROGRESS:
        gentle = protocol.phases[here_phase].enter_at_pain > 0
        if (
            gentle
            and recent is not None
            and recent < CALM_PAIN
            and here_phase + 1 < len(protocol.phases)
        ):
            return from_point(here_phase + 1, 0, 0, Modifier.NONE)
        return base
    if action is Action.REPEAT:
        # the load of the day the history ends on is held for a week, then the schedule resumes
        held_state = base(max(0, a - 1))

        def held(d: int) -> _State:
            if d < a:
                return base(d)
            if d < a + 7:
                return held_state
            return base(d - 7)

        return held
    if action is Action.REGRESS:
        if recent is not None and recent >= CALM_PAIN and calm_like and calm_like[0] < here_phase:
            return from_point(calm_like[0], 0, 0, Modifier.NONE)
        back = max(0, here_k - (here_k % 7) - 14)
        return from_point(here_phase, back, REGRESS_DAYS, Modifier.REGRESSED)
    return from_point(here_phase, here_k, 10_000, Modifier.PAUSED)


def build_program(
    intake: Intake,
    library: Library,
    protocol: Protocol,
    start: date,
    weeks: int,
    history: History | None = None,
) -> Program:
    """The whole program: screening first, then the protocol's phases, fitted and adjusted."""
    referral = screen(intake)
    if referral is not None:
        return Program(
            status=Status.REFER,
            protocol=protocol.id,
            referral=referral,
            adjustment=None,
            weeks=(),
            excluded=(),
            notes=("footcoach offers no exercise program while these reasons stand.",),
        )
    assessment = assess(intake, history, start)
    planner = _Planner(intake, library, protocol, assessment)
    state_of = _timeline(protocol, intake, assessment, start)
    out_weeks: list[Week] = []
    for w in range(weeks):
        states = [state_of(7 * w + i) for i in range(7)]
        days = tuple(
            Day(start + timedelta(days=7 * w + i), planner.sessions_for(st, (7 * w + i) % 2))
            for i, st in enumerate(states)
        )
        out_weeks.append(Week(w + 1, protocol.phases[states[0].phase].id, days))
    return Program(
        status=Status.OK,
        protocol=protocol.id,
        referral=None,
        adjustment=assessment.adjustment,
        weeks=tuple(out_weeks),
        excluded=_excluded(planner, library),
        notes=_notes(planner, intake, protocol, start, weeks),
        clinician_prompt=ClinicianPrompt(assessment.clinician_reasons, CLINICIAN_ADVICE)
        if assessment.clinician_reasons
        else None,
    )


def _excluded(planner: _Planner, library: Library) -> tuple[Excluded, ...]:
    out: dict[str, Excluded] = {}
    for note in planner.protocol.excluded:
        out.setdefault(note.exercise, Excluded(note.exercise, note.reason, note.sources))
    for never in sorted(NEVER_PRESCRIBED):
        ex = library.catalog.get(never)
        against = tuple(c.source for c in ex.sources if c.stance is Stance.ADVISES_AGAINST)
        out.setdefault(never, Excluded(never, NEVER_PRESCRIBED[never], against))
    for key, entry in planner.excluded.items():
        out.setdefault(key, entry)
    for key in sorted(planner.paused):
        out.setdefault(
            key,
            Excluded(
                key,
                "Paused by the pain monitor: loading work stops until morning pain settles.",
                ("silbernagel-2007",),
            ),
        )
    budget = planner.intake.minutes_per_day
    for key in sorted(planner.time_dropped):
        out.setdefault(
            key,
            Excluded(
                key,
                f"Left out on some days to fit your {budget} minutes a day; allow more time to "
                "include it.",
                ("footcoach",),
            ),
        )
    return tuple(out.values())


def _notes(
    planner: _Planner, intake: Intake, protocol: Protocol, start: date, weeks: int
) -> tuple[str, ...]:
    notes = list(protocol.notes)
    notes.append(f"Evidence behind this protocol: {protocol.evidence}")
    notes += planner.notes
    if intake.feet is not Feet.BOTH:
        notes.append(f"Exercises done one foot at a time start with your {intake.feet.value} foot.")
    if planner.shortened:
        notes.append(
            f"Shortened to fit {intake.minutes_per_day} minutes a day: "
            + ", ".join(sorted(planner.shortened))
            + "."
        )
    every = protocol.reassess_every_weeks
    dates = [(start + timedelta(weeks=k)).isoformat() for k in range(every, weeks + 1, every)]
    if dates:
        notes.append(
            "Reassess (first-step pain trend, FFI and FAAM questionnaires) on "
            + ", ".join(dates)
            + "."
        )
    return tuple(notes)
