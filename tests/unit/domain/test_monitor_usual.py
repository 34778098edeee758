"""The monitor reads mornings against the person's usual, and never loads a sore foot.

Each case is a history a physiotherapist tried; each got the wrong answer before this rule set.
"""

from datetime import date, timedelta

import pytest

from footcoach.domain.intake import CheckIn, History, SessionLog
from footcoach.domain.monitor import Mornings, assess
from footcoach.domain.program import Action
from tests.factories import intake

START = date(2026, 11, 23)


def day(n: int) -> date:
    return START + timedelta(days=n)


def history(mornings=(), sessions=()) -> History:
    return History(
        checkins=tuple(CheckIn(day(n), p) for n, p in mornings),
        sessions=tuple(SessionLog(day(n), "daytime", True, p) for n, p in sessions),
    )


def test_fifteen_mornings_at_six_never_read_as_settled():
    a = assess(intake(first_step_pain=6), history(mornings=[(n, 6) for n in range(15)]), START)
    assert a.adjustment.action is Action.PAUSE
    assert "settled" not in a.adjustment.reason
    assert "6 out of 10" in a.adjustment.reason


def test_a_fall_to_two_then_four_mornings_at_five_is_a_flare_against_the_usual():
    mornings = [(n, 2) for n in range(7)] + [(n, 5) for n in range(7, 11)]
    a = assess(intake(first_step_pain=6), history(mornings=mornings), START)
    assert a.adjustment.action is Action.PAUSE
    assert "usual (2 out of 10)" in a.adjustment.reason
    assert "where you started" not in a.adjustment.reason
    assert any("flared" in r for r in a.clinician_reasons)


def test_a_next_morning_above_the_usual_does_not_progress():
    # usual 3; the morning of the session 5; the next morning 4: better than before, not usual
    mornings = [(n, 3) for n in range(7)] + [(7, 5), (8, 4)]
    a = assess(intake(first_step_pain=3), history(mornings, sessions=[(7, 2)]), START)
    assert a.adjustment.action is not Action.PROGRESS


def test_progress_needs_the_next_morning_at_or_below_the_usual_too():
    # usual 2, a sore morning before the session (4), the next morning 3: not back to usual
    mornings = [(n, 2) for n in range(7)] + [(7, 4), (8, 3)]
    a = assess(intake(first_step_pain=2), history(mornings, sessions=[(7, 2)]), START)
    assert a.adjustment.action is Action.REGRESS
    assert "usual of 2/10" in a.adjustment.reason


def test_the_same_session_with_the_next_morning_back_at_the_usual_progresses():
    mornings = [(n, 2) for n in range(7)] + [(7, 3), (8, 2)]
    a = assess(intake(first_step_pain=2), history(mornings, sessions=[(7, 2)]), START)
    assert a.adjustment.action is Action.PROGRESS


def test_three_mornings_at_nine_from_a_usual_of_nine_pause_loading():
    a = assess(intake(first_step_pain=9), history(mornings=[(0, 9), (1, 9), (2, 9)]), START)
    assert a.adjustment.action is Action.PAUSE
    assert "8 out of 10 or more" in a.adjustment.reason
    assert a.clinician_reasons


@pytest.mark.parametrize("pain", [8, 10])
def test_three_severe_mornings_pause_whatever_came_before(pain):
    mornings = [(n, 9) for n in range(10)] + [(10, pain), (11, pain), (12, pain)]
    a = assess(intake(first_step_pain=10), history(mornings=mornings), START)
    assert a.adjustment.action is Action.PAUSE


def test_severe_mornings_must_be_consecutive_days():
    mornings = [(0, 2), (1, 2), (2, 2), (3, 9), (5, 9), (7, 9)]
    a = assess(intake(first_step_pain=2), history(mornings=mornings), START)
    assert not any("8 out of 10 or more" in r for r in a.clinician_reasons)


def test_a_small_rise_in_weeks_two_to_four_prompts_no_one():
    # week one at 4, weeks 2-4 alternate 4 and 5: a rise of half a point
    mornings = [(n, 4) for n in range(7)] + [(n, 4 + n % 2) for n in range(7, 27)]
    a = assess(intake(first_step_pain=4), history(mornings=mornings), START)
    assert not any("weeks 2 to 4" in r for r in a.clinician_reasons)


def test_a_rise_of_a_point_in_weeks_two_to_four_prompts_a_clinician():
    mornings = [(n, 4) for n in range(7)] + [(n, 5) for n in range(7, 21)]
    a = assess(intake(first_step_pain=4), history(mornings=mornings), START)
    assert any("weeks 2 to 4" in r for r in a.clinician_reasons)


def test_the_usual_is_the_median_of_recent_mornings_not_the_intake():
    m = Mornings(intake(first_step_pain=8), history(mornings=[(0, 2), (1, 3), (2, 2)]), START)
    assert m.usual_before(day(3)) == 2
    assert m.usual_before(day(0)) == 8  # nothing logged yet: the intake's pain


def test_the_usual_forgets_mornings_older_than_two_weeks():
    mornings = [(0, 9), (1, 9), (2, 9), (20, 2)]
    m = Mornings(intake(first_step_pain=9), history(mornings=mornings), START)
    assert m.usual_before(day(21)) == 2


@pytest.mark.parametrize(
    ("mornings", "waits"),
    [
        ([(0, 6), (1, 6), (2, 6)], True),
        ([(0, 3), (1, 3), (2, 3)], False),
        ([(0, 3), (1, 3), (2, 6)], True),  # mean 4: still waits
        ([(2, 7)], True),  # a single sore morning after a low start
    ],
)
def test_loading_waits_on_the_mean_of_the_latest_mornings(mornings, waits):
    m = Mornings(intake(first_step_pain=1), history(mornings=mornings), START)
    assert m.loading_waits(day(3)) is waits


def test_a_new_person_at_four_or_more_waits_until_they_log_settled_mornings():
    m = Mornings(intake(first_step_pain=6), History(), START)
    assert m.loading_waits(day(30))
    a = assess(intake(first_step_pain=6), history(sessions=[(0, 2)]), START)
    assert a.adjustment.action is Action.PAUSE
    assert "when you started" in a.adjustment.reason
