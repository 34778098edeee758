"""A dose in whole words, plurals right."""

from __future__ import annotations

import pytest

from footcoach.domain.catalog import Tempo
from footcoach.domain.item_words import duration_words, item_words
from tests.factories import program_item


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (120, "2 minutes"),
        (90, "1 minute 30 seconds"),
        (61, "1 minute 1 second"),
    ],
)
def test_durations(seconds, words):
    assert duration_words(seconds) == words


def test_sets_reps_hold_and_side():
    item = program_item(
        sets=2, reps=15, hold_s=1, duration_s=None, per_side=True, first_side="left", load=None
    )
    assert item_words(item) == "2 sets of 15, holding each for 1 second, each side (left first)"


def test_one_set_counts_times_and_a_duration_is_a_time():
    once = program_item(sets=1, reps=1, hold_s=None, duration_s=None, per_side=False, load=None)
    assert item_words(once).startswith("1 time")
    walk = program_item(sets=3, duration_s=30, hold_s=None, per_side=False, load=None)
    assert item_words(walk).startswith("3 times 30 seconds")


def test_tempo_rest_and_load():
    item = program_item(
        sets=3,
        reps=12,
        hold_s=None,
        duration_s=None,
        tempo=Tempo(3, 2, 3),
        rest_s=120,
        per_side=False,
        load="a backpack with books",
    )
    assert item_words(item) == (
        "3 sets of 12, 3 seconds up, 2 seconds still, 3 seconds down, resting 2 minutes "
        "between sets, a backpack with books"
    )
