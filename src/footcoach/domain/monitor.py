"""The pain monitor (R3, after Silbernagel 2007) and the non-response prompts (R2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from footcoach.domain.intake import History, Intake
from footcoach.domain.program import Action, Adjustment
from footcoach.domain.safety import (
    FLARE_DAYS,
    FLARE_RISE,
    LONG_STANDING_WEEKS,
    MEANINGFUL_PAIN_CHANGE,
    NON_RESPONSE_WEEKS,
    SESSION_PAIN_LIMIT,
    SESSION_PAIN_OK,
)

RECENT_MORNINGS = 3
"""Phases change on the mean of this many recent mornings, never on a single one."""

ADHERENT_SHARE = 0.7
"""A week counts as adherent when sessions were done on at least this share of its days."""


@dataclass(frozen=True, slots=True)
class Assessment:
    adjustment: Adjustment | None
    effective_from: date | None
    """The first day the adjustment applies to (the day after the last history entry)."""
    recent_pain: float | None
    """The mean of the last three morning check-ins; None with fewer than three."""
    clinician_reasons: tuple[str, ...]


def _mornings(history: History) -> dict[date, int]:
    """First-step pain by day; two check-ins on one day count as the worse one."""
    out: dict[date, int] = {}
    for c in sorted(history.checkins, key=lambda c: c.day):
        out[c.day] = max(c.first_step_pain, out.get(c.day, 0))
    return out


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _flare(mornings: dict[date, int], baseline: int) -> bool:
    """Morning pain FLARE_RISE or more above baseline on FLARE_DAYS consecutive days, lately."""
    if len(mornings) < FLARE_DAYS:
        return False
    last = max(mornings)
    days = [last - timedelta(days=i) for i in range(FLARE_DAYS)]
    return all(d in mornings and mornings[d] >= baseline + FLARE_RISE for d in days)


def _weekly_means(mornings: dict[date, int], weeks: int = 3) -> list[float | None]:
    """Mean morning pain in the last `weeks` 7-day windows, oldest first."""
    last = max(mornings)
    means: list[float | None] = []
    for w in range(weeks - 1, -1, -1):
        end = last - timedelta(days=7 * w)
        window = [v for d, v in mornings.items() if end - timedelta(days=6) <= d <= end]
        means.append(_mean(window))
    return means


def _rising_two_weeks(mornings: dict[date, int]) -> bool:
    if not mornings:
        return False
    a, b, c = _weekly_means(mornings)
    return a is not None and b is not None and c is not None and a < b < c


def _r3(intake: Intake, history: History, mornings: dict[date, int]) -> Adjustment:
    baseline = intake.first_step_pain
    if _flare(mornings, baseline):
        return Adjustment(
            Action.PAUSE,
            f"Your first-step pain has been {FLARE_RISE} or more points above your starting "
            f"level ({baseline}/10) for {FLARE_DAYS} mornings running. Loading exercises are "
            "paused; keep the gentle stretches and in-bed work, and see a clinician if it does "
            "not settle.",
        )
    if _rising_two_weeks(mornings):
        return Adjustment(
            Action.REGRESS,
            "Your average morning pain has risen two weeks running, so the load steps back.",
        )
    logged = [s for s in history.sessions if s.pain_during is not None]
    if not logged:
        recent = list(mornings.values())[-3:]
        if recent and max(recent) <= baseline:
            return Adjustment(
                Action.PROGRESS,
                "Your morning pain is at or below where you started, so the program goes on "
                "as planned.",
            )
        return Adjustment(
            Action.REPEAT,
            "Your morning pain is above where you started; the load stays where it is until "
            "it settles.",
        )
    last_day = max(s.day for s in logged)
    pain = max(s.pain_during for s in logged if s.day == last_day and s.pain_during is not None)
    before = [v for d, v in mornings.items() if d <= last_day]
    reference = before[-1] if before else baseline
    after = mornings.get(last_day + timedelta(days=1))
    when = last_day.isoformat()
    if pain > SESSION_PAIN_LIMIT:
        return Adjustment(
            Action.REGRESS,
            f"Pain during the session on {when} was {pain}/10, above the limit of "
            f"{SESSION_PAIN_LIMIT}: the load steps back.",
        )
    if after is None:
        return Adjustment(
            Action.REPEAT,
            f"Pain during the session on {when} was {pain}/10; the load stays the same until "
            "the next morning's check-in shows how the foot responded.",
        )
    if after > reference:
        return Adjustment(
            Action.REGRESS,
            f"The morning after the session on {when}, first-step pain was {after}/10, above "
            f"the {reference}/10 before it: the load steps back.",
        )
    if pain <= SESSION_PAIN_OK:
        return Adjustment(
            Action.PROGRESS,
            f"Pain during the session on {when} was {pain}/10 and it had settled by the next "
            f"morning ({after}/10): the program moves on a step.",
        )
    return Adjustment(
        Action.REPEAT,
        f"Pain during the session on {when} was {pain}/10, acceptable, and settled by the next "
        "morning: repeat the same load.",
    )


def _r2(intake: Intake, history: History, start: date, mornings: dict[date, int]) -> list[str]:
    reasons: list[str] = []
    baseline = intake.first_step_pain
    if intake.weeks_of_symptoms > LONG_STANDING_WEEKS:
        reasons.append(
            f"You have had symptoms for {intake.weeks_of_symptoms} weeks, more than six "
            "months: a clinician can check the diagnosis and offer treatments footcoach cannot "
            "(taping, night splints, manual therapy)."
        )
    if _flare(mornings, baseline):
        reasons.append("Your pain has flared for several mornings in a row despite the program.")
    early = [v for d, v in mornings.items() if 7 <= (d - start).days < 28]
    early_mean = _mean(early)
    if len(early) >= 3 and early_mean is not None and early_mean > baseline:
        reasons.append(
            f"Your first-step pain in weeks 2-4 (average {early_mean:.1f}/10) is worse than when "
            f"you started ({baseline}/10)."
        )
    last = history.last_day
    if last is not None and (last - start).days >= 7 * NON_RESPONSE_WEEKS:
        window_days = 7 * NON_RESPONSE_WEEKS
        done_days = {
            s.day
            for s in history.sessions
            if s.completed and 0 <= (s.day - start).days < window_days
        }
        recent = [v for d, v in mornings.items() if (last - d).days < 7]
        recent_mean = _mean(recent)
        adherent = len(done_days) >= ADHERENT_SHARE * window_days
        if adherent and recent_mean is not None and baseline - recent_mean < MEANINGFUL_PAIN_CHANGE:
            reasons.append(
                f"After {NON_RESPONSE_WEEKS} weeks of regular exercise, first-step pain has "
                f"fallen by less than {MEANINGFUL_PAIN_CHANGE} points (from {baseline} to "
                f"{recent_mean:.1f})."
            )
    return reasons


def assess(intake: Intake, history: History | None, start: date) -> Assessment:
    """What the pain history says about the coming days, and whether to see a clinician."""
    history = history or History()
    mornings = _mornings(history)
    recent = list(mornings.values())[-RECENT_MORNINGS:]
    reasons = tuple(_r2(intake, history, start, mornings))
    last = history.last_day
    if last is None:
        return Assessment(None, None, None, reasons)
    return Assessment(
        adjustment=_r3(intake, history, mornings),
        effective_from=last + timedelta(days=1),
        recent_pain=_mean(recent) if len(recent) == RECENT_MORNINGS else None,
        clinician_reasons=reasons,
    )
