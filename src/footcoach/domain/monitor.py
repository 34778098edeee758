"""The pain monitor (R3, after Silbernagel 2007) and the non-response prompts (R2).

Every rule reads the morning first-step pain against the person's own recent usual, not against
the number they gave at the start: a foot that was at 6, settled to 2 and is back at 5 has got
worse, whatever the intake said. The intake's pain counts as one more morning, the day before
the program starts, so a new person's mornings are never empty.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from footcoach.domain.intake import History, Intake
from footcoach.domain.program import Action, Adjustment
from footcoach.domain.safety import (
    CALM_PAIN,
    EARLY_WORSENING_RISE,
    FLARE_DAYS,
    FLARE_RISE,
    LOADING_GATE_MORNINGS,
    LONG_STANDING_WEEKS,
    MEANINGFUL_PAIN_CHANGE,
    NON_RESPONSE_WEEKS,
    SESSION_PAIN_LIMIT,
    SESSION_PAIN_OK,
    SEVERE_DAYS,
    SEVERE_PAIN,
    USUAL_READINGS,
    USUAL_WINDOW_DAYS,
)
from footcoach.domain.wording import day_text

RECENT_MORNINGS = 3
"""Phases change on the mean of this many recent mornings, never on a single one."""

ADHERENT_SHARE = 0.7
"""A week counts as adherent when sessions were done on at least this share of its days."""


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def points(value: float) -> str:
    """A pain level as people write it: 3, 3.5 or 4.3, out of 10 left to the caller."""
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


class Mornings:
    """First-step pain by day, the intake's pain first (the day before the first reading)."""

    def __init__(self, intake: Intake, history: History, start: date) -> None:
        by_day: dict[date, int] = {}
        for c in history.checkins:
            # two check-ins on one day count as the worse one
            by_day[c.day] = max(c.first_step_pain, by_day.get(c.day, 0))
        real = sorted(by_day.items())
        first = min(start, real[0][0]) if real else start
        self.intake_day = first - timedelta(days=1)
        readings = [(self.intake_day, intake.first_step_pain), *real]
        self.days = [d for d, _ in readings]
        self.pains = [p for _, p in readings]
        self.real = dict(real)

    @property
    def last_real(self) -> date | None:
        return self.days[-1] if len(self.days) > 1 else None

    def real_up_to(self, day: date) -> list[int]:
        """The person's own check-ins on or before a day, oldest first."""
        return self.pains[1 : bisect.bisect_right(self.days, day)]

    def usual_before(self, day: date) -> float:
        """The median of the person's latest mornings in the USUAL_WINDOW_DAYS before a day;
        with none that recent, the latest reading before it (at worst the intake's pain)."""
        end = bisect.bisect_left(self.days, day)
        begin = bisect.bisect_left(self.days, day - timedelta(days=USUAL_WINDOW_DAYS))
        window = self.pains[max(begin, end - USUAL_READINGS, 1) : end]
        if window:
            return float(median(window))
        return float(self.pains[max(0, end - 1)])

    def recent_mean(self, day: date, inclusive: bool = True) -> float | None:
        """The mean of the latest LOADING_GATE_MORNINGS readings up to a day (the intake's
        pain standing in for mornings not yet logged)."""
        cut = (bisect.bisect_right if inclusive else bisect.bisect_left)(self.days, day)
        return _mean(self.pains[max(0, cut - LOADING_GATE_MORNINGS) : cut])

    def loading_waits(self, day: date) -> bool:
        """True when the mornings before or on a day average CALM_PAIN or more, read every way:
        with or without that day's own morning, with or without the intake's pain in the mean.
        Loading work (heavy heel raises, standing balance) is never planned on such a day."""
        for cut in (
            bisect.bisect_left(self.days, day),
            bisect.bisect_right(self.days, day),
        ):
            with_intake = self.pains[max(0, cut - LOADING_GATE_MORNINGS) : cut]
            own = self.pains[max(1, cut - LOADING_GATE_MORNINGS) : cut]
            for values in (with_intake, own):
                mean = _mean(values)
                if mean is not None and mean >= CALM_PAIN:
                    return True
        return False

    def run_at_or_above(self, days: int, level: float | None = None) -> list[tuple[date, int]]:
        """The latest `days` mornings if they fall on consecutive days, else an empty list."""
        if len(self.days) - 1 < days:
            return []
        run = list(zip(self.days[-days:], self.pains[-days:], strict=True))
        if (run[-1][0] - run[0][0]).days != days - 1:
            return []
        if level is not None and any(p < level for _, p in run):
            return []
        return run

    def start_level(self, start: date) -> float:
        """Where the person started: the mean of week one's mornings when there are at least
        three, else the intake's pain."""
        week_one = [p for d, p in self.real.items() if (d - start).days < 7]
        if len(week_one) >= 3:
            return sum(week_one) / len(week_one)
        return float(self.pains[0])

    def weekly_means(self, weeks: int = 3) -> list[float | None]:
        """Mean morning pain of the last `weeks` 7-day windows of check-ins, oldest first."""
        last = self.days[-1]
        means: list[float | None] = []
        for w in range(weeks - 1, -1, -1):
            end = last - timedelta(days=7 * w)
            window = [v for d, v in self.real.items() if end - timedelta(days=6) <= d <= end]
            means.append(_mean(window))
        return means


@dataclass(frozen=True, slots=True)
class Assessment:
    adjustment: Adjustment | None
    effective_from: date | None
    """The first day the adjustment applies to (the day after the last history entry)."""
    recent_pain: float | None
    """The mean of the last three morning check-ins; None with fewer than three."""
    clinician_reasons: tuple[str, ...]
    mornings: Mornings | None = None
    """The readings behind it, for the planner's day-by-day loading gate."""


def _flare(mornings: Mornings) -> tuple[float, list[tuple[date, int]]] | None:
    """The usual and the run, when the last FLARE_DAYS mornings (consecutive days) are each
    FLARE_RISE or more above the usual before them."""
    run = mornings.run_at_or_above(FLARE_DAYS)
    if not run:
        return None
    usual = mornings.usual_before(run[0][0])
    if all(p >= usual + FLARE_RISE for _, p in run):
        return usual, run
    return None


def _severe(mornings: Mornings) -> bool:
    return bool(mornings.run_at_or_above(SEVERE_DAYS, SEVERE_PAIN))


def _rising_two_weeks(mornings: Mornings) -> bool:
    if mornings.last_real is None:
        return False
    a, b, c = mornings.weekly_means()
    return a is not None and b is not None and c is not None and a < b < c


_PAUSE_TAIL = (
    "Loading exercises are paused; keep the gentle stretches and in-bed work, and see a clinician "
    "if it does not settle."
)


def _r3(history: History, mornings: Mornings) -> Adjustment:
    flare = _flare(mornings)
    if flare is not None:
        usual, _ = flare
        return Adjustment(
            Action.PAUSE,
            f"Your first-step pain has been {FLARE_RISE} or more points above your usual "
            f"({points(usual)} out of 10) for {FLARE_DAYS} mornings running. {_PAUSE_TAIL}",
        )
    if _severe(mornings):
        return Adjustment(
            Action.PAUSE,
            f"Your first-step pain has been {SEVERE_PAIN} out of 10 or more for {SEVERE_DAYS} "
            f"mornings running. {_PAUSE_TAIL}",
        )
    last = history.last_day
    recent = mornings.recent_mean(last) if last is not None else None
    if last is not None and mornings.loading_waits(last + timedelta(days=1)):
        wait = (
            f"Heel raises and standing balance wait until your last {RECENT_MORNINGS} mornings "
            f"average under {CALM_PAIN} out of 10; the stretches and in-bed work carry on."
        )
        if mornings.last_real is None:
            return Adjustment(
                Action.PAUSE,
                f"Your first-step pain was {mornings.pains[0]} out of 10 when you started. {wait} "
                "Log your first-step pain each morning so footcoach can tell.",
            )
        counting = (
            ", counting the pain you gave when you started"
            if len(mornings.real) < RECENT_MORNINGS
            else ""
        )
        level = (
            f"Your first-step pain is still {points(round(recent, 1))} out of 10 on average"
            f"{counting}."
            if recent is not None and recent >= CALM_PAIN
            else "Your mornings are still sore."
        )
        return Adjustment(Action.PAUSE, f"{level} {wait}")
    if _rising_two_weeks(mornings):
        return Adjustment(
            Action.REGRESS,
            "Your average morning pain has risen two weeks running, so the load steps back.",
        )
    logged = [s for s in history.sessions if s.pain_during is not None]
    if not logged:
        if mornings.last_real is None:
            return Adjustment(
                Action.REPEAT,
                "Log your first-step pain each morning so the pain monitor can adjust the load; "
                "until then it stays as planned.",
            )
        latest = mornings.days[-RECENT_MORNINGS:]
        recent_real = [mornings.real[d] for d in latest if d in mornings.real]
        usual = mornings.usual_before(latest[0])
        if max(recent_real) <= usual:
            return Adjustment(
                Action.PROGRESS,
                "Your morning pain is at or below your usual, so the program goes on as planned.",
            )
        return Adjustment(
            Action.REPEAT,
            f"Your morning pain is above your usual ({points(usual)} out of 10); the load stays "
            "where it is until it settles.",
        )
    last_day = max(s.day for s in logged)
    pain = max(s.pain_during for s in logged if s.day == last_day and s.pain_during is not None)
    before = mornings.real_up_to(last_day)
    usual = mornings.usual_before(last_day)
    reference = before[-1] if before else mornings.pains[0]
    after = mornings.real.get(last_day + timedelta(days=1))
    when = day_text(last_day)
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
    if after > usual:
        return Adjustment(
            Action.REGRESS,
            f"The morning after the session on {when}, first-step pain was {after}/10, above "
            f"your usual of {points(usual)}/10: the load steps back until mornings settle.",
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


def _r2(intake: Intake, history: History, start: date, mornings: Mornings) -> list[str]:
    reasons: list[str] = []
    if intake.weeks_of_symptoms > LONG_STANDING_WEEKS:
        reasons.append(
            f"You have had symptoms for {intake.weeks_of_symptoms} weeks, more than six "
            "months: a clinician can check the diagnosis and offer treatments footcoach cannot "
            "(taping, night splints, manual therapy)."
        )
    if _flare(mornings) is not None:
        reasons.append("Your pain has flared for several mornings in a row despite the program.")
    elif _severe(mornings):
        reasons.append(
            f"Your first-step pain has been {SEVERE_PAIN} out of 10 or more for {SEVERE_DAYS} "
            "mornings in a row."
        )
    start_level = mornings.start_level(start)
    early = [v for d, v in mornings.real.items() if 7 <= (d - start).days < 28]
    early_mean = _mean(early)
    if (
        len(early) >= 3
        and early_mean is not None
        and early_mean >= start_level + EARLY_WORSENING_RISE
    ):
        reasons.append(
            f"Your first-step pain in weeks 2 to 4 (average {points(round(early_mean, 1))} out "
            f"of 10) is worse than when you started ({points(round(start_level, 1))} out of 10)."
        )
    last = history.last_day
    if last is not None and (last - start).days >= 7 * NON_RESPONSE_WEEKS:
        window_days = 7 * NON_RESPONSE_WEEKS
        done_days = {
            s.day
            for s in history.sessions
            if s.completed and 0 <= (s.day - start).days < window_days
        }
        recent = [v for d, v in mornings.real.items() if (last - d).days < 7]
        recent_mean = _mean(recent)
        adherent = len(done_days) >= ADHERENT_SHARE * window_days
        if (
            adherent
            and recent_mean is not None
            and intake.first_step_pain - recent_mean < MEANINGFUL_PAIN_CHANGE
        ):
            reasons.append(
                f"After {NON_RESPONSE_WEEKS} weeks of regular exercise, first-step pain has "
                f"fallen by less than {MEANINGFUL_PAIN_CHANGE} points (from "
                f"{intake.first_step_pain} to {points(round(recent_mean, 1))})."
            )
    return reasons


def assess(intake: Intake, history: History | None, start: date) -> Assessment:
    """What the pain history says about the coming days, and whether to see a clinician."""
    history = history or History()
    mornings = Mornings(intake, history, start)
    real = list(mornings.real.values())[-RECENT_MORNINGS:]
    reasons = tuple(_r2(intake, history, start, mornings))
    last = history.last_day
    if last is None:
        return Assessment(None, None, None, reasons, mornings)
    return Assessment(
        adjustment=_r3(history, mornings),
        effective_from=last + timedelta(days=1),
        recent_pain=_mean(real) if len(real) == RECENT_MORNINGS else None,
        clinician_reasons=reasons,
        mornings=mornings,
    )
