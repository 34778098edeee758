"""A person's intake answers and pain history: the inputs of screening and planning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from footcoach.domain.catalog import Equipment
from footcoach.domain.errors import InvalidInputError, Problem


class Feet(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Goal(StrEnum):
    HEEL_PAIN = "heel_pain"
    FOOT_STRENGTH = "foot_strength"


class PainSite(StrEnum):
    PLANTAR_HEEL = "plantar_heel"
    ARCH = "arch"
    BACK_OF_HEEL = "back_of_heel"
    TOES = "toes"
    ANKLE = "ankle"
    CALF = "calf"
    OTHER = "other"


class RedFlag(StrEnum):
    TRAUMA = "trauma"
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight"
    SUDDEN_POP = "sudden_pop"
    FEVER = "fever"
    RED_HOT_SWOLLEN = "red_hot_swollen"
    WOUND_OR_ULCER = "wound_or_ulcer"
    NUMBNESS_TINGLING = "numbness_tingling"
    NIGHT_OR_REST_PAIN = "night_or_rest_pain"
    WORSENING_AFTER_LOAD_INCREASE = "worsening_after_load_increase"
    DIABETES_NEUROPATHY = "diabetes_neuropathy"
    INFLAMMATORY_ARTHRITIS = "inflammatory_arthritis"
    CANCER_HISTORY = "cancer_history"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    BOTH_HEELS_WITH_BACK_STIFFNESS = "both_heels_with_back_stiffness"
    CALF_SWOLLEN_WARM_OR_TENDER = "calf_swollen_warm_or_tender"
    PSORIASIS_BOWEL_OR_EYE_INFLAMMATION = "psoriasis_bowel_or_eye_inflammation"
    CALF_PAIN_WALKING_EASES_AT_REST = "calf_pain_walking_eases_at_rest"


AGE_RANGE = (1, 120)
PAIN_RANGE = (0, 10)
WEEKS_RANGE = (0, 520)
MINUTES_RANGE = (5, 120)
INJECTION_WEEKS_RANGE = (0, 520)
DEFAULT_WAKE = time(7, 0)
DEFAULT_BED = time(22, 30)


@dataclass(frozen=True, slots=True)
class Intake:
    age: int
    feet: Feet
    goal: Goal
    pain_site: tuple[PainSite, ...]
    first_step_pain: int
    weeks_of_symptoms: int
    red_flags: tuple[RedFlag, ...]
    equipment: tuple[Equipment, ...]
    minutes_per_day: int
    wake_time: time = DEFAULT_WAKE
    bed_time: time = DEFAULT_BED
    pregnant: bool = False
    steroid_injection_weeks_ago: int | None = None
    """Whole weeks since a steroid injection into the heel, or None when there was none."""
    main_pain_site: PainSite | None = None
    """The site that hurts most, one of pain_site; None when only one site (or none) is given."""

    def __post_init__(self) -> None:
        problems = intake_problems(self)
        if problems:
            raise InvalidInputError(problems)


def _outside(field: str, value: int, bounds: tuple[int, int]) -> Problem | None:
    low, high = bounds
    if low <= value <= high:
        return None
    return Problem(field, value, f"a whole number from {low} to {high}")


def main_site_problem(main: object, sites: tuple[PainSite, ...] | list[PainSite]) -> Problem:
    """The main pain site must be one of the sites given."""
    if not sites:
        return Problem("main_pain_site", main, "null when no pain_site is given")
    names = ", ".join(site.value for site in sites)
    return Problem("main_pain_site", main, f"one of the sites given in pain_site ({names}) or null")


def intake_problems(intake: Intake) -> list[Problem]:
    """Ranges and the rules that tie fields together, each as one Problem."""
    checks = [
        _outside("age", intake.age, AGE_RANGE),
        _outside("first_step_pain", intake.first_step_pain, PAIN_RANGE),
        _outside("weeks_of_symptoms", intake.weeks_of_symptoms, WEEKS_RANGE),
        _outside("minutes_per_day", intake.minutes_per_day, MINUTES_RANGE),
    ]
    if intake.steroid_injection_weeks_ago is not None:
        checks.append(
            _outside(
                "steroid_injection_weeks_ago",
                intake.steroid_injection_weeks_ago,
                INJECTION_WEEKS_RANGE,
            )
        )
    problems = [p for p in checks if p is not None]
    if intake.goal is Goal.HEEL_PAIN and not intake.pain_site:
        problems.append(
            Problem(
                "pain_site",
                [],
                "at least one site when the goal is heel_pain (it may be empty only for "
                "foot_strength)",
            )
        )
    if intake.main_pain_site is not None and intake.main_pain_site not in intake.pain_site:
        problems.append(main_site_problem(intake.main_pain_site.value, intake.pain_site))
    if intake.wake_time == intake.bed_time:
        problems.append(
            Problem("bed_time", intake.bed_time.strftime("%H:%M"), "a time other than wake_time")
        )
    return problems


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The morning first-step pain, 0-10."""

    day: date
    first_step_pain: int


@dataclass(frozen=True, slots=True)
class SessionLog:
    """How one session went: done or not, and the pain during it (0-10), if given."""

    day: date
    slot: str
    completed: bool
    pain_during: int | None = None


@dataclass(frozen=True, slots=True)
class History:
    checkins: tuple[CheckIn, ...] = ()
    sessions: tuple[SessionLog, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.checkins and not self.sessions

    @property
    def last_day(self) -> date | None:
        days = [c.day for c in self.checkins] + [s.day for s in self.sessions]
        return max(days) if days else None
