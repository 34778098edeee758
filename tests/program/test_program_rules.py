"""The rules every program keeps, checked over many generated intakes and histories."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.domain.catalog import Relevance
from footcoach.domain.intake import Feet
from footcoach.domain.planner import build_program
from footcoach.domain.program import Status
from footcoach.domain.protocol import Slot
from footcoach.domain.screening import screen
from footcoach.services.documents import program_document
from tests.program.strategies import START, histories, intakes

PROTOCOL_IDS = [
    "footcoach",
    "foot-trainer-rehab",
    "stretch-roll-strengthen",
    "foot-strength-basics",
    "seven-foot-exercises",
    "intrinsic-strength",
    "plantar-fascia-stretching",
    "high-load-strength",
]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def all_items(program):
    for week in program.weeks:
        for d in week.days:
            for s in d.sessions:
                for item in s.items:
                    yield d, s, item


def minimal_seconds(item) -> int:
    """A floor no honest estimate may go under: the work itself, every side, no rests."""
    if item.duration_s:
        one = item.duration_s
    else:
        per_rep = (item.tempo.up_s + item.tempo.hold_s + item.tempo.down_s) if item.tempo else 0
        one = item.reps * max(per_rep, item.hold_s or 0, 1)
    return item.sets * one * (2 if item.per_side else 1)


@SETTINGS
@given(
    intake=intakes(red_flags=True),
    history=st.none() | histories(),
    protocol_id=st.sampled_from(PROTOCOL_IDS),
    weeks=st.integers(1, 12),
)
def test_every_program_keeps_the_rules(library, protocols, intake, history, protocol_id, weeks):
    protocol = protocols.get(protocol_id)
    program = build_program(intake, library, protocol, START, weeks, history)
    if screen(intake) is not None:
        assert program.status is Status.REFER
        assert program.weeks == () and program.referral is not None
        return
    assert program.status is Status.OK and len(program.weeks) == weeks
    owned = set(intake.equipment)
    for _day, session, item in all_items(program):
        ex = library.catalog.get(item.exercise)
        assert ex.equipment.usable_with(owned), (item.exercise, owned)
        assert ex.foot_relevance is not Relevance.NONE
        assert ex.id != "heel-drop"
        if session.slot is Slot.BEFORE_FIRST_STEP:
            assert ex.in_bed and not ex.weight_bearing, ex.id
        if protocol.non_weight_bearing:
            assert not ex.weight_bearing, ex.id
        assert item.why.strip()
        assert item.sources and all(s in library.sources for s in item.sources)
        if item.per_side:
            expected = None if intake.feet is Feet.BOTH else intake.feet.value
            assert item.first_side == expected
        assert item.seconds >= minimal_seconds(item)
    for week in program.weeks:
        for d in week.days:
            assert d.minutes <= intake.minutes_per_day
            for s in d.sessions:
                assert s.minutes == math.ceil(sum(i.seconds for i in s.items) / 60)
    excluded = {e.exercise for e in program.excluded}
    assert "heel-drop" in excluded
    assert all(e.reason.strip() for e in program.excluded)


@SETTINGS
@given(intake=intakes(), history=st.none() | histories(), protocol_id=st.sampled_from(PROTOCOL_IDS))
def test_the_same_input_gives_the_same_bytes(library, protocols, intake, history, protocol_id):
    protocol = protocols.get(protocol_id)
    first = build_program(intake, library, protocol, START, 4, history)
    second = build_program(intake, library, protocol, START, 4, history)
    assert json.dumps(program_document(first)) == json.dumps(program_document(second))


@SETTINGS
@given(intake=intakes(), protocol_id=st.sampled_from(PROTOCOL_IDS))
def test_protocol_items_left_out_for_equipment_are_explained(
    library, protocols, intake, protocol_id
):
    protocol = protocols.get(protocol_id)
    program = build_program(intake, library, protocol, START, protocol.default_weeks)
    if program.status is Status.REFER:
        return
    prescribed = {item.exercise for _, _, item in all_items(program)}
    excluded = {e.exercise for e in program.excluded}
    for phase in protocol.phases:
        for pitem in phase.items:
            ex = library.catalog.get(pitem.exercise)
            substitutes_used = set(ex.substitute_exercises) & prescribed
            if pitem.exercise not in prescribed and not substitutes_used:
                # dropped: for equipment, time, a pause, or a phase never reached
                reached = phase.id in {w.phase for w in program.weeks}
                if reached and not ex.equipment.usable_with(set(intake.equipment)):
                    named = {pitem.exercise, *ex.substitute_exercises}
                    assert named & excluded, pitem.exercise
