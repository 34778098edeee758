"""The clinician's side: each linked person's follow-up at a glance, who needs attention first,
and what the clinician may change in a person's program.

`person_row` works out one person's row from their snapshot (TrackingService.snapshot: what the
person's own pages read); the clinician's page about one person uses it. The dashboard of many
people reads stored summaries instead (services.clinic_summary), which give the same rows, and
its tests compare the two; `dashboard` here is the row-by-row reference.

Attention, highest first (see `attention`): a referral or a prompt to see a clinician (R2),
rising first-step pain, missed sessions, then no data. Each concern adds its weight to the
score; the weights are powers of two, so one concern outranks every combination of those below.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from typing import Final

from footcoach.domain.accounts import User
from footcoach.domain.catalog import Catalog
from footcoach.domain.changes import linked, suits_slot
from footcoach.domain.diary import Diary, Instrument
from footcoach.domain.program import Item, Program, Status
from footcoach.domain.progress import Adherence, PainDay, adherence, progress
from footcoach.domain.protocol import Slot
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.wording import count_text
from footcoach.services.progress_view import points
from footcoach.services.tracking import NoProfileError, TrackingService

WINDOW_DAYS: Final = 14
"""Adherence and 'nothing recorded' look at this many days, today included."""
TREND_DAYS: Final = 7
"""The first-step pain trend compares the mean of the last this-many days with the one before."""
PAIN_TREND_STEP: Final = 1.0
"""A change of the 7-day mean of at least this many points (0-10) counts as rising or falling.
Half the minimal important difference of 2 points: a clinician wants to look before a change
is certain, while one bad morning among seven moves the mean by less than this only if mild."""
MISSED_SHARE: Final = 0.5
"""Fewer than this share of the planned sessions done in the window counts as missed sessions."""

HEADLINE: Final = {Instrument.FFI: Subscale.TOTAL, Instrument.FAAM: Subscale.ADL}
"""The score shown for each questionnaire: the FFI total (lower is better), the FAAM everyday
activities score (higher is better)."""


class Trend(StrEnum):
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    UNKNOWN = "unknown"
    """Too few check-ins in one of the two weeks to compare."""


ARROWS: Final = {Trend.RISING: "↑", Trend.FALLING: "↓", Trend.STEADY: "→", Trend.UNKNOWN: ""}


@dataclass(frozen=True, slots=True)
class PainTrend:
    """The mean first-step pain of the last TREND_DAYS days against the TREND_DAYS before."""

    recent: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.recent is None or self.previous is None:
            return None
        return self.recent - self.previous

    @property
    def direction(self) -> Trend:
        change = self.change
        if change is None:
            return Trend.UNKNOWN
        if change >= PAIN_TREND_STEP:
            return Trend.RISING
        if change <= -PAIN_TREND_STEP:
            return Trend.FALLING
        return Trend.STEADY

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    def words(self) -> str:
        """E.g. 'rising, 3.1 to 4.6' or 'no check-ins in the last 7 days'."""
        if self.recent is None:
            return f"no check-ins in the last {TREND_DAYS} days"
        if self.previous is None:
            return f"{points(self.recent)} this week; none the week before"
        return f"{self.direction.value}, {points(self.previous)} to {points(self.recent)}"


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def pain_trend(days: Iterable[PainDay], today: date) -> PainTrend:
    """The trend from the check-ins by day (one value a day, as the progress figures read them)."""
    recent_from = today - timedelta(days=TREND_DAYS - 1)
    previous_from = recent_from - timedelta(days=TREND_DAYS)
    recent: list[int] = []
    previous: list[int] = []
    for d in days:
        if recent_from <= d.day <= today:
            recent.append(d.value)
        elif previous_from <= d.day < recent_from:
            previous.append(d.value)
    return PainTrend(_mean(recent), _mean(previous))


def recent_adherence(program: Program, diary: Diary, today: date) -> Adherence:
    """Sessions done of those planned in the last WINDOW_DAYS days, counted as the progress page
    counts them (today's open sessions neither for nor against)."""
    since = today - timedelta(days=WINDOW_DAYS - 1)
    done_slots: dict[date, set[str]] = {}
    for record in diary.sessions:
        if record.done and since <= record.day <= today:
            done_slots.setdefault(record.day, set()).add(record.slot)
    states: dict[date, tuple[int, int]] = {}
    for week in program.weeks:
        for day in week.days:
            if since <= day.day <= today:
                slots = done_slots.get(day.day, set())
                done = sum(1 for s in day.sessions if s.slot in slots)
                states[day.day] = (len(day.sessions), done)
    return adherence(states, today)


def last_activity(diary: Diary) -> date | None:
    """The latest day with a check-in, a session or a questionnaire."""
    days = [c.day for c in diary.checkins]
    days += [s.day for s in diary.sessions]
    days += [q.taken_on for q in diary.questionnaires]
    return max(days, default=None)


# attention ---------------------------------------------------------------------------------
class Concern(IntEnum):
    """Why a person may need the clinician's attention; the value is the weight in the score."""

    NONE = 0
    NO_DATA = 1
    MISSED_SESSIONS = 2
    RISING_PAIN = 4
    SEE_CLINICIAN = 8
    """The safety screen refers them, or the program prompts a clinician visit (R2)."""


@dataclass(frozen=True, slots=True)
class Signals:
    """What the attention rules read about one person: plain values, no I/O."""

    intake_done: bool = True
    referral: tuple[str, ...] = ()
    """The safety screen's reasons, when it refers the person to a clinician."""
    prompt: tuple[str, ...] = ()
    """The program's reasons to see a clinician (R2)."""
    pain: PainTrend = field(default_factory=lambda: PainTrend(None, None))
    adherence: Adherence = field(default_factory=lambda: Adherence(0, 0))
    last_activity: date | None = None


@dataclass(frozen=True, slots=True)
class Attention:
    score: int
    """The sum of the weights of the concerns found (0: on track)."""
    concerns: tuple[Concern, ...]
    """Highest first."""
    reasons: tuple[str, ...]
    """One sentence per concern, in the same order."""

    @property
    def concern(self) -> Concern:
        return self.concerns[0] if self.concerns else Concern.NONE

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "On track"


def attention(signals: Signals, today: date) -> Attention:
    """The concerns about one person, highest first, with a reason for each."""
    found: list[tuple[Concern, str]] = []
    if not signals.intake_done:
        found.append((Concern.NO_DATA, "No data: the intake questions are not answered yet"))
        return Attention(Concern.NO_DATA.value, (Concern.NO_DATA,), (found[0][1],))
    if signals.referral:
        found.append(
            (
                Concern.SEE_CLINICIAN,
                "Referral: the safety screen says to see a clinician before exercising "
                f"({count_text(len(signals.referral), 'reason')})",
            )
        )
    elif signals.prompt:
        found.append(
            (
                Concern.SEE_CLINICIAN,
                f"Prompted to see a clinician ({count_text(len(signals.prompt), 'reason')})",
            )
        )
    pain = signals.pain
    if pain.direction is Trend.RISING and pain.recent is not None and pain.previous is not None:
        found.append(
            (
                Concern.RISING_PAIN,
                f"First-step pain rising: {points(pain.previous)} to {points(pain.recent)} "
                f"(mean of {TREND_DAYS} days against the {TREND_DAYS} before)",
            )
        )
    done, planned = signals.adherence.done, signals.adherence.planned
    if planned and done < planned * MISSED_SHARE:
        found.append(
            (
                Concern.MISSED_SESSIONS,
                f"Missed sessions: {done} of {planned} done in the last {WINDOW_DAYS} days",
            )
        )
    since = today - timedelta(days=WINDOW_DAYS - 1)
    if signals.last_activity is None:
        found.append((Concern.NO_DATA, "No data: nothing recorded yet"))
    elif signals.last_activity < since:
        found.append(
            (
                Concern.NO_DATA,
                f"No data: nothing recorded in the last {WINDOW_DAYS} days "
                f"(last on {signals.last_activity.isoformat()})",
            )
        )
    found.sort(key=lambda f: f[0], reverse=True)
    return Attention(
        score=sum(c.value for c, _ in found),
        concerns=tuple(c for c, _ in found),
        reasons=tuple(r for _, r in found),
    )


# the dashboard -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LatestScore:
    instrument: Instrument
    subscale: Subscale
    taken_on: date
    value: float | None
    """None when too few items were answered to score it."""


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One linked person on the dashboard."""

    user_id: int
    email: str
    signals: Signals
    attention: Attention
    profile: str | None = None
    phase: str | None = None
    phase_name: str | None = None
    week: int | None = None
    weeks: int = 0
    scores: tuple[LatestScore, ...] = ()
    """The latest FFI and FAAM, those answered."""
    start: date | None = None


def attention_key(row: PersonRow) -> tuple[int, float, float, str]:
    """Who comes first: the highest score; then the steeper pain rise; then the fewer sessions
    done; then by e-mail address."""
    change = row.signals.pain.change
    share = row.signals.adherence.share
    return (
        -row.attention.score,
        -(change if change is not None else 0.0),
        share if share is not None else 1.0,
        row.email,
    )


def by_attention(rows: Iterable[PersonRow]) -> list[PersonRow]:
    return sorted(rows, key=attention_key)


def person_row(tracking: TrackingService, user: User, today: date | None = None) -> PersonRow:
    """One person's figures from one snapshot; a person with no profile yet has no data."""
    day = today or tracking.clock.today()
    if user.profile is None:
        signals = Signals(intake_done=False)
        return PersonRow(user.id, user.email, signals, attention(signals, day))
    try:
        snap = tracking.snapshot(user.profile)
    except NoProfileError:
        signals = Signals(intake_done=False)
        return PersonRow(user.id, user.email, signals, attention(signals, day), user.profile)
    program = snap.program
    result = progress(
        program, snap.diary, day, baseline=snap.profile.intake.first_step_pain, profile=user.profile
    )
    referral: tuple[str, ...] = ()
    if program.status is Status.REFER and program.referral is not None:
        referral = tuple(r.explanation for r in program.referral.reasons)
    prompt = program.clinician_prompt.reasons if program.clinician_prompt is not None else ()
    signals = Signals(
        intake_done=True,
        referral=referral,
        prompt=prompt,
        pain=pain_trend(result.first_step_pain.days, day),
        adherence=recent_adherence(program, snap.diary, day),
        last_activity=last_activity(snap.diary),
    )
    scores = tuple(
        LatestScore(e.instrument, HEADLINE[e.instrument], e.taken_on, e.scores.value(h))
        for e in (*result.ffi[-1:], *result.faam[-1:])
        for h in (HEADLINE[e.instrument],)
    )
    phase_name = None
    if result.phase is not None:
        protocol = tracking.planning.protocol(snap.profile.protocol)
        names = {p.id: p.name for p in protocol.phases}
        phase_name = names.get(result.phase, result.phase)
    return PersonRow(
        user_id=user.id,
        email=user.email,
        signals=signals,
        attention=attention(signals, day),
        profile=user.profile,
        phase=result.phase,
        phase_name=phase_name,
        week=result.week,
        weeks=result.weeks,
        scores=scores,
        start=result.start,
    )


def dashboard(
    tracking: TrackingService, people: Iterable[User], today: date | None = None
) -> list[PersonRow]:
    """Every person's row, who needs attention first, one snapshot per person: the reference
    the summaries are held to (the served dashboard is ClinicService.dashboard)."""
    day = today or tracking.clock.today()
    return by_attention(person_row(tracking, user, day) for user in people)


# what a clinician may change ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ExerciseChoice:
    """One exercise of the program from a day on, and what it may be changed to."""

    exercise: str
    name: str
    item: Item
    """Its first upcoming item, for the dose it has now."""
    slots: tuple[Slot, ...]
    swaps: tuple[Option, ...]
    """Its progressions, regressions and substitutes that fit every slot check_change asks."""
    dose_fields: tuple[str, ...]
    """The DOSE_RANGES fields that apply to it (timed: duration; counted: reps, hold)."""

    @property
    def timed(self) -> bool:
        return "duration_s" in self.dose_fields


def change_choices(program: Program, catalog: Catalog, day: date) -> list[ExerciseChoice]:
    """The exercises in the program on or after `day`, by name, each with its allowed changes."""
    first: dict[str, Item] = {}
    slots: dict[str, set[Slot]] = {}
    for week in program.weeks:
        for d in week.days:
            if d.day < day:
                continue
            for session in d.sessions:
                for item in session.items:
                    first.setdefault(item.exercise, item)
                    slots.setdefault(item.exercise, set()).add(session.slot)
    out: list[ExerciseChoice] = []
    for exercise_id, item in first.items():
        exercise = catalog.get(exercise_id)
        in_slots = tuple(sorted(slots[exercise_id], key=list(Slot).index))
        swaps = tuple(
            Option(x, catalog.get(x).name)
            for x in linked(exercise)
            if x in catalog.ids and any(suits_slot(catalog.get(x), s) for s in in_slots)
        )
        if exercise.dose.duration_s > 0:
            dose_fields: tuple[str, ...] = ("sets", "duration_s", "rest_s")
        elif item.hold_s or exercise.dose.hold_s:
            dose_fields = ("sets", "reps", "hold_s", "rest_s")
        else:
            dose_fields = ("sets", "reps", "rest_s")
        out.append(ExerciseChoice(exercise_id, exercise.name, item, in_slots, swaps, dose_fields))
    return sorted(out, key=lambda c: c.name)


DOSE_LABELS: Final = {
    "sets": "Sets",
    "reps": "Repetitions per set",
    "hold_s": "Hold (seconds)",
    "duration_s": "Duration per set (seconds)",
    "rest_s": "Rest between sets (seconds)",
}
"""Form labels of the dose fields, in DOSE_RANGES order."""
