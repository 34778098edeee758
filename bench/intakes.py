"""Varied, valid intakes and pain histories, generated deterministically from a seed.

The mix is meant to look like real use, not to be uniform: most people have no red flag, most
heel-pain intakes include pain under the heel, and about a third come with a history. About one
in ten is referred (a red flag, pain at the back of the heel, or heel pain elsewhere than under
the heel), and some have had symptoms for more than six months (the clinician prompt).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TypeVar

from footcoach.domain.catalog import Equipment
from footcoach.domain.intake import (
    CheckIn,
    Feet,
    Goal,
    History,
    Intake,
    PainSite,
    RedFlag,
    SessionLog,
)
from footcoach.domain.protocol import Slot

T = TypeVar("T")

START = date(2026, 11, 23)
"""The first day of every generated program (a Monday)."""

HISTORY_SHARE = 0.35
RED_FLAG_SHARE = 0.04
OTHER_SITES = (PainSite.ARCH, PainSite.TOES, PainSite.ANKLE, PainSite.CALF, PainSite.OTHER)
OWNABLE = tuple(e for e in Equipment if e is not Equipment.NONE)


@dataclass(frozen=True, slots=True)
class Case:
    """One planning request: who, what has happened so far, and when the program starts."""

    intake: Intake
    history: History | None
    start: date


def _in_order(values: set[T], order: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(v for v in order if v in values)


def _pain_sites(rng: random.Random, goal: Goal) -> tuple[PainSite, ...]:
    sites: set[PainSite] = set()
    roll = rng.random()
    if goal is Goal.FOOT_STRENGTH:
        if roll < 0.7:
            return ()
        sites.update(rng.sample(OTHER_SITES, rng.randint(1, 2)))
        if roll > 0.95:
            sites.add(PainSite.PLANTAR_HEEL)
    elif roll < 0.93:
        sites.add(PainSite.PLANTAR_HEEL)
        sites.update(rng.sample(OTHER_SITES, rng.choice((0, 0, 0, 1, 1, 2))))
    elif roll < 0.97:
        sites.add(PainSite.BACK_OF_HEEL)  # Achilles or the bone behind it: refer
        if rng.random() < 0.5:
            sites.add(PainSite.PLANTAR_HEEL)
    else:
        sites.update(rng.sample(OTHER_SITES, rng.randint(1, 2)))  # heel pain, not under it: refer
    return _in_order(sites, tuple(PainSite))


def _red_flags(rng: random.Random) -> tuple[RedFlag, ...]:
    if rng.random() >= RED_FLAG_SHARE:
        return ()
    flags = set(rng.sample(tuple(RedFlag), rng.choice((1, 1, 1, 2))))
    return _in_order(flags, tuple(RedFlag))


def _equipment(rng: random.Random) -> tuple[Equipment, ...]:
    share = rng.choice((0.0, 0.2, 0.4, 0.6, 0.9))
    owned = {e for e in OWNABLE if rng.random() < share}
    if rng.random() < 0.05:
        owned.add(Equipment.NONE)
    return _in_order(owned, tuple(Equipment))


def _weeks_of_symptoms(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.5:
        return rng.randint(0, 12)
    if roll < 0.85:
        return rng.randint(13, 26)
    return rng.randint(27, 520)  # long-standing: the clinician prompt


def _clock(rng: random.Random, first_hour: int, last_hour: int) -> time:
    return time(rng.randint(first_hour, last_hour), rng.choice((0, 15, 30, 45)))


def intake(rng: random.Random) -> Intake:
    goal = Goal.HEEL_PAIN if rng.random() < 0.8 else Goal.FOOT_STRENGTH
    return Intake(
        age=rng.randint(16, 90),
        feet=rng.choice(tuple(Feet)),
        goal=goal,
        pain_site=_pain_sites(rng, goal),
        first_step_pain=rng.randint(0, 10),
        weeks_of_symptoms=_weeks_of_symptoms(rng),
        red_flags=_red_flags(rng),
        equipment=_equipment(rng),
        minutes_per_day=rng.randint(5, 120),
        wake_time=_clock(rng, 5, 9),
        bed_time=_clock(rng, 21, 23),
    )


def history(rng: random.Random, baseline: int, start: date) -> History:
    """Up to six weeks of morning check-ins and session logs from the start: improving, steady,
    worsening or flaring, with adherence from patchy to complete."""
    days = rng.randint(1, 42)
    drift = rng.choice((-1, -1, -1, 0, 0, 1, 2))
    adherence = rng.uniform(0.4, 1.0)
    pain = baseline
    checkins: list[CheckIn] = []
    sessions: list[SessionLog] = []
    for d in range(days):
        day = start + timedelta(days=d)
        if rng.random() < 0.85:
            step = rng.choice((-1, 0, 0, 1)) + (drift if rng.random() < 0.3 else 0)
            pain = min(10, max(0, pain + step))
            checkins.append(CheckIn(day, pain))
        for slot in Slot:
            if rng.random() < adherence:
                logged = rng.random() < 0.7
                during = min(10, max(0, pain + rng.randint(-4, 1))) if logged else None
                sessions.append(SessionLog(day, slot.value, rng.random() < 0.95, during))
    return History(checkins=tuple(checkins), sessions=tuple(sessions))


def cases(count: int, seed: int, start: date = START) -> list[Case]:
    """`count` planning requests; the same seed always gives the same list."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        person = intake(rng)
        past = history(rng, person.first_step_pain, start) if rng.random() < HISTORY_SHARE else None
        out.append(Case(person, past, start))
    return out
