"""Hypothesis strategies for intakes and histories: every valid combination, shrinkable."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

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

START = date(2026, 11, 23)
PROTOCOLS = (
    "footcoach",
    "high-load-strength",
    "plantar-fascia-stretching",
    "stretch-roll-strengthen",
    "foot-trainer-rehab",
)
"""The protocols the planner's property tests plan with."""


def _sorted(enum):
    order = list(enum)
    return lambda values: tuple(sorted(set(values), key=order.index))


@st.composite
def intakes(draw, red_flags: bool = False) -> Intake:
    goal = draw(st.sampled_from(list(Goal)))
    sites = draw(st.lists(st.sampled_from(list(PainSite)), max_size=4).map(_sorted(PainSite)))
    if goal is Goal.HEEL_PAIN and not sites:
        sites = (PainSite.PLANTAR_HEEL,)
    flags = ()
    if red_flags:
        flags = draw(st.lists(st.sampled_from(list(RedFlag)), max_size=2).map(_sorted(RedFlag)))
    return Intake(
        age=draw(st.integers(10, 95)),
        feet=draw(st.sampled_from(list(Feet))),
        goal=goal,
        pain_site=sites,
        first_step_pain=draw(st.integers(0, 10)),
        weeks_of_symptoms=draw(st.integers(0, 60)),
        red_flags=flags,
        equipment=draw(
            st.lists(st.sampled_from(list(Equipment)), max_size=11).map(_sorted(Equipment))
        ),
        minutes_per_day=draw(st.integers(5, 120)),
        pregnant=draw(st.booleans()),
        steroid_injection_weeks_ago=draw(st.none() | st.integers(0, 60)),
        main_pain_site=draw(st.none() | st.sampled_from(sites)) if sites else None,
    )


@st.composite
def histories(draw, days: int = 28) -> History:
    checkin_days = draw(st.lists(st.integers(0, days - 1), max_size=20, unique=True))
    session_days = draw(st.lists(st.integers(0, days - 1), max_size=20, unique=True))
    return History(
        checkins=tuple(
            CheckIn(START + timedelta(days=d), draw(st.integers(0, 10)))
            for d in sorted(checkin_days)
        ),
        sessions=tuple(
            SessionLog(
                START + timedelta(days=d),
                draw(st.sampled_from(["before_first_step", "daytime", "evening"])),
                draw(st.booleans()),
                draw(st.none() | st.integers(0, 10)),
            )
            for d in sorted(session_days)
        ),
    )
