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
