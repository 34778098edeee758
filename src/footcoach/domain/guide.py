"""A guided session: the script of timed steps, and a player that walks it on a monotonic clock.

`script` turns the prescribed items of a session into an ordered tuple of steps (get ready, hold,
relax, rep, timed, switch side, rest), each with its duration, counters and the words to show and
to speak. `Player` walks that script against timestamps it is given (it never reads a clock):
every step is scheduled from the session's start, so timers never drift however late `advance` is
called, and pauses and skips shift the schedule by exactly the time they take or jump.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from footcoach.domain.catalog import Exercise
from footcoach.domain.diary import ItemRecord
from footcoach.domain.planner import HOLD_MOVE_S, PLAIN_REP_S, SWITCH_S
from footcoach.domain.program import Item
from footcoach.domain.wording import count_text

GET_READY_S = 5
"""Seconds to read the card and get into position before each item."""
DEFAULT_FIRST_SIDE = "left"
SESSION_DONE = "That's the session done. Well done."


class Kind(StrEnum):
    GET_READY = "get_ready"
    HOLD = "hold"
    RELAX = "relax"
    """The short release between two holds of a set (HOLD_MOVE_S seconds)."""
    REP = "rep"
    TIMED = "timed"
    SWITCH_SIDE = "switch_side"
    REST = "rest"


WORK_KINDS = frozenset({Kind.HOLD, Kind.REP, Kind.TIMED})
"""The kinds whose time counts as work done (seconds_done)."""


class Phase(StrEnum):
    """The parts of one repetition done to a tempo."""

    UP = "up"
    HOLD = "hold"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Step:
    """One timed step of a guided session.

    On work steps the counters say where the step stands (set 2 of 3, rep 4 of 12, left foot);
    on get-ready, rest and switch steps they describe what comes next. rep_no and reps are 0 on
    steps that are not part of a repetition.
    """

    item: int
    """Index of the item in the session (0-based)."""
    exercise: str
    name: str
    cue: str
    kind: Kind
    duration_s: int
    set_no: int
    sets: int
    rep_no: int
    reps: int
    side: str | None
    text: str
    """What to show, short: 'Hold... 10', 'Switch to your right foot', 'Rest 30 seconds'."""
    say: str
    """What to speak when the step starts ('' for nothing)."""
    bell: bool = False
    """A change of phase: a new item, set or side, or a move from one kind of step to another."""
    phase: Phase | None = None
    completes_rep: bool = False
    """Finishing this step completes one repetition, hold or timed bout."""
    completes_set: bool = False
    """Finishing this step completes a set on every side."""

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS


# --- words -----------------------------------------------------------------------------------


def duration_words(seconds: int) -> str:
    """'10 seconds', '2 minutes', '1 minute 30 seconds': for the eye and the ear alike."""
    if seconds < 60:
        return count_text(seconds, "second")
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return count_text(minutes, "minute")
    return f"{count_text(minutes, 'minute')} {count_text(rest, 'second')}"


def _work_kind(item: Item) -> Kind:
    if item.duration_s:
        return Kind.TIMED
    if item.tempo is not None and item.tempo.rep_s > 0:
        return Kind.REP
    if item.hold_s:
        return Kind.HOLD
    return Kind.REP


def _sides(item: Item) -> tuple[str | None, ...]:
    if not item.per_side:
        return (None,)
    first = item.first_side if item.first_side in ("left", "right") else DEFAULT_FIRST_SIDE
    return (first, "right" if first == "left" else "left")


def dose_words(item: Item) -> str:
    """The dose of an item in a few spoken words: '3 sets of 10 holds of 10 seconds, each foot'."""
    kind = _work_kind(item)

    def in_sets(one: str) -> str:
        return one if item.sets == 1 else f"{item.sets} sets of {one}"

    if kind is Kind.TIMED:
        amount = duration_words(item.duration_s or 0)
        text = amount if item.sets == 1 else f"{item.sets} rounds of {amount}"
    elif item.tempo is not None and item.tempo.rep_s > 0:
        t = item.tempo
        top = t.hold_s + (item.hold_s or 0)
        text = in_sets(
            f"{count_text(item.reps, 'slow rep')}: {t.up_s} up, {top} hold, {t.down_s} down"
        )
    elif kind is Kind.HOLD:
        text = in_sets(f"{count_text(item.reps, 'hold')} of {duration_words(item.hold_s or 0)}")
    else:
        text = in_sets(count_text(item.reps, "rep"))
    if item.per_side:
        text += f", each foot, {_sides(item)[0]} first"
    return text


# --- the script ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Work:
    """One step of one set on one side, before its counters and words are filled in."""

    kind: Kind
    duration_s: int
    rep_no: int
    phase: Phase | None = None
    completes_rep: bool = False


def _one_set(item: Item) -> list[_Work]:
    kind = _work_kind(item)
    if kind is Kind.TIMED:
        return [_Work(Kind.TIMED, item.duration_s or 0, 1, completes_rep=True)]
    out: list[_Work] = []
    reps = max(item.reps, 0)
    for r in range(1, reps + 1):
        if item.tempo is not None and item.tempo.rep_s > 0:
            t = item.tempo
            phases = [
                (Phase.UP, t.up_s),
                (Phase.HOLD, t.hold_s + (item.hold_s or 0)),
                (Phase.DOWN, t.down_s),
            ]
            phases = [(p, s) for p, s in phases if s > 0]
            for n, (phase, seconds) in enumerate(phases):
                out.append(_Work(Kind.REP, seconds, r, phase, completes_rep=n == len(phases) - 1))
        elif kind is Kind.HOLD:
            out.append(_Work(Kind.HOLD, item.hold_s or 0, r, completes_rep=True))
            if r < reps:
                out.append(_Work(Kind.RELAX, HOLD_MOVE_S, r))
        else:
            out.append(_Work(Kind.REP, PLAIN_REP_S, r, completes_rep=True))
    return out


def one_set_seconds(item: Item) -> int:
    """Seconds of one set on one side, relaxes between holds included."""
    return sum(w.duration_s for w in _one_set(item))


def rest_between_sets(item: Item) -> int:
    """The rest step between two sets.

    Per-side items alternate feet set by set, so one foot rests while the other works: the rest
    step only tops that up to rest_s (as the planner's time estimate assumes).
    """
    if item.per_side:
        return max(0, item.rest_s - one_set_seconds(item))
    return max(0, item.rest_s)


def _work_text(w: _Work, item: Item) -> str:
    if w.kind is Kind.TIMED:
        return "Keep going"
    if w.kind is Kind.HOLD:
        return f"Hold... {w.duration_s}"
    if w.kind is Kind.RELAX:
        return "Relax"
    if w.phase is Phase.UP:
        return f"Up... {w.duration_s}"
    if w.phase is Phase.HOLD:
        return f"Hold... {w.duration_s}"
    if w.phase is Phase.DOWN:
        return f"Down... {w.duration_s}"
    return f"Rep {w.rep_no} of {item.reps}"


def _work_say(w: _Work, item: Item, opening: str) -> str:
    """Short spoken words; the first step of a set or side opens with where it stands."""
    start = f"{opening} " if opening else ""
    if w.kind is Kind.TIMED:
        return f"{start}Start. {duration_words(w.duration_s)}."
    if w.kind is Kind.HOLD:
        return f"{start}Hold {w.rep_no} of {item.reps}."
    if w.kind is Kind.RELAX:
        return "Relax."
    if w.phase is Phase.UP:
        return f"{start}{w.rep_no}, up."
    if w.phase is Phase.HOLD:
        return f"{start}{w.rep_no}, hold." if opening else "Hold."
    if w.phase is Phase.DOWN:
        return f"{start}{w.rep_no}, down." if opening else "Down."
    return f"{start}{w.rep_no}."


def _opening(item: Item, set_no: int, side_no: int, side: str | None) -> str:
    parts = []
    if item.sets > 1 and side_no == 0:
        parts.append(f"Set {set_no} of {item.sets}.")
    if side is not None and (set_no, side_no) == (1, 0):
        parts.append(f"{side.capitalize()} foot.")
    return " ".join(parts)


def _item_steps(index: int, item: Item, exercise: Exercise, get_ready_s: int) -> list[Step]:
    cue = exercise.cues[0] if exercise.cues else (exercise.steps[0] if exercise.steps else "")
    sides = _sides(item)
    one_set = _one_set(item)
    rest_s = rest_between_sets(item)
    work_reps = 1 if _work_kind(item) is Kind.TIMED else item.reps
    dose = dose_words(item)
    base = Step(
        item=index,
        exercise=item.exercise,
        name=exercise.name,
        cue=cue,
        kind=Kind.GET_READY,
        duration_s=get_ready_s,
        set_no=1,
        sets=item.sets,
        rep_no=0,
        reps=0,
        side=sides[0],
        text=f"Get ready: {dose}",
        say=f"Get ready. {exercise.name}. {dose}.",
    )
    out = [base]
    for set_no in range(1, item.sets + 1):
        if set_no > 1 and rest_s > 0:
            words = f"Rest {duration_words(rest_s)}"
            out.append(
                replace(
                    base,
                    kind=Kind.REST,
                    duration_s=rest_s,
                    set_no=set_no,
                    text=words,
                    say=f"{words}.",
                )
            )
        for side_no, side in enumerate(sides):
            if side is not None and (set_no, side_no) != (1, 0):
                words = f"Switch to your {side} foot"
                out.append(
                    replace(
                        base,
                        kind=Kind.SWITCH_SIDE,
                        duration_s=SWITCH_S,
                        set_no=set_no,
                        side=side,
                        text=words,
                        say=f"{words}.",
                    )
                )
            opening = _opening(item, set_no, side_no, side)
            last_side = side_no == len(sides) - 1
            for n, w in enumerate(one_set):
                out.append(
                    replace(
                        base,
                        kind=w.kind,
                        duration_s=w.duration_s,
                        set_no=set_no,
                        rep_no=w.rep_no,
                        reps=work_reps,
                        side=side,
                        text=_work_text(w, item),
                        say=_work_say(w, item, opening if n == 0 else ""),
                        phase=w.phase,
                        completes_rep=w.completes_rep,
                        completes_set=last_side and n == len(one_set) - 1,
                    )
                )
    return out


def _with_bells(steps: Sequence[Step]) -> tuple[Step, ...]:
    out: list[Step] = []
    previous: Step | None = None
    for s in steps:
        bell = (
            previous is None
            or previous.item != s.item
            or previous.kind != s.kind
            or previous.set_no != s.set_no
            or previous.side != s.side
        )
        out.append(replace(s, bell=bell))
        previous = s
    return tuple(out)


def script(
    items: Sequence[tuple[Item, Exercise]], get_ready_s: int = GET_READY_S
) -> tuple[Step, ...]:
    """The whole session as ordered timed steps.

    Each item opens with a get-ready step (kept even when get_ready_s is 0, so every item has a
    step); steps that would last 0 seconds (a tempo phase of 0, a rest of 0) are left out. Per-side
    items alternate feet set by set, first_side first ('left' when None).
    """
    if get_ready_s < 0:
        raise ValueError("get_ready_s must be 0 or more")
    steps: list[Step] = []
    for index, (item, exercise) in enumerate(items):
        for s in _item_steps(index, item, exercise, get_ready_s):
            if s.duration_s > 0 or s.kind is Kind.GET_READY:
                steps.append(s)
    return _with_bells(steps)


# --- the player ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """What was done of one item: the fields of an ItemRecord but its wall-clock time.

    sets_done counts sets finished on every side; reps_done counts repetitions, holds or timed
    bouts over all sets and sides; seconds_done is time under work (holds, reps, timed), rests,
    switches, relaxes and get-ready excluded.
    """

    position: int
    exercise: str
    sets_done: int
    reps_done: int
    seconds_done: int
    skipped: bool

    def record(self, finished_at: datetime) -> ItemRecord:
        return ItemRecord(
            position=self.position,
            exercise=self.exercise,
            sets_done=self.sets_done,
            reps_done=self.reps_done,
            seconds_done=self.seconds_done,
            skipped=self.skipped,
            finished_at=finished_at,
        )


@dataclass(frozen=True, slots=True)
class StepStarted:
    at: float
    index: int
    step: Step


@dataclass(frozen=True, slots=True)
class Bell:
    at: float


@dataclass(frozen=True, slots=True)
class Speak:
    at: float
    text: str


@dataclass(frozen=True, slots=True)
class CountdownTick:
    at: float
    index: int
    seconds_left: int


@dataclass(frozen=True, slots=True)
class ItemFinished:
    at: float
    summary: ItemSummary


@dataclass(frozen=True, slots=True)
class SessionFinished:
    at: float
    completed: bool
    """True when the script ran to its end (skipped items included); False after quit."""


Event = StepStarted | Bell | Speak | CountdownTick | ItemFinished | SessionFinished
"""`at` is the instant on the monotonic clock the event belongs to: a step's scheduled start
or end (earlier than the call when advance() runs late), or the call itself for ticks and keys."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Where a player stands at an instant, for a display."""

    index: int
    step: Step | None
    seconds_left: float
    item_done_s: float
    item_total_s: float
    session_done_s: float
    session_total_s: float
    paused: bool
    finished: bool


class Player:
    """A state machine over a script, driven by monotonic timestamps passed in.

    Step k ends at origin + the durations of steps 0..k, where origin is the start plus the time
    spent paused (and shifted by skips), so the schedule never drifts however late advance() is
    called; a late call emits, in order, the events of every step it passed.
    """

    def __init__(self, steps: Sequence[Step]) -> None:
        self._steps = tuple(steps)
        starts: list[int] = []
        total = 0
        for s in self._steps:
            if s.duration_s < 0:
                raise ValueError("a step cannot last less than 0 seconds")
            starts.append(total)
            total += s.duration_s
        self._starts = tuple(starts)
        self._ends = (*starts[1:], total) if starts else ()
        self._total = total
        first: list[int] = []
        last = [0] * len(self._steps)
        for k, s in enumerate(self._steps):
            first.append(k if k == 0 or self._steps[k - 1].item != s.item else first[k - 1])
        for k in range(len(self._steps) - 1, -1, -1):
            nxt = k + 1
            same = nxt < len(self._steps) and self._steps[nxt].item == self._steps[k].item
            last[k] = last[nxt] if same else k
        self._first = tuple(first)
        self._last = tuple(last)
        self._origin: float | None = None
        self._index = 0
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._finished = False
        self._completed = False
        self._final_t = 0.0
        self._last_tick: int | None = None
        self._reset_item()

    # -- state --------------------------------------------------------------------------------

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._steps

    @property
    def started(self) -> bool:
        return self._origin is not None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def completed(self) -> bool:
        return self._completed

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> Step | None:
        if self._finished or not self._steps:
            return None
        return self._steps[self._index]

    @property
    def paused_total(self) -> float:
        """Seconds spent paused so far (a pause still running not included)."""
        return self._paused_total

    @property
    def total_s(self) -> int:
        return self._total

    def end_of(self, k: int) -> float:
        """When step k ends on the monotonic clock, as the schedule stands now."""
        if self._origin is None:
            raise RuntimeError("the player has not started")
        return self._origin + self._ends[k]

    def elapsed(self, now: float) -> float:
        """Session time: seconds into the script (frozen while paused)."""
        if self._origin is None:
            return 0.0
        if self._finished:
            return self._final_t
        at = self._paused_at if self._paused_at is not None else now
        return min(max(0.0, at - self._origin), float(self._total))

    def snapshot(self, now: float) -> Snapshot:
        t = self.elapsed(now)
        if self._finished or not self._steps:
            return Snapshot(self._index, None, 0.0, 0.0, 0.0, t, self._total, False, True)
        k = self._index
        item_start = self._starts[self._first[k]]
        item_end = self._ends[self._last[k]]
        return Snapshot(
            index=k,
            step=self._steps[k],
            seconds_left=max(0.0, self._ends[k] - t),
            item_done_s=min(max(0.0, t - item_start), item_end - item_start),
            item_total_s=item_end - item_start,
            session_done_s=t,
            session_total_s=self._total,
            paused=self.paused,
            finished=False,
        )

    def next_deadline(self, now: float) -> float | None:
        """The next instant the display changes (a whole second ticks or the step ends)."""
        if self._origin is None or self._finished or self._paused_at is not None:
            return None
        end = self._origin + self._ends[self._index]
        left = end - now
        if left <= 0:
            return now
        return end - (math.ceil(left) - 1)

    # -- driving ------------------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        if self._origin is not None:
            return []
        self._origin = now
        events: list[Event] = []
        if not self._steps:
            self._finish(now, True, events)
            return events
        self._enter(0, now, events)
        events.extend(self._catch_up(now))
        return events

    def advance(self, now: float) -> list[Event]:
        """Everything that happened up to now: passed steps, in order, then the countdown."""
        if self._origin is None:
            return self.start(now)
        if self._finished or self._paused_at is not None:
            return []
        return self._catch_up(now)

    def pause(self, now: float) -> list[Event]:
        if self._origin is None or self._finished or self._paused_at is not None:
            return []
        events = self._catch_up(now)
        if self._finished:
            return events
        self._paused_at = now
        events.append(Speak(now, "Paused."))
        return events

    def resume(self, now: float) -> list[Event]:
        if self._origin is None or self._paused_at is None or self._finished:
            return []
        paused_for = max(0.0, now - self._paused_at)
        self._origin += paused_for
        self._paused_total += paused_for
        self._paused_at = None
        events: list[Event] = [Speak(now, "Go on.")]
        events.extend(self._catch_up(now))
        return events

    def skip_item(self, now: float) -> list[Event]:
        """Record what was done of the current item, marked skipped, and go to the next one."""
        if self._origin is None or self._finished:
            return []
        events = self._catch_up(now) if self._paused_at is None else []
        if self._finished:
            return events
        k = self._index
        self._add_partial(k, now)
        events.append(ItemFinished(now, self._summary(k, skipped=True)))
        self._reset_item()
        nxt = self._last[k] + 1
        if nxt >= len(self._steps):
            self._finish(now, True, events)
            return events
        at = self._paused_at if self._paused_at is not None else now
        self._origin = at - self._starts[nxt]
        self._enter(nxt, now, events)
        if self._paused_at is None:
            events.extend(self._catch_up(now))
        return events

    def quit(self, now: float) -> list[Event]:
        """Stop: the current item is recorded (skipped) when any of it was begun."""
        if self._finished:
            return []
        events: list[Event] = []
        if self._origin is None:
            self._origin = now
        elif self._paused_at is None:
            events = self._catch_up(now)
            if self._finished:
                return events
        if self._steps:
            k = self._index
            if k > self._first[k]:
                self._add_partial(k, now)
                events.append(ItemFinished(now, self._summary(k, skipped=True)))
        self._finish(now, False, events)
        self._paused_at = None
        return events

    # -- inside -------------------------------------------------------------------------------

    def _reset_item(self) -> None:
        self._reps = 0
        self._sets = 0
        self._work_s = 0.0

    def _summary(self, k: int, skipped: bool) -> ItemSummary:
        s = self._steps[k]
        return ItemSummary(
            position=s.item,
            exercise=s.exercise,
            sets_done=self._sets,
            reps_done=self._reps,
            seconds_done=math.floor(self._work_s + 1e-6),
            skipped=skipped,
        )

    def _add_partial(self, k: int, now: float) -> None:
        step = self._steps[k]
        if step.is_work:
            done = self.elapsed(now) - self._starts[k]
            self._work_s += min(max(0.0, done), float(step.duration_s))

    def _enter(self, k: int, at: float, events: list[Event]) -> None:
        self._index = k
        self._last_tick = None
        step = self._steps[k]
        events.append(StepStarted(at, k, step))
        if step.bell:
            events.append(Bell(at))
        if step.say:
            events.append(Speak(at, step.say))

    def _finish(self, at: float, completed: bool, events: list[Event]) -> None:
        self._final_t = float(self._total) if completed else self.elapsed(at)
        self._finished = True
        self._completed = completed
        if completed:
            events.append(Bell(at))
            events.append(Speak(at, SESSION_DONE))
        events.append(SessionFinished(at, completed))

    def _catch_up(self, now: float) -> list[Event]:
        assert self._origin is not None
        events: list[Event] = []
        t = now - self._origin
        while not self._finished and self._ends[self._index] <= t:
            k = self._index
            at = self._origin + self._ends[k]
            step = self._steps[k]
            if step.is_work:
                self._work_s += step.duration_s
            if step.completes_rep:
                self._reps += 1
            if step.completes_set:
                self._sets += 1
            if self._last[k] == k:
                events.append(ItemFinished(at, self._summary(k, skipped=False)))
                self._reset_item()
            if k + 1 >= len(self._steps):
                self._finish(at, True, events)
            else:
                self._enter(k + 1, at, events)
        if not self._finished:
            left = math.ceil(max(0.0, self._ends[self._index] - t))
            if left != self._last_tick:
                self._last_tick = left
                events.append(CountdownTick(now, self._index, left))
        return events
