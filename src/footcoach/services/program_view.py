"""The program explained: the program as it stands, its protocol, phases, weeks and evidence.

Everything the program page shows is gathered here, so the web route stays a thin renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from footcoach.domain.evidence import Conflict, Source
from footcoach.domain.program import Program, Session, Week
from footcoach.domain.protocol import Phase, Protocol
from footcoach.domain.safety import (
    CALM_PAIN,
    FLARE_DAYS,
    FLARE_RISE,
    LOADING_GATE_MORNINGS,
    SESSION_PAIN_LIMIT,
    SESSION_PAIN_OK,
    SEVERE_DAYS,
    SEVERE_PAIN,
)
from footcoach.services.catalog import CatalogService
from footcoach.services.tracking import TrackingService


@dataclass(frozen=True, slots=True)
class DayGroup:
    """Days of one week that share exactly the same sessions."""

    days: tuple[date, ...]
    sessions: tuple[Session, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


@dataclass(frozen=True, slots=True)
class WeekOutline:
    """One week in a line: its dates, phase, minutes a day and the exercises in it."""

    number: int
    phase: str
    phase_name: str
    first_day: date
    last_day: date
    minutes_low: int
    minutes_high: int
    exercises: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A phase of the protocol and the weeks of this program that use it (none when skipped)."""

    phase: Phase
    weeks: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MonitorRules:
    """The numbers the pain monitor works with, for explaining it in words."""

    calm_pain: int = CALM_PAIN
    session_ok: int = SESSION_PAIN_OK
    session_limit: int = SESSION_PAIN_LIMIT
    flare_rise: int = FLARE_RISE
    flare_days: int = FLARE_DAYS
    gate_mornings: int = LOADING_GATE_MORNINGS
    severe_pain: int = SEVERE_PAIN
    severe_days: int = SEVERE_DAYS


@dataclass(frozen=True, slots=True)
class ProgramView:
    profile: str
    day: date
    program: Program
    protocol: Protocol
    phases: tuple[PhaseSpan, ...]
    weeks: tuple[WeekOutline, ...]
    focus: Week | None
    """The week shown in full: this week, or the first week before the program starts."""
    focus_groups: tuple[DayGroup, ...]
    current_week: int | None
    """This week's number while the program runs; None before it starts or after it ends."""
    starts_on: date | None
    ended_on: date | None
    conflicts: tuple[Conflict, ...]
    sources: Mapping[str, Source]
    monitor: MonitorRules


def group_days(week: Week) -> tuple[DayGroup, ...]:
    """The week's days grouped by identical sessions, in the order each group first appears."""
    groups: dict[tuple[Session, ...], list[date]] = {}
    for day in week.days:
        groups.setdefault(day.sessions, []).append(day.day)
    return tuple(DayGroup(tuple(days), sessions) for sessions, days in groups.items())


def outline(week: Week, protocol: Protocol) -> WeekOutline:
    minutes = [d.minutes for d in week.days] or [0]
    exercises: dict[str, None] = {}
    for day in week.days:
        for session in day.sessions:
            for item in session.items:
                exercises.setdefault(item.exercise)
    names = {p.id: p.name for p in protocol.phases}
    first = week.days[0].day if week.days else date.min
    last = week.days[-1].day if week.days else first
    return WeekOutline(
        number=week.number,
        phase=week.phase,
        phase_name=names.get(week.phase, week.phase),
        first_day=first,
        last_day=last,
        minutes_low=min(minutes),
        minutes_high=max(minutes),
        exercises=tuple(exercises),
    )


def program_view(
    tracking: TrackingService, catalog: CatalogService, name: str, day: date | None = None
) -> ProgramView:
    """The person's program as it stands on a day (today by default), with its explanations."""
    day = day or tracking.clock.today()
    snap = tracking.snapshot(name)
    program = snap.program
    protocol = tracking.planning.protocol(program.protocol)
    weeks = program.weeks
    offset = (day - snap.profile.start).days
    starts_on = snap.profile.start if offset < 0 else None
    ended_on = None
    current: int | None = None
    focus: Week | None = None
    if weeks and offset < 0:
        focus = weeks[0]
    elif offset // 7 < len(weeks):
        focus = weeks[offset // 7]
        current = focus.number
    elif weeks:
        ended_on = snap.profile.start + timedelta(days=7 * len(weeks) - 1)
    phases = tuple(
        PhaseSpan(phase, tuple(w.number for w in weeks if w.phase == phase.id))
        for phase in protocol.phases
    )
    return ProgramView(
        profile=name,
        day=day,
        program=program,
        protocol=protocol,
        phases=phases,
        weeks=tuple(outline(w, protocol) for w in weeks),
        focus=focus,
        focus_groups=group_days(focus) if focus else (),
        current_week=current,
        starts_on=starts_on,
        ended_on=ended_on,
        conflicts=tuple(catalog.conflicts()),
        sources={s.id: s for s in catalog.sources()},
        monitor=MonitorRules(),
    )
