import pytest

from footcoach.domain.catalog import Dose, Sides, Tempo
from footcoach.domain.wording import dose_text, seconds_text


@pytest.mark.parametrize(
    ("s", "text"), [(10, "10 s"), (60, "1 min"), (300, "5 min"), (90, "1 min 30 s")]
)
def test_seconds_text(s, text):
    assert seconds_text(s) == text


def test_rathleff_dose_in_words():
    dose = Dose(sets=3, reps=12, rest_s=120, tempo=Tempo(3, 2, 3))
    assert dose_text(dose, Sides.EACH) == (
        "3 sets x 12 reps, tempo 3-2-3 s (up-hold-down), rest 2 min, once a day, each side"
    )


def test_timed_item_in_words():
    assert dose_text(Dose(duration_s=300, times_per_day=2)) == "5 min, twice a day"


def test_holds_in_words():
    dose = Dose(reps=10, hold_s=10, times_per_day=3)
    assert dose_text(dose, Sides.BOTH) == "10 reps, hold 10 s, 3 times a day, both feet together"


def test_counts_agree_with_their_nouns():
    from footcoach.domain.wording import count_of_text, count_text

    assert count_text(1, "check-in") == "1 check-in"
    assert count_text(0, "check-in") == "0 check-ins"
    assert count_text(2, "day") == "2 days"
    assert count_text(3, "activity") == "3 activities"
    assert count_text(2, "person", "people") == "2 people"
    assert count_of_text(1, 1, "exercise") == "1 of 1 exercise"
    assert count_of_text(1, 3, "exercise") == "1 of 3 exercises"


def test_dates_read_as_people_say_them():
    from datetime import date

    from footcoach.domain.wording import day_month_text, days_text, short_day_text

    assert short_day_text(date(2026, 12, 7)) == "Mon 7 Dec"
    assert short_day_text(date(2026, 12, 7), year=True) == "Mon 7 Dec 2026"
    assert day_month_text(date(2026, 12, 7)) == "Monday 7 December"
    assert days_text([date(2026, 12, 1), date(2026, 12, 29), date(2027, 1, 26)]) == (
        "Tuesday 1 December 2026, Tuesday 29 December 2026 and Tuesday 26 January 2027"
    )


def test_the_pain_monitors_actions_and_the_equipment_read_as_words():
    from footcoach.domain.catalog import Equipment
    from footcoach.domain.wording import EQUIPMENT_WORDS, adjustment_text

    assert adjustment_text("repeat") == "Kept the same"
    assert adjustment_text("pause") == "Loading paused"
    assert set(EQUIPMENT_WORDS) == set(Equipment)
