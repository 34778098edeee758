"""A clinician's changes to a program: what is allowed, what is refused, and how they apply."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from footcoach.domain.catalog import Catalog, Dose, Sides
from footcoach.domain.changes import (
    ChangeKind,
    ConflictError,
    DoseChange,
    ProgramChange,
    apply_changes,
    check_change,
    describe,
    record_problems,
)
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.planner import item_seconds
from footcoach.domain.program import Day, Program, Session, Status, Week
from footcoach.domain.protocol import Slot
from tests.factories import exercise, program_item

START = date(2026, 11, 23)
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

CATALOG = Catalog(
    [
        exercise(
            id="towel-stretch",
            regressions=("seated-stretch",),
            progressions=("standing-stretch",),
            substitute_exercises=("heel-drop",),
            sides=Sides.EACH,
        ),
        exercise(
            id="seated-stretch",
            dose=Dose(sets=1, reps=3, hold_s=20),
            sides=Sides.BOTH,
            why="Gentler.",
        ),
        exercise(id="standing-stretch", weight_bearing=True, in_bed=False, why="Standing."),
        exercise(id="ball-roll", dose=Dose(duration_s=120), regressions=("seated-stretch",)),
        exercise(id="heel-drop", weight_bearing=True, in_bed=False),
        exercise(id="unrelated"),
    ]
)


def _program(weeks: int = 2) -> Program:
    stretch = program_item(exercise="towel-stretch", sets=1, reps=10, hold_s=10, per_side=True)
    roll = program_item(exercise="ball-roll", reps=1, duration_s=120)
    bed = Session(Slot.BEFORE_FIRST_STEP, 2, (stretch,))
    daytime = Session(Slot.DAYTIME, 5, (roll, stretch))
    days = [Day(START + timedelta(days=i), (bed, daytime)) for i in range(7 * weeks)]
    return Program(
        status=Status.OK,
        protocol="footcoach",
        referral=None,
        adjustment=None,
        weeks=tuple(Week(w + 1, "calm", tuple(days[7 * w : 7 * w + 7])) for w in range(weeks)),
        excluded=(),
        notes=("A protocol note.",),
    )


def change(kind: ChangeKind = ChangeKind.SWAP, **fields: object) -> ProgramChange:
    base: dict[str, object] = {
        "kind": kind,
        "who": "dr.lee@clinic.example",
        "role": "clinician",
        "when": WHEN,
        "why": "Too sore for the towel stretch this week.",
        "starts": START + timedelta(days=3),
        "exercise": "towel-stretch",
    }
    if kind is ChangeKind.SWAP:
        base["to"] = "seated-stretch"
    base.update(fields)
    return ProgramChange(**base)  # type: ignore[arg-type]


def fields_of(err: pytest.ExceptionInfo[InvalidInputError]) -> dict[str, str]:
    return {p.field: p.allowed for p in err.value.problems}


def items_on(program: Program, offset: int, slot: Slot) -> list[str]:
    day = program.weeks[offset // 7].days[offset % 7]
    session = next(s for s in day.sessions if s.slot is slot)
    return [i.exercise for i in session.items]


# swaps ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["seated-stretch", "standing-stretch"])
def test_a_swap_to_a_regression_or_progression_is_allowed(target):
    check_change(change(to=target), _program(), CATALOG)


def test_a_swap_to_an_unlinked_exercise_is_refused_naming_the_field_and_the_choices():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(to="unrelated"), _program(), CATALOG)
    allowed = fields_of(err)["to"]
    assert "seated-stretch" in allowed and "standing-stretch" in allowed
    assert "heel-drop" not in allowed


def test_a_swap_to_a_never_prescribed_exercise_is_refused_even_when_the_catalog_links_it():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(to="heel-drop"), _program(), CATALOG)
    assert "never prescribes heel drops" in fields_of(err)["to"]


def test_a_stored_swap_to_a_never_prescribed_exercise_is_never_applied():
    program = apply_changes(_program(), [change(to="heel-drop")], CATALOG)
    assert items_on(program, 10, Slot.DAYTIME) == ["ball-roll", "towel-stretch"]


def test_an_unknown_exercise_is_refused_with_suggestions():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(exercise="towel-strech"), _program(), CATALOG)
    assert "did you mean towel-stretch" in fields_of(err)["exercise"]


def test_a_swap_applies_from_its_day_on_keeping_slot_and_place():
    before = _program()
    after = apply_changes(before, [change()], CATALOG)
    for offset in (0, 1, 2):
        assert items_on(after, offset, Slot.DAYTIME) == ["ball-roll", "towel-stretch"]
        assert after.weeks[0].days[offset] == before.weeks[0].days[offset]
    for offset in (3, 6, 7, 13):
        assert items_on(after, offset, Slot.BEFORE_FIRST_STEP) == ["seated-stretch"]
        assert items_on(after, offset, Slot.DAYTIME) == ["ball-roll", "seated-stretch"]


def test_a_swapped_item_keeps_the_old_dose_says_who_and_why_and_is_re_timed():
    after = apply_changes(_program(), [change()], CATALOG)
    item = after.weeks[1].days[0].sessions[1].items[1]
    assert (item.sets, item.reps, item.hold_s) == (1, 10, 10)  # the dose it had, not 1x3x20
    assert item.per_side is False  # the factory's seated stretch is done with both feet
    assert "dr.lee@clinic.example (clinician)" in item.why
    assert "Too sore for the towel stretch this week." in item.why
    assert "in place of towel-stretch" in item.why
    assert item.seconds == item_seconds(1, 10, 10, 0, 0, 0, False)
    session = after.weeks[1].days[0].sessions[1]
    assert session.minutes == -(-sum(i.seconds for i in session.items) // 60)


def test_a_swap_with_a_dose_takes_the_clinicians_dose():
    after = apply_changes(_program(), [change(dose=DoseChange(reps=3, hold_s=20))], CATALOG)
    item = after.weeks[1].days[0].sessions[0].items[0]
    assert (item.exercise, item.sets, item.reps, item.hold_s) == ("seated-stretch", 1, 3, 20)


def test_a_weight_bearing_swap_leaves_the_in_bed_session_as_it_was_and_says_so():
    after = apply_changes(_program(), [change(to="standing-stretch")], CATALOG)
    assert items_on(after, 5, Slot.BEFORE_FIRST_STEP) == ["towel-stretch"]
    assert items_on(after, 5, Slot.DAYTIME) == ["ball-roll", "standing-stretch"]
    assert any("stays in the before_first_step session" in n for n in after.notes)


def test_a_weight_bearing_swap_of_an_in_bed_only_exercise_is_refused():
    program = _program()
    weeks = tuple(
        replace(w, days=tuple(replace(d, sessions=d.sessions[:1]) for d in w.days))
        for w in program.weeks
    )
    only_bed = replace(program, weeks=weeks)
    with pytest.raises(InvalidInputError) as err:
        check_change(change(to="standing-stretch"), only_bed, CATALOG)
    assert "in bed" in fields_of(err)["to"]


def test_an_exercise_not_in_the_program_from_that_day_is_refused():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(exercise="unrelated", to="seated-stretch"), _program(), CATALOG)
    assert "ball-roll, towel-stretch" in fields_of(err)["exercise"]
    late = change(starts=START + timedelta(days=30))
    with pytest.raises(InvalidInputError) as err:
        check_change(late, _program(), CATALOG)
    assert "exercise" in fields_of(err)


def test_later_changes_are_checked_against_the_program_with_earlier_ones_applied():
    program = apply_changes(_program(), [change()], CATALOG)
    dose = change(ChangeKind.DOSE, exercise="seated-stretch", dose=DoseChange(sets=2))
    check_change(dose, program, CATALOG)
    with pytest.raises(InvalidInputError) as err:
        check_change(change(ChangeKind.DOSE, dose=DoseChange(sets=2)), program, CATALOG)
    assert "exercise" in fields_of(err)


# doses ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dose", "field"),
    [
        (DoseChange(sets=0), "dose.sets"),
        (DoseChange(sets=11), "dose.sets"),
        (DoseChange(reps=51), "dose.reps"),
        (DoseChange(hold_s=121), "dose.hold_s"),
        (DoseChange(rest_s=-1), "dose.rest_s"),
        (DoseChange(duration_s=60), "dose.duration_s"),  # towel-stretch is done in reps
        (DoseChange(), "dose"),
    ],
)
def test_doses_out_of_range_or_of_the_wrong_kind_are_refused(dose, field):
    with pytest.raises(InvalidInputError) as err:
        check_change(change(ChangeKind.DOSE, dose=dose), _program(), CATALOG)
    assert field in fields_of(err)


def test_the_edges_of_the_dose_ranges_are_allowed():
    check_change(
        change(ChangeKind.DOSE, dose=DoseChange(sets=10, reps=50, hold_s=120, rest_s=300)),
        _program(),
        CATALOG,
    )
    check_change(
        change(ChangeKind.DOSE, exercise="ball-roll", dose=DoseChange(duration_s=1800)),
        _program(),
        CATALOG,
    )


def test_a_timed_exercise_takes_a_duration_not_reps():
    with pytest.raises(InvalidInputError) as err:
        check_change(
            change(ChangeKind.DOSE, exercise="ball-roll", dose=DoseChange(reps=10)),
            _program(),
            CATALOG,
        )
    assert "duration_s instead" in fields_of(err)["dose.reps"]


def test_a_dose_change_applies_from_its_day_on_and_re_times_the_session():
    before = _program()
    dose = change(ChangeKind.DOSE, dose=DoseChange(sets=3, rest_s=30))
    after = apply_changes(before, [dose], CATALOG)
    assert after.weeks[0].days[2] == before.weeks[0].days[2]
    item = after.weeks[0].days[3].sessions[1].items[1]
    assert (item.exercise, item.sets, item.reps, item.hold_s, item.rest_s) == (
        "towel-stretch",
        3,
        10,
        10,
        30,
    )
    assert item.seconds == item_seconds(3, 10, 10, 0, 30, 0, True)
    assert after.weeks[0].days[3].sessions[1].minutes > before.weeks[0].days[3].sessions[1].minutes
    assert item.why.startswith("Dose changed by dr.lee@clinic.example (clinician)")
    assert "Too sore" in item.why


def test_a_dose_change_needs_a_dose_and_no_target():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(ChangeKind.DOSE, to="seated-stretch"), _program(), CATALOG)
    assert {"dose", "to"} <= set(fields_of(err))


# notes ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, None])
def test_a_note_needs_1_to_1000_characters(text):
    with pytest.raises(InvalidInputError) as err:
        check_change(change(ChangeKind.NOTE, note=text), _program(), CATALOG)
    assert "1 to 1000 characters" in fields_of(err)["note"]


def test_a_note_is_shown_with_the_program_and_changes_no_item():
    before = _program()
    note = change(ChangeKind.NOTE, note="x" * 999 + "!", exercise=None)
    check_change(note, before, CATALOG)
    after = apply_changes(before, [note], CATALOG)
    assert after.weeks == before.weeks
    assert after.notes[: len(before.notes)] == before.notes
    assert after.notes[-1].startswith("Note from dr.lee@clinic.example (clinician)")
    assert "x" * 999 + "!" in after.notes[-1]


def test_a_note_may_name_an_exercise_but_not_a_dose_or_target():
    check_change(change(ChangeKind.NOTE, note="Go gently."), _program(), CATALOG)
    with pytest.raises(InvalidInputError) as err:
        check_change(
            change(
                ChangeKind.NOTE, note="Go gently.", to="seated-stretch", dose=DoseChange(sets=1)
            ),
            _program(),
            CATALOG,
        )
    assert {"to", "dose"} == set(fields_of(err))


# who, why, when -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"why": ""}, "why"),
        ({"why": "  "}, "why"),
        ({"why": "y" * 501}, "why"),
        ({"who": ""}, "who"),
        ({"role": "receptionist"}, "role"),
        ({"when": datetime(2026, 11, 24, 9, 30)}, "when"),
    ],
)
def test_who_role_when_and_why_are_required(fields, field):
    with pytest.raises(InvalidInputError) as err:
        check_change(change(**fields), _program(), CATALOG)
    assert field in fields_of(err)


def test_a_change_to_days_already_past_is_refused():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(), _program(), CATALOG, today=START + timedelta(days=4))
    assert "starts" in fields_of(err)
    check_change(change(), _program(), CATALOG, today=START + timedelta(days=3))


def test_every_problem_is_named_at_once():
    with pytest.raises(InvalidInputError) as err:
        check_change(change(why="", role="nobody", to="unrelated"), _program(), CATALOG)
    assert {"why", "role", "to"} <= set(fields_of(err))


def test_changes_apply_in_order_and_a_referral_is_left_alone():
    swap = change()
    dose = change(ChangeKind.DOSE, exercise="seated-stretch", dose=DoseChange(sets=4))
    after = apply_changes(_program(), [swap, dose], CATALOG)
    assert after.weeks[1].days[1].sessions[0].items[0].sets == 4
    swapped_back = apply_changes(_program(), [dose, swap], CATALOG)  # the dose found nothing yet
    assert swapped_back.weeks[1].days[1].sessions[0].items[0].sets == 1
    referred = Program(Status.REFER, "footcoach", None, None, (), (), ())
    assert apply_changes(referred, [swap], CATALOG).weeks == ()
    assert apply_changes(_program(), [], CATALOG) == _program()


def test_the_conflict_says_what_changed_since():
    err = ConflictError(1, 2, [change()])
    assert err.since == (change(),)
    assert "version 1" in str(err) and "version 2" in str(err)
    assert describe(change()) in str(err)
    assert describe(change()) == (
        "seated-stretch in place of towel-stretch from Thursday 26 November 2026"
    )


# a change read back from a backup -----------------------------------------------------------


def _record(**fields) -> ProgramChange:
    base = {
        "kind": ChangeKind.SWAP,
        "who": "pt@clinic.example",
        "role": "clinician",
        "when": datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        "why": "Stronger now.",
        "starts": date(2026, 11, 23),
        "exercise": "heel-raise",
        "to": "single-leg-heel-raise",
    }
    return ProgramChange(**{**base, **fields})


def test_records_of_each_kind_with_their_fields_have_no_problems():
    assert record_problems(_record()) == []
    assert record_problems(_record(dose=DoseChange(sets=2))) == []  # a swap may set a dose
    dose = _record(kind=ChangeKind.DOSE, to=None, dose=DoseChange(reps=8))
    assert record_problems(dose) == []
    note = _record(kind=ChangeKind.NOTE, to=None, exercise=None, note="Rest on Sundays.")
    assert record_problems(note) == []
    assert record_problems(replace(note, exercise="heel-raise")) == []  # a note may name one


def test_a_record_missing_what_its_kind_names_or_carrying_what_it_takes_not_is_refused():
    found = record_problems(_record(to=None, note="extra"))
    assert {p.field for p in found} == {"to", "note"}
    dose = record_problems(_record(kind=ChangeKind.DOSE, dose=None))
    assert {p.field for p in dose} == {"to", "dose"}
    note = record_problems(_record(kind=ChangeKind.NOTE, to=None, dose=DoseChange(sets=1)))
    assert {p.field for p in note} == {"note", "dose"}


def test_a_record_with_a_bad_author_role_time_or_reason_is_refused():
    bad = _record(who="", role="physio", when=datetime(2026, 11, 23, 9, 0), why="   ")
    assert {p.field for p in record_problems(bad)} == {"who", "role", "when", "why"}
    long_note = _record(kind=ChangeKind.NOTE, to=None, note="x" * 1001)
    assert [p.field for p in record_problems(long_note)] == ["note"]


def test_text_with_control_characters_is_refused_by_name_line_breaks_are_not():
    note = _record(kind=ChangeKind.NOTE, to=None, exercise=None, note="Rest\non Sundays.\t")
    assert record_problems(note) == []
    for bad in ("\x00", "a\x1bb", "tail\x7f"):
        found = record_problems(replace(note, note=bad, why=f"why{bad}", who=f"kim{bad}"))
        assert {p.field for p in found} == {"note", "why", "who"}
        assert all("control characters" in p.allowed for p in found)
