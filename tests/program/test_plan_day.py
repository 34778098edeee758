"""A single day planned on its own (plan_day), and what a check-in answers with (outlook), are
exactly what the whole program says: the today views and the check-in answers use them instead
of planning twelve weeks after every write, so they must never disagree with the program page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.domain.changes import (
    ChangeKind,
    DoseChange,
    ProgramChange,
    apply_changes,
    apply_changes_to_day,
    linked,
)
from footcoach.domain.intake import CheckIn, History
from footcoach.domain.planner import PlanMemo, build_program, outlook, plan_day
from footcoach.domain.program import Program
from tests.program.strategies import PROTOCOLS, START, histories, intakes

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WHEN = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@st.composite
def _daily_histories(draw, days: int = 42) -> History:
    """A check-in every morning, mostly settled with a flare or two: the mornings that move a
    program on through its phases (and back), which scattered random mornings seldom do."""
    low = draw(st.integers(0, 3))
    pains = draw(st.lists(st.integers(low, low + 1), min_size=days, max_size=days))
    for at in draw(st.lists(st.integers(0, days - 1), max_size=3)):
        pains[at] = draw(st.integers(5, 10))
    return History(
        checkins=tuple(CheckIn(START + timedelta(days=d), p) for d, p in enumerate(pains))
    )


ALL_HISTORIES = histories(days=42) | _daily_histories()


def _day_in(program: Program, offset: int) -> tuple[int, str, object] | None:
    week_index, day_index = divmod(offset, 7)
    if offset < 0 or week_index >= len(program.weeks):
        return None
    week = program.weeks[week_index]
    return week.number, week.phase, week.days[day_index]


@SETTINGS
@given(
    person=intakes() | intakes(red_flags=True),
    history=ALL_HISTORIES,
    protocol_id=st.sampled_from(PROTOCOLS),
    weeks=st.integers(1, 12),
    offsets=st.lists(st.integers(-3, 7 * 12 + 3), min_size=1, max_size=5),
)
def test_a_day_planned_alone_is_the_programs_day(
    library, protocols, person, history, protocol_id, weeks, offsets
):
    protocol = protocols.get(protocol_id)
    program = build_program(person, library, protocol, START, weeks, history)
    memo = PlanMemo()  # shared across the days, as the server shares it
    for offset in offsets:
        day = START + timedelta(days=offset)
        alone = plan_day(person, library, protocol, START, weeks, history, day, memo=memo)
        expected = _day_in(program, offset)
        if expected is None:
            assert alone is None
        else:
            assert alone is not None
            assert (alone.week, alone.phase, alone.day) == expected


@SETTINGS
@given(person=intakes(red_flags=True), history=ALL_HISTORIES, weeks=st.integers(1, 12))
def test_the_outlook_is_the_programs_referral_adjustment_and_prompt(
    library, protocols, person, history, weeks
):
    program = build_program(person, library, protocols.get("footcoach"), START, weeks, history)
    said = outlook(person, START, history)
    assert said.referral == program.referral
    assert said.adjustment == program.adjustment
    assert said.clinician_prompt == program.clinician_prompt
    assert outlook(person, START, History()).adjustment is None


@st.composite
def _changes(draw, program: Program, catalog) -> list[ProgramChange]:
    """A clinician's trail for this program: swaps to a linked exercise and dose changes of the
    exercises it holds, and notes, each from a day of the program."""
    exercises = sorted(
        {i.exercise for w in program.weeks for d in w.days for s in d.sessions for i in s.items}
    )
    out = []
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from([ChangeKind.SWAP, ChangeKind.DOSE, ChangeKind.NOTE]))
        exercise = draw(st.sampled_from(exercises)) if exercises else None
        starts = START + timedelta(days=draw(st.integers(0, 7 * len(program.weeks))))
        to = dose = None
        if kind is ChangeKind.SWAP and exercise is not None:
            targets = linked(catalog.get(exercise))
            if not targets:
                continue
            to = draw(st.sampled_from(targets))
        elif kind is ChangeKind.DOSE:
            dose = DoseChange(sets=draw(st.integers(1, 5)), rest_s=draw(st.none() | st.just(30)))
        out.append(
            ProgramChange(
                kind=kind,
                who="dr.lee@clinic.example",
                role="clinician",
                when=WHEN + timedelta(minutes=n),
                why="Generated.",
                starts=starts,
                exercise=exercise,
                to=to,
                dose=dose,
                note="A note." if kind is ChangeKind.NOTE else None,
            )
        )
    return out


@SETTINGS
@given(
    person=intakes(),
    history=ALL_HISTORIES,
    protocol_id=st.sampled_from(PROTOCOLS),
    data=st.data(),
)
def test_a_day_planned_alone_with_a_clinicians_changes_is_the_changed_programs_day(
    library, protocols, person, history, protocol_id, data
):
    protocol = protocols.get(protocol_id)
    planned = build_program(person, library, protocol, START, 12, history)
    changes = data.draw(_changes(planned, library.catalog))
    program = apply_changes(planned, changes, library.catalog)
    days = data.draw(st.lists(st.integers(0, 7 * 12 - 1), min_size=1, max_size=4))
    for offset in days:
        alone = plan_day(
            person, library, protocol, START, 12, history, START + timedelta(days=offset)
        )
        if program.referral is not None:  # an age or a pain site the screen refers
            assert alone is None
            continue
        assert alone is not None
        changed = apply_changes_to_day(alone, changes, library.catalog)
        assert (changed.week, changed.phase, changed.day) == _day_in(program, offset)
