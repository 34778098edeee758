"""Day templates kept between builds (PlanMemo) never change a program: a build that reuses them
gives exactly the program a build from nothing gives, notes and exclusions in the same order."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.domain.intake import History
from footcoach.domain.planner import PlanMemo, build_program
from tests.program.strategies import PROTOCOLS, START, histories, intakes

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _prefixes(history: History, cuts: list[int]) -> list[History]:
    """The diary as it grew: the check-ins and sessions of the first n days, for each cut."""
    out = []
    for cut in sorted(cuts):
        last = START.toordinal() + cut
        out.append(
            History(
                checkins=tuple(c for c in history.checkins if c.day.toordinal() <= last),
                sessions=tuple(s for s in history.sessions if s.day.toordinal() <= last),
            )
        )
    return out


@SETTINGS
@given(
    person=intakes(),
    history=histories(days=42),
    cuts=st.lists(st.integers(0, 41), min_size=1, max_size=4),
    protocol_id=st.sampled_from(PROTOCOLS),
    weeks=st.integers(1, 12),
)
def test_a_person_planned_again_after_each_write_gets_the_full_build(
    library, protocols, person, history, cuts, protocol_id, weeks
):
    protocol = protocols.get(protocol_id)
    memo = PlanMemo()
    for grown in [History(), *_prefixes(history, cuts), history]:
        kept = build_program(person, library, protocol, START, weeks, grown, memo=memo)
        fresh = build_program(person, library, protocol, START, weeks, grown)
        assert kept == fresh


@SETTINGS
@given(
    first=intakes(),
    minutes=st.integers(5, 120),
    history=histories(days=28),
    other_history=histories(days=28),
)
def test_a_memo_shared_by_people_and_answers_gives_each_their_own_program(
    library, protocols, first, minutes, history, other_history
):
    """One memo serves a whole server: other people, and the same person after changing an
    answer, each get the program a build from nothing gives them."""
    protocol = protocols.get("footcoach")
    memo = PlanMemo(size=2)  # small, so that it is also reset along the way
    second = replace(first, minutes_per_day=minutes)
    for person, grown in [
        (first, history),
        (second, other_history),
        (first, other_history),
        (second, history),
        (first, History()),
    ]:
        kept = build_program(person, library, protocol, START, 12, grown, memo=memo)
        assert kept == build_program(person, library, protocol, START, 12, grown)


def test_what_a_short_day_leaves_out_is_said_on_every_build(library, protocols):
    """The notes and exclusions come from the templates' records: a build that reuses them
    still says what was left out or shortened to fit the minutes, and why."""
    from tests.factories import intake

    person = intake(minutes_per_day=5)
    protocol = protocols.get("footcoach")
    memo = PlanMemo()
    for _ in range(2):
        program = build_program(person, library, protocol, START, 12, History(), memo=memo)
        assert any(n.startswith("To fit your 5 minutes a day") for n in program.notes)
        dropped = [e for e in program.excluded if e.reason.startswith("Left out on some days")]
        assert dropped
