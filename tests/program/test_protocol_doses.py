"""Each protocol reproduces its source: R4 week by week, 000's routine, DiGiovanni's stretch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from footcoach.domain.catalog import Equipment
from footcoach.domain.intake import CheckIn, Feet, Goal, History, PainSite
from footcoach.domain.planner import build_program
from footcoach.domain.protocol import Slot
from tests.factories import intake
from tests.program.strategies import START

EVERYTHING = tuple(Equipment)


def plan(library, protocols, protocol_id, weeks=None, history=None, **changes):
    protocol = protocols.get(protocol_id)
    changes.setdefault("first_step_pain", 2)  # loading waits while mornings are 4 or more
    person = intake(equipment=EVERYTHING, minutes_per_day=120, **changes)
    return build_program(person, library, protocol, START, weeks or protocol.default_weeks, history)


def items_on(day, exercise):
    return [(s.slot, i) for s in day.sessions for i in s.items if i.exercise == exercise]


# week -> (sets, reps, load mentions)
R4 = {1: (3, 12, "body"), 2: (3, 12, "body"), 3: (4, 10, "backpack"), 4: (4, 10, "backpack")}
R4.update(dict.fromkeys(range(5, 13), (5, 8, "backpack")))


@pytest.mark.parametrize(("week", "expected"), sorted(R4.items()))
def test_high_load_strength_reproduces_r4_week_by_week(library, protocols, week, expected):
    program = plan(library, protocols, "high-load-strength", first_step_pain=3)
    sets, reps, load_word = expected
    days = program.weeks[week - 1].days
    on = [d for d in days if items_on(d, "high-load-heel-raise")]
    off = [d for d in days if not items_on(d, "high-load-heel-raise")]
    assert len(on) in (3, 4) and len(off) == 7 - len(on)
    for d in on:
        ((_slot, item),) = items_on(d, "high-load-heel-raise")
        assert (item.sets, item.reps) == (sets, reps)
        assert load_word in (item.load or "").lower()
        assert item.tempo is not None
        assert (item.tempo.up_s, item.tempo.hold_s, item.tempo.down_s) == (3, 2, 3)
        assert "rathleff-2015" in item.sources


def test_high_load_sessions_fall_on_every_second_day(library, protocols):
    program = plan(library, protocols, "high-load-strength", first_step_pain=3)
    days = [d for w in program.weeks for d in w.days]
    trained = [i for i, d in enumerate(days) if items_on(d, "high-load-heel-raise")]
    assert trained == list(range(0, 84, 2))
    assert len(program.weeks) == 12


def test_high_load_strength_needs_a_step_and_towel(library):
    ex = library.catalog.get("high-load-heel-raise")
    assert {Equipment.STEP, Equipment.TOWEL} <= set(ex.equipment.required)


def test_high_load_strength_states_the_two_leg_entry_gate(library, protocols):
    program = plan(library, protocols, "high-load-strength", first_step_pain=3)
    assert any("two-leg" in n or "both legs" in n for n in program.notes)


def test_foot_trainer_rehab_reproduces_000s_routine(library, protocols):
    program = plan(library, protocols, "foot-trainer-rehab")
    assert 3 <= len(program.weeks) <= 4
    for week in program.weeks:
        for d in week.days:
            slots = {s.slot: [i.exercise for i in s.items] for s in d.sessions}
            morning = slots[Slot.BEFORE_FIRST_STEP]
            assert {"foot-trainer-toe-extension", "foot-trainer-toe-tip-extension"} <= set(morning)
            assert "foot-self-massage" in morning or "foot-self-massage" in slots[Slot.DAYTIME]
            assert {"ice-tender-areas", "rest-after-ice"} <= set(slots[Slot.DAYTIME])
            evening = set(slots[Slot.EVENING])
            assert {
                "foot-trainer-toe-extension",
                "foot-trainer-toe-tip-extension",
                "foot-self-massage",
                "ice-tender-areas",
                "rest-after-ice",
            } <= evening
            for s in d.sessions:
                for item in s.items:
                    assert not library.catalog.get(item.exercise).weight_bearing
                    if item.exercise in ("ice-tender-areas", "rest-after-ice"):
                        assert 300 <= item.duration_s <= 600


def test_foot_trainer_rehab_without_a_trainer_uses_the_band_and_says_so(library, protocols):
    protocol = protocols.get("foot-trainer-rehab")
    person = intake(equipment=(Equipment.RESISTANCE_BAND, Equipment.ICE_PACK), minutes_per_day=120)
    program = build_program(person, library, protocol, START, 4)
    used = {i.exercise for w in program.weeks for d in w.days for s in d.sessions for i in s.items}
    assert "foot-trainer-toe-extension" not in used
    assert {"banded-toe-extension", "banded-toe-tip-extension"} <= used
    assert any(
        "Banded toe lift (band over the base of the toes) stands in for Foot trainer toe lift" in n
        for n in program.notes
    )


def test_foot_trainer_rehab_lists_000s_incorrect_exercises_as_excluded(library, protocols):
    program = plan(library, protocols, "foot-trainer-rehab")
    excluded = {e.exercise for e in program.excluded}
    assert {"towel-toe-curl", "heel-drop", "standing-calf-stretch", "heel-raise"} <= excluded


def test_plantar_fascia_stretching_is_digiovannis_dose(library, protocols):
    program = plan(library, protocols, "plantar-fascia-stretching")
    first = program.weeks[0].days[0]
    found = [(slot, i) for slot, i in items_on(first, "plantar-fascia-stretch")]
    assert {slot for slot, _ in found} == set(Slot)  # at least 3 times a day, before the first step
    for _, item in found:
        assert (item.reps, item.hold_s) == (10, 10)


def test_foot_strength_basics_keeps_002s_doses(library, protocols):
    program = plan(
        library, protocols, "foot-strength-basics", goal=Goal.FOOT_STRENGTH, pain_site=()
    )
    day = program.weeks[0].days[0]
    doses = {i.exercise: i for s in day.sessions for i in s.items}
    assert (doses["towel-toe-curl"].sets, doses["towel-toe-curl"].reps) == (3, 10)
    assert (doses["heel-raise"].sets, doses["heel-raise"].reps) == (3, 15)
    assert (doses["toe-splay"].sets, doses["toe-splay"].reps, doses["toe-splay"].hold_s) == (
        3,
        10,
        5,
    )
    assert doses["short-foot"].hold_s == 5 and 10 <= doses["short-foot"].reps <= 15


def test_seven_foot_exercises_keeps_only_foot_items(library, protocols):
    program = plan(library, protocols, "seven-foot-exercises")
    used = {i.exercise for w in program.weeks for d in w.days for s in d.sessions for i in s.items}
    assert "wrist-stretch" not in used and "curtsy-lunge" not in used
    assert {"walk-on-balls-of-feet", "heel-toe-walk"} <= used
    excluded = {e.exercise for e in program.excluded}
    assert {"wrist-stretch", "knee-tuck", "toe-touch"} <= excluded


def test_intrinsic_strength_is_labelled_optional_with_limited_evidence(protocols):
    protocol = protocols.get("intrinsic-strength")
    assert "huffer-2017" in protocol.sources
    assert "limited" in protocol.evidence.lower() and "optional" in protocol.evidence.lower()


def test_footcoach_starts_calm_when_first_step_pain_is_high(library, protocols):
    program = plan(library, protocols, "footcoach", first_step_pain=7)
    assert program.weeks[0].phase == "calm"
    for d in program.weeks[0].days:
        for s in d.sessions:
            for item in s.items:
                assert not library.catalog.get(item.exercise).weight_bearing, item.exercise


def test_footcoach_starts_loading_when_pain_is_low(library, protocols):
    program = plan(library, protocols, "footcoach", first_step_pain=2)
    assert program.weeks[0].phase == "loading"
    used = {i.exercise for d in program.weeks[0].days for s in d.sessions for i in s.items}
    assert "high-load-heel-raise" in used


def test_footcoach_reaches_the_build_phase(library, protocols):
    # sore for the first days, then mornings settle at 2
    mornings = tuple(CheckIn(START + timedelta(days=n), 7 if n < 5 else 2) for n in range(20))
    program = plan(
        library, protocols, "footcoach", first_step_pain=7, weeks=16, history=History(mornings)
    )
    assert [w.phase for w in program.weeks][:2] == ["calm", "calm"]
    assert "build" in {w.phase for w in program.weeks}


def test_footcoach_stays_calm_while_mornings_stay_high(library, protocols):
    program = plan(library, protocols, "footcoach", first_step_pain=7, weeks=16)
    assert {w.phase for w in program.weeks} == {"calm"}


def test_footcoach_for_foot_strength_without_pain(library, protocols):
    program = plan(
        library,
        protocols,
        "footcoach",
        goal=Goal.FOOT_STRENGTH,
        pain_site=(),
        first_step_pain=0,
        feet=Feet.BOTH,
    )
    assert program.weeks[0].phase == "loading"
    for _, _, item in (
        (d, s, i) for w in program.weeks for d in w.days for s in d.sessions for i in s.items
    ):
        if item.per_side:
            assert item.first_side is None


def test_footcoach_records_its_left_out_exercises(library, protocols):
    program = plan(library, protocols, "footcoach", pain_site=(PainSite.PLANTAR_HEEL,))
    excluded = {e.exercise: e for e in program.excluded}
    for key in ("heel-drop", "towel-toe-stretch", "wrist-stretch"):
        assert key in excluded and excluded[key].reason


def test_stretch_roll_strengthen_has_001s_items_at_catalog_defaults(library, protocols):
    program = plan(library, protocols, "stretch-roll-strengthen")
    day = program.weeks[0].days[0]
    doses = {i.exercise: i for s in day.sessions for i in s.items}
    for key in (
        "ball-roll",
        "ankle-dorsiflexion",
        "standing-calf-stretch",
        "banded-toe-pull",
        "towel-toe-curl",
        "heel-raise",
    ):
        assert key in doses, key
        default = library.catalog.get(key).dose
        assert (doses[key].sets, doses[key].reps) == (default.sets, default.reps)
