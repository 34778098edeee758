"""R6 scoring of the FFI and the FAAM, validation of answers, and MID decisions, by hand."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import (
    FAAM_ADL_MID,
    FAAM_SPORTS_MID,
    FFI_DISABILITY_MID,
    FFI_PAIN_MID,
    FFI_TOTAL_MID,
    FIRST_STEP_PAIN_MID,
    Direction,
    change,
    faam_answers,
    ffi_answers,
    first_step_pain_change,
    mid_for,
    score_faam,
    score_ffi,
    score_response,
)

N = None


def ffi(pain, disability, activity):
    assert (len(pain), len(disability), len(activity)) == (9, 9, 5)
    return [*pain, *disability, *activity]


def problems_of(call, *args):
    with pytest.raises(InvalidInputError) as err:
        call(*args)
    return [(p.field, p.value) for p in err.value.problems], err.value.problems


# FFI: worked examples ----------------------------------------------------------------------

FFI_CASES = [
    pytest.param(ffi([0] * 9, [0] * 9, [0] * 5), 0.0, 0.0, 0.0, 0.0, id="all zero: best possible"),
    pytest.param(
        ffi([10] * 9, [10] * 9, [10] * 5), 100.0, 100.0, 100.0, 100.0, id="all ten: worst"
    ),
    # pain 45/90, disability 18/90, activity 10/50 -> 50, 20, 20; total (50+20+20)/3 = 30
    pytest.param(ffi([5] * 9, [2] * 9, [2] * 5), 50.0, 20.0, 20.0, 30.0, id="uniform answers"),
    # pain 7+9+6+5+4+3+6 = 40 over 7 applicable -> 40/70 = 57.142857...;
    # disability 3+4+5+6+5+2+4+3+6 = 38/90 = 42.222...; activity 5/50 = 10;
    # total (57.142857 + 42.222222 + 10) / 3 = 36.455026...
    pytest.param(
        ffi([7, 9, 6, 5, 4, 3, N, N, 6], [3, 4, 5, 6, 5, 2, 4, 3, 6], [0, 0, 1, 0, 4]),
        400 / 7,
        380 / 9,
        10.0,
        (400 / 7 + 380 / 9 + 10) / 3,
        id="orthosis items not applicable",
    ),
    # one applicable pain item of 9: 8/10 -> 80; the N/A items leave both top and bottom
    pytest.param(
        ffi([8, N, N, N, N, N, N, N, N], [1] * 9, [N, N, N, N, 5]),
        80.0,
        10.0,
        50.0,
        (80 + 10 + 50) / 3,
        id="a single applicable item per subscale scores",
    ),
]


@pytest.mark.parametrize(("items", "pain", "disability", "activity", "total"), FFI_CASES)
def test_ffi_worked_examples(items, pain, disability, activity, total):
    scores = score_ffi(items)
    assert scores.instrument is Instrument.FFI
    assert scores.value(Subscale.PAIN) == pytest.approx(pain)
    assert scores.value(Subscale.DISABILITY) == pytest.approx(disability)
    assert scores.value(Subscale.ACTIVITY_LIMITATION) == pytest.approx(activity)
    assert scores.total == pytest.approx(total)
    assert scores.value(Subscale.TOTAL) == scores.total


def test_ffi_counts_the_applicable_items_of_each_subscale():
    scores = score_ffi(ffi([7, 9, 6, 5, 4, 3, N, N, 6], [1] * 9, [N, 0, 0, N, N]))
    counted = {s.subscale: (s.counted, s.items, s.needed) for s in scores.subscales}
    assert counted == {
        Subscale.PAIN: (7, 9, 1),
        Subscale.DISABILITY: (9, 9, 1),
        Subscale.ACTIVITY_LIMITATION: (2, 5, 1),
    }


def test_na_is_not_the_same_as_zero():
    with_na = score_ffi(ffi([6, N, N, N, N, N, N, N, N], [0] * 9, [0] * 5))
    with_zero = score_ffi(ffi([6, 0, 0, 0, 0, 0, 0, 0, 0], [0] * 9, [0] * 5))
    assert with_na.value(Subscale.PAIN) == pytest.approx(60.0)
    assert with_zero.value(Subscale.PAIN) == pytest.approx(60 / 9)


@pytest.mark.parametrize(
    ("items", "null"),
    [
        (ffi([N] * 9, [1] * 9, [1] * 5), Subscale.PAIN),
        (ffi([1] * 9, [N] * 9, [1] * 5), Subscale.DISABILITY),
        (ffi([1] * 9, [1] * 9, [N] * 5), Subscale.ACTIVITY_LIMITATION),
    ],
    ids=["pain", "disability", "activity_limitation"],
)
def test_a_subscale_with_no_applicable_item_is_null_and_so_is_the_total(items, null):
    scores = score_ffi(items)
    assert scores.value(null) is None
    assert scores.subscale(null).counted == 0
    assert scores.total is None
    others = [s for s in scores.subscales if s.subscale is not null]
    assert all(s.score == pytest.approx(10.0) for s in others)


def test_all_not_applicable_gives_no_score_at_all():
    scores = score_ffi([N] * 23)
    assert [s.score for s in scores.subscales] == [None, None, None]
    assert scores.total is None


# FAAM: worked examples and the 90% rule ----------------------------------------------------

FAAM_CASES = [
    pytest.param([4] * 21, [4] * 8, 100.0, 100.0, id="all four: best possible"),
    pytest.param([0] * 21, [0] * 8, 0.0, 0.0, id="all zero: worst"),
    # ADL 3*21 = 63 / 84 = 75; Sports 2*8 = 16 / 32 = 50
    pytest.param([3] * 21, [2] * 8, 75.0, 50.0, id="uniform answers"),
    # ADL: 19 answered, 10 threes + 9 twos = 48 / (4*19) = 63.157...; Sports 7 answered:
    # 4+3+2+1+0+4+3 = 17 / 28 = 60.714...
    pytest.param(
        [3] * 10 + [2] * 9 + [N, N],
        [4, 3, 2, 1, 0, 4, 3, N],
        4800 / 76,
        1700 / 28,
        id="exactly 19 of 21 and 7 of 8 answered: still scored",
    ),
    pytest.param(
        [3] * 18 + [N, N, N], [4, 3, 2, 1, 0, 4, N, N], None, None, id="18 of 21 and 6 of 8: null"
    ),
    pytest.param([4] * 21, [N] * 8, 100.0, None, id="sports not done at all"),
    pytest.param([N] * 21, [2] * 8, None, 50.0, id="ADL all N/A"),
]


@pytest.mark.parametrize(("adl", "sports", "adl_score", "sports_score"), FAAM_CASES)
def test_faam_worked_examples(adl, sports, adl_score, sports_score):
    scores = score_faam(adl, sports)
    assert scores.instrument is Instrument.FAAM
    assert scores.total is None
    for subscale, expected in ((Subscale.ADL, adl_score), (Subscale.SPORTS, sports_score)):
        got = scores.value(subscale)
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("answered", "reported"), [(21, True), (20, True), (19, True), (18, False), (0, False)]
)
def test_faam_adl_is_reported_from_19_of_21_answered(answered, reported):
    scores = score_faam([2] * answered + [N] * (21 - answered), [4] * 8)
    adl = scores.subscale(Subscale.ADL)
    assert (adl.counted, adl.items, adl.needed) == (answered, 21, 19)
    assert (adl.score is not None) is reported
    if reported:
        assert adl.score == pytest.approx(50.0)


@pytest.mark.parametrize(("answered", "reported"), [(8, True), (7, True), (6, False), (0, False)])
def test_faam_sports_is_reported_from_7_of_8_answered(answered, reported):
    scores = score_faam([4] * 21, [N] * (8 - answered) + [1] * answered)
    sports = scores.subscale(Subscale.SPORTS)
    assert (sports.counted, sports.items, sports.needed) == (answered, 8, 7)
    assert (sports.score is not None) is reported
    if reported:
        assert sports.score == pytest.approx(25.0)


def test_a_stored_response_scores_like_its_answers():
    day = date(2026, 11, 23)
    items = ffi([5] * 9, [2] * 9, [2] * 5)
    assert score_response(QuestionnaireResponse(Instrument.FFI, day, tuple(items))) == score_ffi(
        items
    )
    faam = QuestionnaireResponse(Instrument.FAAM, day, (3,) * 21, (2,) * 8)
    assert score_response(faam) == score_faam([3] * 21, [2] * 8)


# Validation: one Problem per fault, naming the field ----------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([0] * 22, [("items", "22 answers")], id="too few"),
        pytest.param([0] * 24, [("items", "24 answers")], id="too many"),
        pytest.param([], [("items", "0 answers")], id="empty"),
        pytest.param([0] * 3 + [11] + [0] * 19, [("items[3]", 11)], id="above 10"),
        pytest.param([-1] + [0] * 22, [("items[0]", -1)], id="below 0"),
        pytest.param([0] * 22 + [2.5], [("items[22]", 2.5)], id="a fraction"),
        pytest.param([0] * 22 + [3.0], [("items[22]", 3.0)], id="a float, even a whole one"),
        pytest.param([True] + [0] * 22, [("items[0]", True)], id="a boolean"),
        pytest.param(["5"] + [0] * 22, [("items[0]", "5")], id="a string"),
        pytest.param([[1]] + [0] * 22, [("items[0]", "list")], id="a list"),
        pytest.param("5555", [("items", "5555")], id="a string, not a list"),
        pytest.param({"a": 1}, [("items", "dict")], id="an object, not a list"),
        pytest.param(None, [("items", None)], id="null"),
        pytest.param(
            [11, 0, -3] + [0] * 21,
            [("items", "24 answers"), ("items[0]", 11), ("items[2]", -3)],
            id="every fault at once",
        ),
    ],
)
def test_ffi_validation_names_each_fault(items, expected):
    found, problems = problems_of(score_ffi, items)
    assert found == expected
    for problem in problems:
        if problem.field == "items":
            assert "23" in problem.allowed
        else:
            assert "a whole number from 0 to 10, or null if not applicable" in problem.allowed


def test_an_ffi_value_problem_says_which_item_it_is():
    _, problems = problems_of(ffi_answers, [0] * 3 + [11] + [0] * 19)
    assert str(problems[0]) == (
        "items[3]: got 11; a whole number from 0 to 10, or null if not applicable "
        "(item 4 of 23: ffi-pain-3)"
    )


@pytest.mark.parametrize(
    ("adl", "sports", "expected"),
    [
        pytest.param([4] * 20, [4] * 8, [("adl", "20 answers")], id="ADL too short"),
        pytest.param([4] * 21, [4] * 9, [("sports", "9 answers")], id="Sports too long"),
        pytest.param([4] * 21, [4], [("sports", "1 answer")], id="one answer"),
        pytest.param([4] * 20 + [5], [4] * 8, [("adl[20]", 5)], id="ADL above 4"),
        pytest.param([4] * 21, [4] * 7 + [-1], [("sports[7]", -1)], id="Sports below 0"),
        pytest.param([4] * 21, [2.5] + [4] * 7, [("sports[0]", 2.5)], id="a fraction"),
        pytest.param([False] + [4] * 20, [4] * 8, [("adl[0]", False)], id="a boolean"),
        pytest.param("all fine", [4] * 8, [("adl", "all fine")], id="ADL not a list"),
        pytest.param(
            [9] + [4] * 20,
            [4] * 7,
            [("adl[0]", 9), ("sports", "7 answers")],
            id="faults in both lists",
        ),
    ],
)
def test_faam_validation_names_each_fault(adl, sports, expected):
    found, problems = problems_of(score_faam, adl, sports)
    assert found == expected
    for problem in problems:
        if "[" in problem.field:
            assert problem.allowed.startswith(
                "a whole number from 0 (unable to do it) to 4 (no difficulty), or null"
            )
        else:
            assert ("21" if problem.field == "adl" else "8") in problem.allowed


def test_a_faam_value_problem_says_which_item_it_is():
    _, problems = problems_of(faam_answers, [4] * 20 + [7], [4] * 8)
    assert str(problems[0]).startswith("adl[20]: got 7; ")
    assert str(problems[0]).endswith("(ADL item 21 of 21: faam-adl-21)")


def test_valid_answers_come_back_unchanged_as_tuples():
    items = ffi([5, N, 3, 0, 10, 1, 2, 3, 4], [0] * 9, [N] * 5)
    assert ffi_answers(items) == tuple(items)
    assert faam_answers([4] * 21, [N] * 8) == ((4,) * 21, (N,) * 8)


# Minimal important differences ---------------------------------------------------------------


def test_the_mids_are_the_published_values():
    assert (FFI_PAIN_MID, FFI_DISABILITY_MID, FFI_TOTAL_MID) == (12, 7, 7)
    assert (FAAM_ADL_MID, FAAM_SPORTS_MID) == (8, 9)
    assert FIRST_STEP_PAIN_MID == 2
    assert mid_for(Instrument.FFI, Subscale.PAIN) == 12
    assert mid_for(Instrument.FFI, Subscale.ACTIVITY_LIMITATION) is None
    assert mid_for(Instrument.FAAM, Subscale.PAIN) is None


CHANGE_CASES = [
    # FFI: lower is better
    (Instrument.FFI, Subscale.PAIN, 60, 48, Direction.BETTER, True),
    (Instrument.FFI, Subscale.PAIN, 60, 48.5, Direction.BETTER, False),
    (Instrument.FFI, Subscale.PAIN, 48, 60, Direction.WORSE, True),
    (Instrument.FFI, Subscale.PAIN, 48, 59, Direction.WORSE, False),
    (Instrument.FFI, Subscale.DISABILITY, 30, 23, Direction.BETTER, True),
    (Instrument.FFI, Subscale.DISABILITY, 30, 37, Direction.WORSE, True),
    (Instrument.FFI, Subscale.TOTAL, 40, 34, Direction.BETTER, False),
    (Instrument.FFI, Subscale.TOTAL, 40, 40, Direction.SAME, False),
    # FAAM: higher is better
    (Instrument.FAAM, Subscale.ADL, 60, 68, Direction.BETTER, True),
    (Instrument.FAAM, Subscale.ADL, 60, 67, Direction.BETTER, False),
    (Instrument.FAAM, Subscale.ADL, 68, 60, Direction.WORSE, True),
    (Instrument.FAAM, Subscale.SPORTS, 40, 49, Direction.BETTER, True),
    (Instrument.FAAM, Subscale.SPORTS, 49, 40, Direction.WORSE, True),
    (Instrument.FAAM, Subscale.SPORTS, 40, 48, Direction.BETTER, False),
]


@pytest.mark.parametrize(
    ("instrument", "subscale", "before", "after", "direction", "meets"), CHANGE_CASES
)
def test_change_against_the_mid(instrument, subscale, before, after, direction, meets):
    c = change(instrument, subscale, before, after)
    assert c.direction is direction
    assert c.meets_mid is meets
    assert c.improvement is (direction is Direction.BETTER)
    assert c.important_improvement is (meets and direction is Direction.BETTER)
    assert c.important_worsening is (meets and direction is Direction.WORSE)
    assert c.difference == pytest.approx(after - before)
    assert c.higher_is_better is (instrument is Instrument.FAAM)


def test_a_change_of_exactly_the_mid_between_real_scores_counts():
    # before: pain 14/30, disability 46/80, activity 43/50 -> total 63.3888...
    # after: pain 42/80, disability 18/60, activity 26/30 -> total 56.3888...
    # exactly 7 apart, but 6.999999999999993 in floating point
    before = score_ffi(
        ffi([5, 5, 4, N, N, N, N, N, N], [6, 6, 6, 6, 6, 6, 5, 5, N], [9, 9, 9, 8, 8])
    ).total
    after = score_ffi(
        ffi([6, 6, 5, 5, 5, 5, 5, 5, N], [3, 3, 3, 3, 3, 3, N, N, N], [9, 9, 8, N, N])
    ).total
    assert before - after < FFI_TOTAL_MID
    c = change(Instrument.FFI, Subscale.TOTAL, before, after)
    assert c.meets_mid and c.important_improvement


def test_first_step_pain_change_uses_the_two_point_nrs_mid():
    assert first_step_pain_change(6, 4).important_improvement
    assert not first_step_pain_change(6, 5).meets_mid
    assert first_step_pain_change(3, 5).important_worsening
    assert first_step_pain_change(3, 3).direction is Direction.SAME


@pytest.mark.parametrize(
    ("instrument", "subscale", "before", "after", "field"),
    [
        (Instrument.FFI, Subscale.ACTIVITY_LIMITATION, 10, 0, "subscale"),
        (Instrument.FFI, Subscale.ADL, 10, 0, "subscale"),
        (Instrument.FAAM, Subscale.TOTAL, 10, 0, "subscale"),
        (Instrument.FFI, Subscale.PAIN, -1, 0, "before"),
        (Instrument.FFI, Subscale.PAIN, 10, 100.5, "after"),
        (Instrument.FAAM, Subscale.ADL, float("nan"), 0, "before"),
    ],
)
def test_change_rejects_what_it_cannot_judge(instrument, subscale, before, after, field):
    found, _ = problems_of(change, instrument, subscale, before, after)
    assert [f for f, _ in found] == [field]


def test_first_step_pain_change_is_on_zero_to_ten():
    found, _ = problems_of(first_step_pain_change, 11, 3)
    assert found == [("before", 11)]


# Properties -------------------------------------------------------------------------------------

ffi_item = st.one_of(st.none(), st.integers(0, 10))
faam_item = st.one_of(st.none(), st.integers(0, 4))


@given(st.lists(ffi_item, min_size=23, max_size=23))
def test_ffi_scores_stay_within_0_and_100(items):
    scores = score_ffi(items)
    for value in [s.score for s in scores.subscales] + [scores.total]:
        assert value is None or 0 <= value <= 100
    if scores.total is not None:
        assert min(s.score for s in scores.subscales) <= scores.total
        assert scores.total <= max(s.score for s in scores.subscales)


@given(st.lists(faam_item, min_size=21, max_size=21), st.lists(faam_item, min_size=8, max_size=8))
def test_faam_scores_stay_within_0_and_100_and_follow_the_90_percent_rule(adl, sports):
    scores = score_faam(adl, sports)
    for s in scores.subscales:
        assert s.score is None or 0 <= s.score <= 100
        assert (s.score is not None) is (s.counted >= s.needed)


@given(st.sampled_from([0, 10]), st.lists(st.booleans(), min_size=23, max_size=23))
def test_ffi_all_zero_is_0_and_all_ten_is_100_whatever_is_not_applicable(value, na):
    items = [N if skip else value for skip in na]
    scores = score_ffi(items)
    for s in scores.subscales:
        assert s.score is None or s.score == value * 10
    assert scores.total is None or scores.total == value * 10


@given(st.lists(st.booleans(), min_size=21, max_size=21), st.lists(st.booleans(), max_size=8))
def test_faam_all_four_is_100_whatever_is_not_applicable(adl_na, sports_na):
    sports_na = (sports_na + [False] * 8)[:8]
    scores = score_faam([N if s else 4 for s in adl_na], [N if s else 4 for s in sports_na])
    for s in scores.subscales:
        assert s.score is None or s.score == 100.0


@given(
    st.sampled_from([(Instrument.FFI, Subscale.PAIN), (Instrument.FAAM, Subscale.ADL)]),
    st.floats(0, 100),
    st.floats(0, 100),
)
def test_swapping_before_and_after_flips_the_direction_not_the_size(which, before, after):
    there = change(*which, before, after)
    back = change(*which, after, before)
    assert there.meets_mid == back.meets_mid
    flipped = {Direction.BETTER: Direction.WORSE, Direction.WORSE: Direction.BETTER}
    assert back.direction is flipped.get(there.direction, Direction.SAME)
