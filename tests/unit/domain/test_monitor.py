"""R3 (pain monitor) and R2 (non-response): every branch, from a history to an action."""

from datetime import date, timedelta

import pytest

from footcoach.domain.intake import CheckIn, History, SessionLog
from footcoach.domain.monitor import assess
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


def action(h: History, baseline: int = 5, **intake_changes) -> Action:
    a = assess(intake(first_step_pain=baseline, **intake_changes), h, START)
    assert a.adjustment is not None
    return a.adjustment.action


def test_no_history_no_adjustment():
    a = assess(intake(), None, START)
    assert a.adjustment is None and a.effective_from is None


def test_low_session_pain_settled_next_morning_progresses():
    h = history(mornings=[(0, 3), (1, 2)], sessions=[(0, 2)])
    assert action(h, baseline=3) is Action.PROGRESS


def test_session_pain_at_the_ok_limit_still_progresses():
    h = history(mornings=[(0, 3), (1, 3)], sessions=[(0, 3)])
    assert action(h, baseline=3) is Action.PROGRESS


@pytest.mark.parametrize("pain", [4, 5])
def test_moderate_session_pain_settled_repeats(pain):
    h = history(mornings=[(0, 3), (1, 3)], sessions=[(0, pain)])
    assert action(h, baseline=3) is Action.REPEAT


@pytest.mark.parametrize("pain", [6, 9])
def test_session_pain_above_five_regresses(pain):
    a = assess(intake(first_step_pain=3), history(sessions=[(0, pain)]), START)
    assert a.adjustment.action is Action.REGRESS
    assert f"{pain}/10" in a.adjustment.reason


def test_next_morning_above_the_morning_before_regresses():
    h = history(mornings=[(0, 2), (1, 3)], sessions=[(0, 2)])
    assert action(h, baseline=2) is Action.REGRESS


def test_weekly_morning_average_rising_two_weeks_regresses():
    mornings = [(n, 1) for n in range(7)] + [(n, 2) for n in range(7, 14)]
    mornings += [(n, 3) for n in range(14, 21)]
    assert action(history(mornings=mornings), baseline=3) is Action.REGRESS


def test_three_mornings_two_above_baseline_pause_and_prompt_a_clinician():
    a = assess(intake(first_step_pain=4), history(mornings=[(0, 6), (1, 6), (2, 7)]), START)
    assert a.adjustment.action is Action.PAUSE
    assert any("flared" in r for r in a.clinician_reasons)


def test_two_flare_mornings_are_not_yet_a_pause():
    assert action(history(mornings=[(0, 3), (1, 3)]), baseline=1) is not Action.PAUSE


def test_no_next_morning_yet_repeats_and_says_so():
    a = assess(intake(first_step_pain=3), history(sessions=[(0, 2)]), START)
    assert a.adjustment.action is Action.REPEAT
    assert "next morning" in a.adjustment.reason


def test_effective_from_is_the_day_after_the_last_entry():
    a = assess(intake(), history(mornings=[(0, 5), (3, 4)]), START)
    assert a.effective_from == day(4)


def test_long_standing_symptoms_always_prompt_a_clinician():
    a = assess(intake(weeks_of_symptoms=30), None, START)
    assert a.clinician_reasons and "30 weeks" in a.clinician_reasons[0]


def test_worse_in_weeks_two_to_four_prompts_a_clinician():
    a = assess(intake(first_step_pain=4), history(mornings=[(n, 5) for n in range(7, 14)]), START)
    assert any("weeks 2 to 4" in r for r in a.clinician_reasons)


def test_six_adherent_weeks_without_a_meaningful_fall_prompt_a_clinician():
    sessions = [(n, 2) for n in range(42)]
    mornings = [(n, 5) for n in range(43)]
    a = assess(intake(first_step_pain=6), history(mornings=mornings, sessions=sessions), START)
    assert any("6 weeks" in r for r in a.clinician_reasons)


def test_six_adherent_weeks_with_a_meaningful_fall_do_not():
    sessions = [(n, 2) for n in range(42)]
    mornings = [(n, 3) for n in range(43)]
    a = assess(intake(first_step_pain=6), history(mornings=mornings, sessions=sessions), START)
    assert a.clinician_reasons == ()
