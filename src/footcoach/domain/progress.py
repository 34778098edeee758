"""How the program is going, as of one day: adherence, streak, first-step pain, outcome scores.

Every figure looks only at what was recorded on or before that day (`today`); later records are
ignored, so a past date shows progress as it stood then. All of it is one pass over the program
and the diary (no loop inside a loop over them), so three years of daily data stay fast.

- **Adherence**: a planned session counts as done when the diary holds a completed session for
  the same day and slot. Planned sessions are those of the program's days from its first day up
  to yesterday, plus those of today that are already done (today's open sessions still have time,
  so they neither count for nor against). Days after the program's last day plan nothing.
- **Streak**: consecutive days on which every planned session was done. It ends today when all
  of today's sessions are done, else yesterday. A day of the program with no session planned
  (a rest day) is passed over: it neither adds to the streak nor breaks it. A day outside the
  program (before its start, after its end) ends it.
- **First-step pain**: each check-in on or before today (two on one day count as the worse, as
  the pain monitor reads them), and for each the mean of the check-ins in the 7 days ending that
  day (fewer than 7 when mornings were missed). The latest 7-day mean is the one of the last
  check-in; its change from the baseline (the intake's first-step pain) is judged against the
  minimal important difference of 2 points (`scoring.first_step_pain_change`).
- **FFI and FAAM**: each questionnaire scored with `scoring.score_response`; each score with a
  published MID is compared with the first questionnaire of that instrument that had it scored,
  and with the previous one that had it scored (`scoring.change`). The FFI improves downwards,
  the FAAM upwards; the FFI activity limitation subscale has no MID, so it is shown unjudged.
- **Phase**: the phase of the program week containing today; after the program's end, that of
  its last week; before its start, none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse
from footcoach.domain.program import Adjustment, ClinicianPrompt, Program
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import (
    MIDS,
    Change,
    Direction,
    Scores,
    change,
    first_step_pain_change,
    score_response,
)

MEAN_DAYS: Final = 7
"""The trailing window of the first-step pain mean, in days (the day itself included)."""

_ONE_DAY: Final = timedelta(days=1)


class Verdict(StrEnum):
    """What the change in first-step pain from the baseline amounts to, against its MID."""

    IMPROVED = "improved"
    WORSE = "worse"
    NO_MEANINGFUL_CHANGE = "no_meaningful_change"


@dataclass(frozen=True, slots=True)
class Adherence:
    done: int
    """Planned sessions done (a completed record for the day and slot)."""
    planned: int
    """Planned sessions from the first day to yesterday, plus today's done ones."""

    @property
    def share(self) -> float | None:
        """done / planned, from 0 to 1; None when nothing was planned yet."""
        return self.done / self.planned if self.planned else None


@dataclass(frozen=True, slots=True)
class PainDay:
    day: date
    value: int
    """That morning's first-step pain, 0-10."""
    mean_7d: float
    """The mean of the check-ins in the 7 days ending on this day."""


@dataclass(frozen=True, slots=True)
class FirstStepPain:
    baseline: int
    """The first-step pain given at intake, 0-10."""
    days: tuple[PainDay, ...]
    """Every check-in on or before the day, oldest first."""
    change: Change | None
    """The latest 7-day mean against the baseline; None without any check-in."""

    @property
    def latest_mean_7d(self) -> float | None:
        return self.days[-1].mean_7d if self.days else None

    @property
    def difference(self) -> float | None:
        """latest 7-day mean - baseline (negative = less pain)."""
        return None if self.change is None else self.change.difference

    @property
    def verdict(self) -> Verdict | None:
        if self.change is None:
            return None
        return verdict(self.change)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One questionnaire: its scores and how they changed."""

    instrument: Instrument
    taken_on: date
    scores: Scores
    change_from_first: Mapping[Subscale, Change] = field(default_factory=dict)
    """Per score with an MID: against the first questionnaire that had it scored."""
    change_from_previous: Mapping[Subscale, Change] = field(default_factory=dict)
    """Per score with an MID: against the previous questionnaire that had it scored."""

    @property
    def meaningful(self) -> bool:
        """Some score has changed from the first by at least its MID (either way)."""
        return any(c.meets_mid for c in self.change_from_first.values())


@dataclass(frozen=True, slots=True)
class Progress:
    profile: str
    day: date
    """Progress as it stood on this day."""
    start: date | None
    """The program's first day; None for a program without weeks (a referral)."""
    end: date | None
    """The program's last day."""
    adherence: Adherence
    streak_days: int
    first_step_pain: FirstStepPain
    ffi: tuple[Outcome, ...]
    faam: tuple[Outcome, ...]
    week: int | None
    """The number of the program week containing the day (the last week once it has ended)."""
    weeks: int
    """How many weeks the program has."""
    phase: str | None
    adjustment: Adjustment | None
    clinician_prompt: ClinicianPrompt | None


def verdict(pain_change: Change) -> Verdict:
    """Improved or worse when the change reaches the MID, else no meaningful change."""
    if pain_change.meets_mid and pain_change.direction is Direction.BETTER:
        return Verdict.IMPROVED
    if pain_change.meets_mid and pain_change.direction is Direction.WORSE:
        return Verdict.WORSE
    return Verdict.NO_MEANINGFUL_CHANGE


# Adherence and streak ---------------------------------------------------------------------


def _day_states(program: Program, diary: Diary, today: date) -> dict[date, tuple[int, int]]:
    """(planned, done) for every day of the program up to today."""
    done_slots: dict[date, set[str]] = {}
    for record in diary.sessions:
        if record.done and record.day <= today:
            done_slots.setdefault(record.day, set()).add(record.slot)
    nothing: set[str] = set()
    states: dict[date, tuple[int, int]] = {}
    for week in program.weeks:
        for day in week.days:
            if day.day > today:
                return states
            slots = done_slots.get(day.day, nothing)
            # Slot is a StrEnum: a member hashes and compares as its stored string
            done = sum(1 for s in day.sessions if s.slot in slots)
            states[day.day] = (len(day.sessions), done)
    return states


def adherence(states: Mapping[date, tuple[int, int]], today: date) -> Adherence:
    """Sessions done of those planned up to yesterday, plus today's done ones (on both sides)."""
    done = planned = 0
    for day, (day_planned, day_done) in states.items():
        done += day_done
        planned += day_done if day == today else day_planned
    return Adherence(done=done, planned=planned)


def streak(states: Mapping[date, tuple[int, int]], today: date) -> int:
    """Days running with every planned session done, ending today if today is complete."""
    planned, done = states.get(today, (0, 0))
    day = today if done == planned else today - _ONE_DAY
    count = 0
    while day in states:
        planned, done = states[day]
        if planned and done < planned:
            break
        count += 1 if planned else 0  # a rest day is passed over
        day -= _ONE_DAY
    return count


# First-step pain ---------------------------------------------------------------------------


def _mornings(diary: Diary, today: date) -> list[tuple[date, int]]:
    """First-step pain by day up to today, oldest first; two on one day count as the worse."""
    by_day: dict[date, int] = {}
    for c in diary.checkins:
        if c.day <= today:
            by_day[c.day] = max(c.first_step_pain, by_day.get(c.day, c.first_step_pain))
    return sorted(by_day.items())


def trailing_means(mornings: Iterable[tuple[date, int]]) -> tuple[PainDay, ...]:
    """Each morning with the mean of the mornings in the 7 days ending on it (a sliding window)."""
    window: deque[tuple[date, int]] = deque()
    total = 0
    out: list[PainDay] = []
    for day, value in mornings:
        window.append((day, value))
        total += value
        while (day - window[0][0]).days >= MEAN_DAYS:
            total -= window.popleft()[1]
        out.append(PainDay(day, value, total / len(window)))
    return tuple(out)


def first_step_pain(diary: Diary, today: date, baseline: int) -> FirstStepPain:
    days = trailing_means(_mornings(diary, today))
    pain_change = first_step_pain_change(baseline, days[-1].mean_7d) if days else None
    return FirstStepPain(baseline=baseline, days=days, change=pain_change)


# Outcome questionnaires ---------------------------------------------------------------------


def _judged(instrument: Instrument) -> tuple[Subscale, ...]:
    """The scores of an instrument that have a published MID, in MIDS order."""
    return tuple(s for (i, s) in MIDS if i is instrument)


def outcomes(
    responses: Iterable[QuestionnaireResponse], instrument: Instrument, today: date
) -> tuple[Outcome, ...]:
    """One instrument's questionnaires up to today, oldest first, each with its changes."""
    judged = _judged(instrument)
    mine = sorted(
        (r for r in responses if r.instrument is instrument and r.taken_on <= today),
        key=lambda r: r.taken_on,
    )
    first: dict[Subscale, float] = {}
    previous: dict[Subscale, float] = {}
    out: list[Outcome] = []
    for response in mine:
        scores = score_response(response)
        from_first: dict[Subscale, Change] = {}
        from_previous: dict[Subscale, Change] = {}
        for subscale in judged:
            value = scores.value(subscale)
            if value is None:
                continue
            if subscale in first:
                from_first[subscale] = change(instrument, subscale, first[subscale], value)
                from_previous[subscale] = change(instrument, subscale, previous[subscale], value)
            else:
                first[subscale] = value
            previous[subscale] = value
        out.append(Outcome(instrument, response.taken_on, scores, from_first, from_previous))
    return tuple(out)


# The whole --------------------------------------------------------------------------------


def _first_day(program: Program) -> date | None:
    return program.weeks[0].days[0].day if program.weeks and program.weeks[0].days else None


def _last_day(program: Program) -> date | None:
    return program.weeks[-1].days[-1].day if program.weeks and program.weeks[-1].days else None


def _week(program: Program, today: date) -> tuple[int | None, str | None]:
    """The number and phase of the week containing today (the last once over; none before)."""
    start = _first_day(program)
    if start is None or today < start:
        return None, None
    index = min((today - start).days // 7, len(program.weeks) - 1)
    week = program.weeks[index]
    return week.number, week.phase


def progress(
    program: Program, diary: Diary, today: date, *, baseline: int, profile: str = ""
) -> Progress:
    """Progress as of `today`; `baseline` is the first-step pain given at intake (0-10)."""
    states = _day_states(program, diary, today)
    week, phase = _week(program, today)
    return Progress(
        profile=profile,
        day=today,
        start=_first_day(program),
        end=_last_day(program),
        adherence=adherence(states, today),
        streak_days=streak(states, today),
        first_step_pain=first_step_pain(diary, today, baseline),
        ffi=outcomes(diary.questionnaires, Instrument.FFI, today),
        faam=outcomes(diary.questionnaires, Instrument.FAAM, today),
        week=week,
        weeks=len(program.weeks),
        phase=phase,
        adjustment=program.adjustment,
        clinician_prompt=program.clinician_prompt,
    )
