"""The progress page: progress as of a day, the program's days as a calendar, and plain summaries.

Built from one snapshot of the profile (as services.progress.progress_for does), so the page
plans the program once. The figures are those of footcoach.domain.progress; this module adds the
day-by-day calendar and one sentence per figure saying what it amounts to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from footcoach.domain.diary import Instrument
from footcoach.domain.progress import FirstStepPain, Outcome, Progress, Verdict, progress
from footcoach.domain.questionnaires import QUESTIONNAIRES, Subscale
from footcoach.domain.scoring import FIRST_STEP_PAIN_MID, Direction, mid_for
from footcoach.services.diary_view import QuestionnaireStatus, questionnaire_status
from footcoach.services.tracking import TrackingService


class DayState(StrEnum):
    """What became of one day of the program."""

    DONE = "done"
    """Every planned session was done."""
    PARTLY = "partly"
    """Some of the planned sessions were done (a past day)."""
    MISSED = "missed"
    """None of the planned sessions was done (a past day)."""
    REST = "rest"
    """No session was planned."""
    OPEN = "open"
    """Today, with sessions still to do."""
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    state: DayState
    planned: int
    done: int


@dataclass(frozen=True, slots=True)
class CalendarWeek:
    number: int
    phase: str
    phase_name: str
    days: tuple[CalendarDay, ...]


@dataclass(frozen=True, slots=True)
class ProgressView:
    progress: Progress
    calendar: tuple[CalendarWeek, ...]
    phase_name: str | None
    """The name of the current phase, as its protocol calls it."""
    pain_summary: str
    adherence_summary: str
    ffi_summary: str
    faam_summary: str
    status: tuple[QuestionnaireStatus, ...]
    """Whether each questionnaire is due, FFI first."""

    @property
    def day(self) -> date:
        return self.progress.day


HEADLINE: dict[Instrument, Subscale] = {
    Instrument.FFI: Subscale.TOTAL,
    Instrument.FAAM: Subscale.ADL,
}
"""The score each questionnaire's summary sentence is about."""

_HEADLINE_WORDS = {Subscale.TOTAL: "total score", Subscale.ADL: "everyday activities score"}
_SHORT = {Instrument.FFI: "FFI", Instrument.FAAM: "FAAM"}


def points(value: float) -> str:
    """A score for reading: one decimal at most, none when it is whole (6, 3.4, -1.3)."""
    text = f"{round(value, 1):.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def day_state(day: date, today: date, planned: int, done: int) -> DayState:
    if day > today:
        return DayState.FUTURE
    if planned == 0:
        return DayState.REST
    if done >= planned:
        return DayState.DONE
    if day == today:
        return DayState.OPEN
    return DayState.PARTLY if done else DayState.MISSED


def pain_summary(pain: FirstStepPain) -> str:
    base = pain.baseline
    latest = pain.latest_mean_7d
    if latest is None:
        return (
            f"No morning check-ins yet. When you started, your first steps hurt {base} out of 10."
        )
    start, now = points(base), points(latest)
    mid = points(FIRST_STEP_PAIN_MID)
    if pain.verdict is Verdict.IMPROVED:
        return (
            f"Your first-step pain fell from {start} to {now} (7-day mean): "
            "a meaningful improvement."
        )
    if pain.verdict is Verdict.WORSE:
        return f"Your first-step pain rose from {start} to {now} (7-day mean): meaningfully worse."
    if start == now:
        return f"Your first-step pain is {now} (7-day mean), where it started."
    verb = "fell" if latest < base else "rose"
    return (
        f"Your first-step pain {verb} from {start} to {now} (7-day mean): less than the {mid} "
        "points that make a change that matters."
    )


def adherence_summary(result: Progress) -> str:
    done, planned = result.adherence.done, result.adherence.planned
    if not planned:
        return "Nothing has been planned yet, so there is nothing to count."
    share = done * 100 // planned  # rounded down: 100% only when every session was done
    days = result.streak_days
    streak = (
        "No streak running at the moment."
        if days == 0
        else f"Streak: {days} day{'' if days == 1 else 's'} in a row with every session done."
    )
    return f"You did {done} of {planned} planned sessions ({share}%). {streak}"


def outcome_summary(instrument: Instrument, entries: Sequence[Outcome]) -> str:
    short = _SHORT[instrument]
    if not entries:
        return f"You have not answered the {short} yet."
    headline = HEADLINE[instrument]
    words = _HEADLINE_WORDS[headline]
    better = "higher is better" if instrument is Instrument.FAAM else "lower is better"
    latest = entries[-1]
    moved = latest.change_from_first.get(headline)
    if moved is None:
        scored = [e for e in entries if e.scores.value(headline) is not None]
        if not scored:
            return f"Your {short} {words} could not be worked out yet: too few items answered."
        last = scored[-1]
        value = last.scores.value(headline) or 0.0
        return (
            f"Your {short} {words} was {points(value)} out of 100 on {long_date(last.taken_on)} "
            f"({better}). Answer it again in a few weeks to see how it changes."
        )
    first = next(e for e in entries if e.scores.value(headline) is not None)
    mid = mid_for(instrument, headline) or 0.0
    if moved.direction is Direction.SAME:
        return (
            f"Your {short} {words} is {points(moved.after)}, the same as on "
            f"{long_date(first.taken_on)} ({better})."
        )
    verb = "fell" if moved.after < moved.before else "rose"
    if moved.important_improvement:
        judgement = "a meaningful improvement"
    elif moved.important_worsening:
        judgement = "meaningfully worse"
    else:
        judgement = f"less than the {points(mid)} points that make a change that matters"
    return (
        f"Your {short} {words} {verb} from {points(moved.before)} to {points(moved.after)} since "
        f"{long_date(first.taken_on)} ({better}): {judgement}."
    )


def progress_view(tracking: TrackingService, name: str, day: date | None = None) -> ProgressView:
    """Everything the progress page shows, as of `day` (default today)."""
    today = day or tracking.clock.today()
    snap = tracking.snapshot(name)
    result = progress(
        snap.program,
        snap.diary,
        today,
        baseline=snap.profile.intake.first_step_pain,
        profile=name,
    )
    done_slots: dict[date, set[str]] = {}
    for record in snap.diary.sessions:
        if record.done and record.day <= today:
            done_slots.setdefault(record.day, set()).add(record.slot)
    protocol = tracking.planning.protocol(snap.profile.protocol)
    names = {p.id: p.name for p in protocol.phases}
    weeks: list[CalendarWeek] = []
    for week in snap.program.weeks:
        days = []
        for planned_day in week.days:
            slots = done_slots.get(planned_day.day, set())
            planned = len(planned_day.sessions)
            done = sum(1 for s in planned_day.sessions if s.slot.value in slots)
            state = day_state(planned_day.day, today, planned, done)
            days.append(CalendarDay(planned_day.day, state, planned, done))
        weeks.append(
            CalendarWeek(week.number, week.phase, names.get(week.phase, week.phase), tuple(days))
        )
    phase_name = None if result.phase is None else names.get(result.phase, result.phase)
    taken = [q for q in snap.diary.questionnaires if q.taken_on <= today]
    return ProgressView(
        progress=result,
        calendar=tuple(weeks),
        phase_name=phase_name,
        pain_summary=pain_summary(result.first_step_pain),
        adherence_summary=adherence_summary(result),
        ffi_summary=outcome_summary(Instrument.FFI, result.ffi),
        faam_summary=outcome_summary(Instrument.FAAM, result.faam),
        status=tuple(
            questionnaire_status(
                q, [r.taken_on for r in taken if r.instrument is q.instrument], today
            )
            for q in QUESTIONNAIRES.values()
        ),
    )
