"""From an intake, a protocol and the pain history to a dated, explained, safe program."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum

from footcoach.domain.catalog import (
    Catalog,
    Category,
    Equipment,
    Exercise,
    Position,
    Relevance,
    Sides,
    Stance,
    Target,
)
from footcoach.domain.intake import Feet, History, Intake
from footcoach.domain.library import Library
from footcoach.domain.monitor import Assessment, assess
from footcoach.domain.program import (
    Action,
    Adjustment,
    ClinicianPrompt,
    Day,
    Excluded,
    Item,
    Program,
    Session,
    Status,
    Week,
)
from footcoach.domain.protocol import (
    SLOT_ORDER,
    Phase,
    Priority,
    Protocol,
    ProtocolItem,
    Schedule,
    Slot,
)
from footcoach.domain.safety import (
    CALM_PAIN,
    INJECTION_REST_WEEKS,
    LONG_PAIN_WEEKS,
    NEVER_PRESCRIBED,
    OLDER_AGE,
)
from footcoach.domain.screening import Referral, screen
from footcoach.domain.wording import EQUIPMENT_WORDS, day_text, days_text

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
CALF_TARGETS = frozenset({Target.GASTROCNEMIUS, Target.SOLEUS})

CLINICIAN_ADVICE = (
    "Book a visit with a physiotherapist, podiatrist or your GP and show them your footcoach "
    "progress. Until then the program keeps to its gentler side: balance exercises are done "
    "holding on, and the pain monitor holds back heavier work while your mornings are sore."
)
HOLD_ON = "hold on to a wall, worktop or sturdy chair with one hand throughout"
BODY_WEIGHT_ONLY = "your body weight only: no backpack or added weight"


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


def is_heel_raise(ex: Exercise) -> bool:
    """Calf strength work under body weight: the heel raises, heavy or light."""
    return (
        ex.weight_bearing
        and ex.category is Category.STRENGTH
        and bool(CALF_TARGETS & set(ex.targets))
    )


def is_standing_balance(ex: Exercise) -> bool:
    """Balance work standing on one foot (eyes open or closed)."""
    return (
        ex.category is Category.BALANCE and ex.weight_bearing and ex.position is Position.STANDING
    )


def support_reasons(intake: Intake, prompted: bool) -> tuple[str, ...]:
    """Why this person does standing balance work holding on, if they should."""
    reasons: list[str] = []
    if intake.pregnant:
        reasons.append("you are pregnant, and balance shifts as the baby grows")
    if intake.age >= OLDER_AGE:
        reasons.append(f"you are {OLDER_AGE} or over, when a fall costs more")
    if intake.weeks_of_symptoms > LONG_PAIN_WEEKS:
        reasons.append("your heel has hurt for more than a year")
    if prompted and not reasons:
        reasons.append(
            "footcoach suggests seeing a clinician, so the program keeps to its gentler side"
        )
    return tuple(reasons)


def injection_rest_days(intake: Intake) -> int:
    """Days from the start on which heavy heel raises wait after a steroid injection."""
    weeks = intake.steroid_injection_weeks_ago
    if weeks is None or weeks >= INJECTION_REST_WEEKS:
        return 0
    return (INJECTION_REST_WEEKS - weeks) * 7


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


def _equipment_words(items: list[Equipment], last: str) -> str:
    """'a foot trainer and a towel': equipment as a person names it."""
    words = [EQUIPMENT_WORDS.get(i, i.value.replace("_", " ")) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + last + words[-1]


def _missing(ex: Exercise, owned: frozenset[Equipment]) -> list[Equipment]:
    have = owned | {Equipment.NONE}
    return [
        item
        for item in ex.equipment.required
        if item not in have and not any(a in have for a in ex.equipment.substitutes.get(item, ()))
    ]


@dataclass(frozen=True, slots=True)
class _Resolution:
    """What an (exercise, slot) resolves to, and what the plan says about it the first time."""

    exercise: Exercise | None
    note: str | None = None
    excluded: Excluded | None = None


@dataclass(slots=True)
class _Record:
    """What working out one day template left behind, besides its sessions: each of these is
    added to a build's notes and exclusions when the build first uses the template."""

    resolves: dict[tuple[str, Slot], None] = field(default_factory=dict)
    """Every (exercise, slot) looked up, in the order first looked up."""
    orphans: list[tuple[str, str]] = field(default_factory=list)
    paused: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    unweighted: set[str] = field(default_factory=set)
    supported: set[str] = field(default_factory=set)
    time_dropped: set[str] = field(default_factory=set)
    shortened: set[str] = field(default_factory=set)
    full_minutes: int = 0


@dataclass(frozen=True, slots=True)
class _Template:
    sessions: tuple[Session, ...]
    record: _Record


TemplateKey = tuple[int, int, int, Modifier, bool]
"""(phase, first week of the dose step, parity, modifier, heel raises deferred)."""


class _Templates:
    """A person's day templates: resolved exercises and fitted sessions for each kind of day.

    They depend on the catalog, the protocol, the intake and whether balance work is held on
    to, never on the diary, so a PlanMemo keeps them from one build to the next; each build
    replays the record of the templates it uses (_Planner), in the order it uses them, so its
    notes and exclusions are those a build from nothing would give."""

    def __init__(self, intake: Intake, library: Library, protocol: Protocol, hold_on: bool) -> None:
        self.intake = intake
        self.hold_on = hold_on
        self.calm = next((p for p in protocol.phases if p.gentle), None)
        self.catalog: Catalog = library.catalog
        self.protocol = protocol
        self.owned = frozenset(intake.equipment)
        self.resolutions: dict[tuple[str, Slot], _Resolution] = {}
        self.templates: dict[TemplateKey, _Template] = {}
        self.step_weeks = [
            sorted({1} | {s.from_week for i in ph.items for s in i.dose_steps})
            for ph in protocol.phases
        ]
        self.alternating = [
            any(i.schedule is Schedule.EVERY_OTHER_DAY for i in ph.items) for ph in protocol.phases
        ]

    # exercise resolution ----------------------------------------------------------------
    def resolve(self, record: _Record, exercise_id: str, slot: Slot) -> Exercise | None:
        key = (exercise_id, slot)
        record.resolves.setdefault(key)
        found = self.resolutions.get(key)
        if found is None:
            found = self._resolve(exercise_id, slot)
            self.resolutions[key] = found
        return found.exercise

    def _resolve(self, exercise_id: str, slot: Slot) -> _Resolution:
        wanted = self.catalog.get(exercise_id)
        queue, seen = [wanted], {wanted.id: None}  # a dict keeps the order tried
        while queue:
            ex = queue.pop(0)
            if _allowed(ex, slot, self.protocol) and ex.equipment.usable_with(self.owned):
                if ex.id != wanted.id:
                    missing = _equipment_words(_missing(wanted, self.owned), " or ")
                    return _Resolution(
                        ex,
                        note=f"You have no {missing.removeprefix('a ').removeprefix('an ')}: "
                        f"{ex.name} stands in for {wanted.name}.",
                    )
                return _Resolution(ex)
            for sub in ex.substitute_exercises:
                if sub not in seen:
                    seen[sub] = None
                    queue.append(self.catalog.get(sub))
        needs = [
            f"{self.catalog.get(ex_id).name} needs "
            + _equipment_words(_missing(self.catalog.get(ex_id), self.owned), " and ")
            for ex_id in seen
            if _missing(self.catalog.get(ex_id), self.owned)
        ]
        reason = "; ".join(needs) if needs else f"no version of it suits the {slot.value} slot"
        return _Resolution(
            None, excluded=Excluded(wanted.id, f"Not in your equipment: {reason}.", ())
        )

    def regressed(self, ex: Exercise, slot: Slot) -> Exercise | None:
        for easier in ex.regressions:
            candidate = self.catalog.get(easier)
            if _allowed(candidate, slot, self.protocol) and candidate.equipment.usable_with(
                self.owned
            ):
                return candidate
        return None

    # prescription -----------------------------------------------------------------------
    def prescribe(
        self,
        record: _Record,
        pitem: ProtocolItem,
        ex: Exercise,
        week: int,
        regressed_from: Exercise | None,
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
        if self.intake.pregnant and step is not None and step.adds_weight:
            load = BODY_WEIGHT_ONLY
            record.unweighted.add(ex.id)
        if self.hold_on and is_standing_balance(ex):
            load = f"{load}; {HOLD_ON}" if load else HOLD_ON
            record.supported.add(ex.id)
        tempo = pitem.tempo or d.tempo
        if regressed_from is not None and regressed_from.id == ex.id:
            sets = max(1, sets - 1)
        per_side = ex.sides is Sides.EACH
        first_side = (
            self.intake.feet.value if per_side and self.intake.feet is not Feet.BOTH else None
        )
        why = pitem.why
        if ex.id != pitem.exercise:
            why = f"Stands in for {self.catalog.get(pitem.exercise).name}. {why}"
        if regressed_from is not None:
            why = (
                "Eased because the pain monitor stepped back from "
                f"{regressed_from.name.lower()}. {why}"
            )
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

    def key(self, state: _State, parity: int, deferred: bool) -> TemplateKey:
        parity = parity if self.alternating[state.phase] else 0
        return (state.phase, self._step_week(state), parity, state.modifier, deferred)

    def template(self, key: TemplateKey, state: _State) -> _Template:
        """The day's sessions for a key (worked out the first time it is asked for)."""
        found = self.templates.get(key)
        if found is None:
            record = _Record()
            found = _Template(self._sessions(record, key, state), record)
            self.templates[key] = found
        return found

    def _sessions(self, record: _Record, key: TemplateKey, state: _State) -> tuple[Session, ...]:
        """The day's sessions. key[4], deferred: heel raises wait (a recent steroid injection)."""
        parity, deferred = key[2], key[4]
        phase = self.protocol.phases[state.phase]
        source, week = phase, state.week
        if state.modifier is Modifier.PAUSED and self.calm is not None and not phase.gentle:
            # loading paused: the calm phase's seated routine stands in, the label stays
            for pitem in phase.items:
                ex = self.resolve(record, pitem.exercise, pitem.slot)
                if ex is not None and is_loading(ex):
                    record.paused.add(ex.id)
            source, week, parity = self.calm, 1, 0
        chosen: list[tuple[ProtocolItem, Item]] = []
        leads: list[int | None] = []
        planned: dict[int, int] = {}
        for index, pitem in enumerate(source.items):
            lead = source.predecessor(index)
            if lead is not None and lead not in planned:
                record.orphans.append((pitem.exercise, source.items[lead].exercise))
                continue
            if pitem.schedule is Schedule.EVERY_OTHER_DAY and parity:
                continue
            ex = self.resolve(record, pitem.exercise, pitem.slot)
            if ex is None:
                continue
            regressed_from = None
            if state.modifier is Modifier.PAUSED and is_loading(ex):
                record.paused.add(ex.id)
                continue
            if deferred and is_heel_raise(ex):
                record.deferred.add(ex.id)
                continue
            if state.modifier is Modifier.REGRESSED and is_loading(ex):
                regressed_from = ex
                ex = self.regressed(ex, pitem.slot) or ex
            planned[index] = len(chosen)
            leads.append(planned[lead] if lead is not None else None)
            chosen.append((pitem, self.prescribe(record, pitem, ex, week, regressed_from)))
        return self.fit(record, chosen, leads)

    def _step_week(self, state: _State) -> int:
        """The first week of the dose step in force: weeks with the same doses share a template."""
        weeks = self.step_weeks[state.phase]
        return weeks[bisect.bisect_right(weeks, state.week) - 1]

    # the time budget --------------------------------------------------------------------
    def fit(
        self, record: _Record, chosen: list[tuple[ProtocolItem, Item]], leads: list[int | None]
    ) -> tuple[Session, ...]:
        """Drop optional, then core, then repeated work, shortening essentials before dropping.
        An item that follows another (rest after ice) goes whenever the one it follows goes."""
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
        followers: dict[int, list[int]] = {}
        for i, lead in enumerate(leads):
            if lead is not None:
                followers.setdefault(lead, []).append(i)
        alive = list(range(len(chosen)))

        def minutes() -> int:
            totals = [0] * len(SLOT_ORDER)
            for i in alive:
                totals[order[i][2]] += items[i].seconds
            return sum(math.ceil(t / 60) for t in totals)

        def drop(i: int) -> None:
            alive.remove(i)
            record.time_dropped.add(items[i].exercise)
            for f in followers.get(i, ()):
                if f in alive:
                    drop(f)

        record.full_minutes = max(record.full_minutes, minutes())
        while alive and minutes() > budget:
            victim = max(alive, key=lambda i: (*order[i], items[i].seconds))
            if chosen[victim][0].priority is Priority.ESSENTIAL and self._shrink(
                record, items, alive
            ):
                continue
            drop(victim)
        return _group([(chosen[i][0], items[i]) for i in alive])

    def _shrink(self, record: _Record, items: list[Item], alive: list[int]) -> bool:
        """Shorten the longest item a step (fewer sets, then fewer reps); False if none can."""
        for i in sorted(alive, key=lambda i: -items[i].seconds):
            smaller = _smaller(items[i])
            if smaller is not None:
                record.shortened.add(items[i].exercise)
                items[i] = smaller
                return True
        return False


MEMO_PEOPLE = 128
"""Day templates kept by a PlanMemo: one set per intake, protocol and hold-on choice."""


class PlanMemo:
    """Day templates kept between builds, for callers that build the same person's program
    again and again (after each check-in or session): a build then works out only the days'
    order from the diary, and reuses the sessions. The program is the same as a build from
    nothing; pass one memo per library (the templates of its catalog and protocols)."""

    def __init__(self, size: int = MEMO_PEOPLE) -> None:
        self._size = size
        self._kept: dict[tuple[str, Intake, bool], _Templates] = {}

    def templates(
        self, intake: Intake, library: Library, protocol: Protocol, hold_on: bool
    ) -> _Templates:
        key = (protocol.id, intake, hold_on)
        found = self._kept.get(key)
        if found is None or found.protocol is not protocol or found.catalog is not library.catalog:
            if len(self._kept) >= self._size:
                self._kept.clear()  # a rare reset keeps it simple and bounded
            found = _Templates(intake, library, protocol, hold_on)
            self._kept[key] = found
        return found


class _Planner:
    """One build's notes and exclusions, gathered from the day templates it uses."""

    def __init__(self, templates: _Templates) -> None:
        self.shared = templates
        self.intake = templates.intake
        self.catalog = templates.catalog
        self.protocol = templates.protocol
        self.full_minutes = 0
        """The most minutes a day's whole routine needs, before fitting it to the budget."""
        self.unweighted: set[str] = set()
        self.supported: set[str] = set()
        self.deferred: set[str] = set()
        self.orphaned: dict[str, str] = {}
        """Items left out because what they follow was: exercise -> the one it follows."""
        self.excluded: dict[str, Excluded] = {}
        self.notes: list[str] = []
        self.time_dropped: set[str] = set()
        self.shortened: set[str] = set()
        self.paused: set[str] = set()
        self._used: set[TemplateKey] = set()
        self._resolved: set[tuple[str, Slot]] = set()

    def sessions_for(self, state: _State, parity: int, deferred: bool) -> tuple[Session, ...]:
        """The day's sessions. `deferred`: heel raises wait (a recent steroid injection)."""
        key = self.shared.key(state, parity, deferred)
        template = self.shared.template(key, state)
        if key not in self._used:
            self._used.add(key)
            self._take(template.record)
        return template.sessions

    def _take(self, record: _Record) -> None:
        """Add what a template left behind, as working it out in this build would have."""
        for key in record.resolves:
            if key not in self._resolved:
                self._resolved.add(key)
                found = self.shared.resolutions[key]
                if found.note is not None and found.note not in self.notes:
                    self.notes.append(found.note)
                if found.excluded is not None:
                    self.excluded.setdefault(found.excluded.exercise, found.excluded)
        for exercise_id, lead_id in record.orphans:
            self.orphaned.setdefault(exercise_id, lead_id)
        self.paused |= record.paused
        self.deferred |= record.deferred
        self.unweighted |= record.unweighted
        self.supported |= record.supported
        self.time_dropped |= record.time_dropped
        self.shortened |= record.shortened
        self.full_minutes = max(self.full_minutes, record.full_minutes)


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


def first_phase(protocol: Protocol, first_step_pain: int) -> int:
    for i, phase in enumerate(protocol.phases):
        if first_step_pain >= phase.enter_at_pain:
            return i
    return len(protocol.phases) - 1


class _Timeline:
    """Walks the program day by day: the phase and week of each day, the pain monitor's
    adjustment from the day it applies, and the loading gate of every day's mornings.

    A phase runs its calendar length only on days whose mornings allow loading: a calm phase
    is never left while the mornings average CALM_PAIN or more, and a loading phase does not
    move on while its loading waits (those days take the calm routine, the label stays)."""

    def __init__(
        self, protocol: Protocol, intake: Intake, assessment: Assessment, start: date
    ) -> None:
        self.protocol = protocol
        self.assessment = assessment
        self.start = start
        self.phase = first_phase(protocol, intake.first_step_pain)
        self.k = 0
        self.modifier = Modifier.NONE
        self.modifier_days = 0
        self.hold_days = 0
        self.frozen = False
        effective = assessment.effective_from
        self.adjust_at = None if effective is None else max(0, (effective - start).days)

    def _waits(self, offset: int) -> bool:
        mornings = self.assessment.mornings
        return mornings is not None and mornings.loading_waits(self.start + timedelta(offset))

    def _adjust(self) -> None:
        adj = self.assessment.adjustment
        if adj is None:
            return
        phases = self.protocol.phases
        here: Phase = phases[self.phase]
        recent = self.assessment.recent_pain
        if adj.action is Action.PROGRESS:
            moves_on = here.gentle and recent is not None and recent < CALM_PAIN
            if moves_on and self.phase + 1 < len(phases):
                self.phase, self.k = self.phase + 1, 0
        elif adj.action is Action.REPEAT:
            # the load of the day before is held for a week, then the schedule resumes
            self.k = max(0, self.k - 1)
            self.hold_days = 6
        elif adj.action is Action.REGRESS:
            calm = [i for i, p in enumerate(phases) if p.gentle]
            if recent is not None and recent >= CALM_PAIN and calm and calm[0] < self.phase:
                self.phase, self.k = calm[0], 0
            else:
                self.k = max(0, self.k - (self.k % 7) - 14)
                self.modifier, self.modifier_days = Modifier.REGRESSED, REGRESS_DAYS
        else:
            self.frozen = True

    def states(self, days: int) -> list[_State]:
        phases = self.protocol.phases
        last = len(phases) - 1
        out: list[_State] = []
        for d in range(days):
            if d == self.adjust_at:
                self._adjust()
            phase = phases[self.phase]
            waits = self._waits(d)
            week = self.k // 7 + 1
            if self.frozen or (waits and not phase.gentle):
                out.append(_State(self.phase, week, Modifier.PAUSED))
                continue
            modifier = self.modifier if self.modifier_days > 0 else Modifier.NONE
            out.append(_State(self.phase, week, modifier))
            self.modifier_days = max(0, self.modifier_days - 1)
            if self.hold_days > 0:
                self.hold_days -= 1
                continue
            self.k += 1
            if self.phase < last and self.k >= phase.weeks * 7 and not waits:
                self.phase, self.k = self.phase + 1, 0
        return out


@dataclass(frozen=True, slots=True)
class Outlook:
    """What the screen and the pain monitor say of a person today, before any day is planned:
    the same referral, adjustment and clinician prompt as build_program's program."""

    referral: Referral | None
    adjustment: Adjustment | None
    clinician_prompt: ClinicianPrompt | None
    prelude: _Prelude | None = field(default=None, compare=False, repr=False)
    """The assessment it was read from, for plan_day to plan on without assessing again."""


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """One day of a program, with the number and phase of its week, as build_program gives it."""

    week: int
    phase: str
    day: Day


@dataclass(frozen=True, slots=True)
class _Prelude:
    """What a build works out before its first day: the monitor's assessment, the reasons to
    see a clinician, the rest after an injection, and whether balance work is held on to."""

    assessment: Assessment
    reasons: tuple[str, ...]
    rest_days: int
    hold_on: bool

    @property
    def prompt(self) -> ClinicianPrompt | None:
        return ClinicianPrompt(self.reasons, CLINICIAN_ADVICE) if self.reasons else None


def _prelude(intake: Intake, start: date, history: History | None) -> _Prelude:
    assessment = assess(intake, history, start)
    reasons = list(assessment.clinician_reasons)
    rest_days = injection_rest_days(intake)
    last = (history.last_day if history is not None else None) or start
    if rest_days and (last - start).days < rest_days:
        reasons.append(_injection_reason(intake, start, rest_days))
    hold_on = bool(support_reasons(intake, bool(reasons)))
    return _Prelude(assessment, tuple(reasons), rest_days, hold_on)


def _planner(
    intake: Intake, library: Library, protocol: Protocol, prelude: _Prelude, memo: PlanMemo | None
) -> _Planner:
    templates = (
        memo.templates(intake, library, protocol, prelude.hold_on)
        if memo is not None
        else _Templates(intake, library, protocol, prelude.hold_on)
    )
    return _Planner(templates)


def outlook(intake: Intake, start: date, history: History | None = None) -> Outlook:
    """build_program's referral, adjustment and clinician prompt, without planning a day: what
    a check-in answers with."""
    referral = screen(intake)
    if referral is not None:
        return Outlook(referral, None, None)
    prelude = _prelude(intake, start, history)
    return Outlook(None, prelude.assessment.adjustment, prelude.prompt, prelude)


def plan_day(
    intake: Intake,
    library: Library,
    protocol: Protocol,
    start: date,
    weeks: int,
    history: History | None,
    day: date,
    memo: PlanMemo | None = None,
    said: Outlook | None = None,
) -> PlannedDay | None:
    """The day `day` of build_program(...) with the same arguments, planned without the days
    after it (the timeline only looks back), or None when the program has no such day: a
    referral, a day before the start or after the last week. `said`: outlook() of the same
    intake, start and history, when there is one, so as not to assess again."""
    offset = (day - start).days
    if offset < 0 or offset >= 7 * weeks:
        return None
    if said is None:
        said = outlook(intake, start, history)
    if said.referral is not None or said.prelude is None:
        return None
    prelude = said.prelude
    planner = _planner(intake, library, protocol, prelude, memo)
    states = _Timeline(protocol, intake, prelude.assessment, start).states(offset + 1)
    week_index = offset // 7
    sessions = planner.sessions_for(states[offset], offset % 2, offset < prelude.rest_days)
    return PlannedDay(
        week_index + 1, protocol.phases[states[7 * week_index].phase].id, Day(day, sessions)
    )


def build_program(
    intake: Intake,
    library: Library,
    protocol: Protocol,
    start: date,
    weeks: int,
    history: History | None = None,
    memo: PlanMemo | None = None,
) -> Program:
    """The whole program: screening first, then the protocol's phases, fitted and adjusted.

    `memo` keeps the day templates for the next build of the same person (the result is the
    same with or without it)."""
    said = outlook(intake, start, history)
    if said.referral is not None or said.prelude is None:
        return Program(
            status=Status.REFER,
            protocol=protocol.id,
            referral=said.referral,
            adjustment=None,
            weeks=(),
            excluded=(),
            notes=("footcoach offers no exercise program while these reasons stand.",),
        )
    prelude = said.prelude
    planner = _planner(intake, library, protocol, prelude, memo)
    states = _Timeline(protocol, intake, prelude.assessment, start).states(7 * weeks)
    out_weeks: list[Week] = []
    for w in range(weeks):
        week_states = states[7 * w : 7 * w + 7]
        days = tuple(
            Day(
                start + timedelta(days=7 * w + i),
                planner.sessions_for(st, (7 * w + i) % 2, 7 * w + i < prelude.rest_days),
            )
            for i, st in enumerate(week_states)
        )
        out_weeks.append(Week(w + 1, protocol.phases[week_states[0].phase].id, days))
    return Program(
        status=Status.OK,
        protocol=protocol.id,
        referral=None,
        adjustment=said.adjustment,
        weeks=tuple(out_weeks),
        excluded=_excluded(planner, library),
        notes=_notes(planner, intake, protocol, start, weeks, bool(prelude.reasons)),
        clinician_prompt=said.clinician_prompt,
    )


def _injection_reason(intake: Intake, start: date, rest_days: int) -> str:
    weeks = intake.steroid_injection_weeks_ago or 0
    when = (
        "in the week you started"
        if weeks == 0
        else "a week before you started"
        if weeks == 1
        else f"{weeks} weeks before you started"
    )
    return (
        f"You had a steroid injection in your heel {when}. Heavy heel raises wait until "
        f"{day_text(start + timedelta(days=rest_days))}, two weeks after it; ask the clinician "
        "who gave it before you start them."
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
    for key in sorted(planner.deferred):
        out.setdefault(
            key,
            Excluded(
                key,
                "Waits until two weeks after your steroid injection, while the heel is weaker.",
                ("footcoach",),
            ),
        )
    for key, lead in sorted(planner.orphaned.items()):
        out.setdefault(
            key,
            Excluded(
                key,
                f"Only done after {library.catalog.get(lead).name.lower()}, which your plan "
                "leaves out.",
                ("footcoach",),
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


def _names(planner: _Planner, ids: set[str]) -> str:
    names = [planner.catalog.get(i).name.lower() for i in sorted(ids)]
    if len(names) == 1:
        return names[0]
    comma = "; " if any("," in n for n in names) else ", "
    return comma.join(names[:-1]) + " and " + names[-1]


def _notes(
    planner: _Planner,
    intake: Intake,
    protocol: Protocol,
    start: date,
    weeks: int,
    prompted: bool,
) -> tuple[str, ...]:
    notes = list(protocol.notes)
    notes.append(f"Evidence behind this protocol: {protocol.evidence}")
    notes += planner.notes
    if intake.feet is not Feet.BOTH:
        notes.append(f"Exercises done one foot at a time start with your {intake.feet.value} foot.")
    if planner.unweighted:
        notes.append(
            "Because you are pregnant, heel raises use your body weight only, never a loaded "
            "backpack: extra weight adds strain while pregnancy already loosens the joints and "
            "shifts your balance."
        )
    if planner.supported:
        why = "; ".join(support_reasons(intake, prompted))
        notes.append(
            f"Balance exercises are done holding on to something steady ({why}): "
            f"{_names(planner, planner.supported)}."
        )
    if planner.time_dropped:
        notes.append(
            f"To fit your {intake.minutes_per_day} minutes a day, some days leave out "
            f"{_names(planner, planner.time_dropped)}. The whole routine needs about "
            f"{planner.full_minutes} minutes a day."
        )
    if planner.shortened:
        notes.append(
            f"Shortened to fit {intake.minutes_per_day} minutes a day: "
            + ", ".join(sorted(planner.shortened))
            + "."
        )
    every = protocol.reassess_every_weeks
    dates = [start + timedelta(weeks=k) for k in range(every, weeks + 1, every)]
    if dates:
        notes.append(
            "Reassess (first-step pain trend, FFI and FAAM questionnaires) on "
            + days_text(dates)
            + "."
        )
    return tuple(notes)
