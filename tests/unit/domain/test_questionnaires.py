"""The FFI and the FAAM as data: item counts, stable ids, answer scales, labels in our words."""

from __future__ import annotations

import re

import pytest

from footcoach.domain.diary import Instrument
from footcoach.domain.questionnaires import (
    FAAM,
    FFI,
    FFI_FIRST_ORDER,
    FIRST_STEP_ITEM,
    QUESTIONNAIRES,
    Subscale,
    ffi_from_first_order,
    ffi_to_first_order,
    questionnaire,
)
from footcoach.domain.scoring import score_ffi
from tests.support import own_words

ID = re.compile(r"^(ffi|faam)-[a-z]+-[1-9][0-9]?$")


def test_ffi_has_23_items_9_pain_9_disability_5_activity_limitation():
    assert len(FFI.items) == 23
    assert [(s.subscale, len(s.items)) for s in FFI.sections] == [
        (Subscale.PAIN, 9),
        (Subscale.DISABILITY, 9),
        (Subscale.ACTIVITY_LIMITATION, 5),
    ]
    assert FFI.subscales == (Subscale.PAIN, Subscale.DISABILITY, Subscale.ACTIVITY_LIMITATION)


def test_ffi_pain_items_follow_the_published_form():
    # Budiman-Mak 1991 as DiGiovanni 2003 numbers it: item 1 worst pain, item 2 first steps in
    # the morning; then without shoes, in shoes, with orthoses, each walking before standing.
    worst, first_step, *rest = FFI.items_in(Subscale.PAIN)
    assert "worst" in worst.label
    assert first_step.id == FIRST_STEP_ITEM == "ffi-pain-1"
    assert "first steps" in first_step.label and "morning" in first_step.label
    assert [(i.label.split()[1], i.label.split()[2]) for i in rest[:6]] == [
        ("walking", "without"),
        ("standing", "without"),
        ("walking", "in"),
        ("standing", "in"),
        ("walking", "with"),
        ("standing", "with"),
    ]
    assert "end of the day" in rest[6].label


def test_the_distance_item_says_four_blocks_as_the_form_does():
    assert FFI.item("ffi-disability-3").label == "Walking four blocks"


def test_answers_in_the_first_order_move_to_their_items():
    first = tuple(range(23))  # answer n was stored at position n of the first order
    moved = ffi_from_first_order(first)
    assert moved[:9] == (1, 0, 3, 2, 5, 4, 7, 6, 8)  # only the pain items move
    assert moved[9:] == first[9:]
    for item, answer in zip(FFI.items, moved, strict=True):
        assert FFI_FIRST_ORDER[answer] == item.id
    assert ffi_to_first_order(moved) == first


def test_moving_answers_changes_no_score():
    stored = (9, 3, None, 7, 0, 10, 2, None, 5, 1, 2, 3, 4, 5, 6, 7, 8, None, 0, 0, 4, None, 10)
    assert score_ffi(ffi_from_first_order(stored)) == score_ffi(stored)


def test_moving_answers_keeps_nulls_and_refuses_a_wrong_length():
    answers = (None, 3, *([0] * 21))
    assert ffi_from_first_order(answers)[:2] == (3, None)
    with pytest.raises(ValueError):
        ffi_from_first_order(answers[:-1])
    with pytest.raises(ValueError):
        ffi_to_first_order((*answers, 0))


def test_faam_has_21_adl_and_8_sports_items():
    assert [(s.subscale, len(s.items)) for s in FAAM.sections] == [
        (Subscale.ADL, 21),
        (Subscale.SPORTS, 8),
    ]
    assert len(FAAM.items) == 29


# The ids are stored with answers: this list pins them (and their order) so a change is
# deliberate. Never renumber; add new ids instead. The FFI pain ids keep the numbers of
# footcoach's first order; migration 0005 moved their answers to the published order.
PINNED = {
    "ffi": [f"ffi-pain-{n}" for n in (2, 1, 4, 3, 6, 5, 8, 7, 9)]
    + [f"ffi-disability-{n}" for n in range(1, 10)]
    + [f"ffi-activity-{n}" for n in range(1, 6)],
    "faam": [f"faam-adl-{n}" for n in range(1, 22)] + [f"faam-sports-{n}" for n in range(1, 9)],
}


@pytest.mark.parametrize("instrument", list(Instrument))
def test_ids_are_stable_unique_and_well_formed(instrument):
    q = questionnaire(instrument)
    ids = [item.id for item in q.items]
    assert ids == PINNED[instrument.value]
    assert len(set(ids)) == len(ids)
    assert all(ID.match(i) for i in ids)
    assert all(q.item(i).id == i for i in ids)


def test_every_item_sits_in_its_own_section():
    for q in QUESTIONNAIRES.values():
        for section in q.sections:
            assert all(item.subscale is section.subscale for item in section.items)
            assert q.items_in(section.subscale) == section.items


def test_ids_are_unique_across_both_questionnaires():
    ids = [item.id for q in QUESTIONNAIRES.values() for item in q.items]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("instrument", list(Instrument))
def test_labels_are_short_distinct_and_present(instrument):
    labels = [item.label for item in questionnaire(instrument).items]
    assert all(0 < len(label) <= 60 for label in labels), labels
    assert all(label[0].isupper() and not label.endswith(("?", ".")) for label in labels)
    assert len(set(labels)) == len(labels)


def test_ffi_answers_run_from_0_to_10_lower_is_better():
    for section in FFI.sections:
        scale = section.scale
        assert (scale.low, scale.high, scale.higher_is_better) == (0, 10, False)
        assert scale.label(0) and scale.label(10)
        assert scale.not_applicable


def test_faam_answers_run_from_0_unable_to_4_no_difficulty():
    for section in FAAM.sections:
        scale = section.scale
        assert (scale.low, scale.high, scale.higher_is_better) == (0, 4, True)
        assert [scale.label(v) for v in (4, 3, 2, 1, 0)] == [
            "no difficulty",
            "slight difficulty",
            "moderate difficulty",
            "extreme difficulty",
            "unable to do it",
        ]
        assert "other than your foot or ankle" in scale.not_applicable


def texts():
    """(where, text) for every word footcoach shows with the questionnaires."""
    for q in QUESTIONNAIRES.values():
        yield q.instrument.value, q.name
        for section in q.sections:
            yield f"{q.instrument.value}.{section.subscale.value}", section.question
            yield f"{q.instrument.value}.{section.subscale.value}", section.scale.not_applicable
            for value, label in section.scale.labels:
                yield f"{q.instrument.value}.{section.subscale.value}[{value}]", label
            for item in section.items:
                yield item.id, item.label


def test_labels_are_in_our_own_words():
    hits = own_words.copied_runs(texts(), own_words.stored_digests())
    assert hits == [], "copied from a seed:\n" + "\n".join(f"{w}: {r}" for w, r in hits)


def test_the_own_words_check_sees_these_texts():
    # guards against an empty texts() making the check above pass vacuously
    assert sum(1 for _ in texts()) > 23 + 29
