"""Scoring the FFI and the FAAM exactly as clinical.md R6 says, and whether a change matters.

FFI (0 = best, 100 = worst):
    subscale = 100 x sum of the applicable items / (10 x number of applicable items);
    null when none of the subscale's items applies.
    total = mean of the three subscales; null when any subscale is null.
FAAM (0 = worst, 100 = best):
    subscale = 100 x sum of the answered items / (4 x number of answered items);
    null unless at least 19 of the 21 ADL items (7 of the 8 Sports items) are answered.

Why the FFI total is the mean of the subscales: Budiman-Mak 1991 allows either that or the sum
of all items / 230. The two agree only when every item applies; with items marked not
applicable, the sum/230 form counts them as 0 (as if painless), which flatters the score, and
it weighs the 5-item activity subscale less than the others. The mean keeps each subscale on
its own applicable items and weighs the three equally, as R6 chooses. A total built from fewer
than three subscales would not be comparable with one built from three, so it is null instead.

Answers are validated here, not only at the edge, so every face gets the same Problems: one per
fault, naming the field ("items[3]", "adl[20]"), the value, and what is allowed. Scores stay
floats; documents round them to one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.questionnaires import FAAM, FFI, AnswerScale, Item, Subscale

FAAM_MIN_ANSWERED: Final[dict[Subscale, int]] = {Subscale.ADL: 19, Subscale.SPORTS: 7}
"""Answered items a FAAM subscale needs before it is reported: 90% of its items (Martin 2005)."""

FFI_PAIN_MID: Final = 12.0
"""FFI pain subscale, points on 0-100. Landorf & Radford, The Foot 2008;18:15-19,
doi:10.1016/j.foot.2007.06.006 (clinical.md section 6, verified)."""
FFI_DISABILITY_MID: Final = 7.0
"""FFI disability subscale, points on 0-100. Landorf & Radford 2008 (as FFI_PAIN_MID)."""
FFI_TOTAL_MID: Final = 7.0
"""FFI total, points on 0-100. Landorf & Radford 2008 (as FFI_PAIN_MID)."""
FAAM_ADL_MID: Final = 8.0
"""FAAM ADL subscale, points on 0-100. Martin RL, Irrgang JJ, Burdett RG, Conti SF,
Van Swearingen JM, Foot Ankle Int 2005;26(11):968-983: its abstract gives minimal clinically
important differences of 8 (ADL) and 9 (Sports) points."""
FAAM_SPORTS_MID: Final = 9.0
"""FAAM Sports subscale, points on 0-100. Martin et al. 2005 (as FAAM_ADL_MID)."""
FIRST_STEP_PAIN_MID: Final = 2.0
"""First-step pain on the 0-10 NRS. footcoach's own conversion (not published) of the 19 mm on a
100 mm VAS (95% CI 13-25) in Landorf, Radford & Hudson, J Foot Ankle Res 2010;3:7."""

MIDS: Final[dict[tuple[Instrument, Subscale], float]] = {
    (Instrument.FFI, Subscale.PAIN): FFI_PAIN_MID,
    (Instrument.FFI, Subscale.DISABILITY): FFI_DISABILITY_MID,
    (Instrument.FFI, Subscale.TOTAL): FFI_TOTAL_MID,
    (Instrument.FAAM, Subscale.ADL): FAAM_ADL_MID,
    (Instrument.FAAM, Subscale.SPORTS): FAAM_SPORTS_MID,
}
"""The published minimal important differences; the FFI activity limitation subscale has none."""

_TOLERANCE = 1e-9
"""Subscale scores are fractions such as 100 x 43 / 90; a change equal to the MID must count."""


def mid_for(instrument: Instrument, subscale: Subscale) -> float | None:
    """The minimal important difference of one score, or None when none is published."""
    return MIDS.get((instrument, subscale))


# Scores -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscaleScore:
    subscale: Subscale
    score: float | None
    """0-100, unrounded; None when too few items counted."""
    counted: int
    """Items that counted: applicable (FFI) or answered (FAAM)."""
    items: int
    """Items in the subscale."""
    needed: int
    """Items that must count before there is a score."""


@dataclass(frozen=True, slots=True)
class Scores:
    instrument: Instrument
    subscales: tuple[SubscaleScore, ...]
    total: float | None = None
    """FFI only: the mean of the three subscales, None if any of them is None."""

    @property
    def higher_is_better(self) -> bool:
        return self.instrument is Instrument.FAAM

    def subscale(self, subscale: Subscale) -> SubscaleScore:
        for s in self.subscales:
            if s.subscale is subscale:
                return s
        raise KeyError(subscale)

    def value(self, subscale: Subscale) -> float | None:
        """One score by name, the FFI total included."""
        if subscale is Subscale.TOTAL and self.instrument is Instrument.FFI:
            return self.total
        return self.subscale(subscale).score


# Validation ---------------------------------------------------------------------------------


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _allowed(scale: AnswerScale, where: str = "") -> str:
    low, high = scale.low, scale.high
    if scale.higher_is_better:
        words = f"a whole number from {low} ({scale.label(low)}) to {high} ({scale.label(high)})"
    else:
        words = f"a whole number from {low} to {high}"
    return f"{words}, or null if not applicable{where}"


def _shown(value: object) -> object:
    """A JSON scalar as given; anything bigger by its type's name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return type(value).__name__


def _check(
    field: str, values: object, items: tuple[Item, ...], scale: AnswerScale, kind: str
) -> tuple[list[Problem], list[int | None]]:
    """Problems with one list of answers, and the answers that passed (None for the rest)."""
    count = len(items)
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        return [
            Problem(field, _shown(values), f"a list of {count} answers, each {_allowed(scale)}")
        ], []
    problems: list[Problem] = []
    if len(values) != count:
        problems.append(
            Problem(
                field,
                f"{len(values)} answer{'' if len(values) == 1 else 's'}",
                f"exactly {count} answers, one per item in order; null marks one that does not "
                "apply",
            )
        )
    good: list[int | None] = []
    for i, value in enumerate(values):
        if value is None or (_is_whole(value) and scale.low <= value <= scale.high):
            good.append(value)
            continue
        where = f" ({kind} {i + 1} of {count}: {items[i].id})" if i < count else ""
        problems.append(Problem(f"{field}[{i}]", _shown(value), _allowed(scale, where)))
        good.append(None)
    return problems, good


def ffi_answers(items: object) -> tuple[int | None, ...]:
    """The 23 FFI answers, validated: whole numbers 0-10 or None (not applicable)."""
    # one list of all 23 items: every FFI section shares the 0-10 range
    problems, good = _check("items", items, FFI.items, FFI.sections[0].scale, "item")
    if problems:
        raise InvalidInputError(problems)
    return tuple(good)


def faam_answers(
    adl: object, sports: object
) -> tuple[tuple[int | None, ...], tuple[int | None, ...]]:
    """The 21 ADL and 8 Sports answers, validated: whole numbers 0-4 or None (N/A, blank)."""
    problems: list[Problem] = []
    parts: list[tuple[int | None, ...]] = []
    for field, values, section in (
        ("adl", adl, FAAM.section(Subscale.ADL)),
        ("sports", sports, FAAM.section(Subscale.SPORTS)),
    ):
        kind = "ADL item" if section.subscale is Subscale.ADL else "Sports item"
        found, good = _check(field, values, section.items, section.scale, kind)
        problems += found
        parts.append(tuple(good))
    if problems:
        raise InvalidInputError(problems)
    return parts[0], parts[1]


# Scoring ------------------------------------------------------------------------------------


def _ratio(values: Sequence[int | None], maximum: int) -> tuple[float | None, int]:
    counted = [v for v in values if v is not None]
    if not counted:
        return None, 0
    return 100.0 * sum(counted) / (maximum * len(counted)), len(counted)


def score_ffi(items: Sequence[int | None]) -> Scores:
    """FFI subscales and total from the 23 answers in order (None = not applicable)."""
    answers = ffi_answers(items)
    subscales: list[SubscaleScore] = []
    start = 0
    for section in FFI.sections:
        part = answers[start : start + len(section.items)]
        start += len(section.items)
        score, counted = _ratio(part, section.scale.high)
        subscales.append(SubscaleScore(section.subscale, score, counted, len(part), 1))
    values = [s.score for s in subscales]
    total = None if any(v is None for v in values) else math.fsum(v or 0.0 for v in values) / 3
    return Scores(Instrument.FFI, tuple(subscales), total)


def score_faam(adl: Sequence[int | None], sports: Sequence[int | None]) -> Scores:
    """FAAM ADL and Sports from their answers in order (None = not applicable or blank)."""
    answers = faam_answers(adl, sports)
    subscales: list[SubscaleScore] = []
    for section, part in zip(FAAM.sections, answers, strict=True):
        needed = FAAM_MIN_ANSWERED[section.subscale]
        score, counted = _ratio(part, section.scale.high)
        reported = score if counted >= needed else None
        subscales.append(SubscaleScore(section.subscale, reported, counted, len(part), needed))
    return Scores(Instrument.FAAM, tuple(subscales))


def score_response(response: QuestionnaireResponse) -> Scores:
    """The scores of a stored response (for the FAAM, answers holds ADL and sports Sports)."""
    if response.instrument is Instrument.FFI:
        return score_ffi(response.answers)
    return score_faam(response.answers, response.sports)


# Change -------------------------------------------------------------------------------------


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two scores of one measure, judged against its MID."""

    measure: str
    """What was measured, e.g. "ffi pain", "faam adl", "first-step pain"."""
    before: float
    after: float
    mid: float
    higher_is_better: bool
    difference: float
    """after - before, in the measure's own points (its sign says nothing about better)."""
    direction: Direction
    meets_mid: bool
    """The size of the change is at least the MID, whichever way it went."""

    @property
    def improvement(self) -> bool:
        """The score moved the good way (by any amount)."""
        return self.direction is Direction.BETTER

    @property
    def important_improvement(self) -> bool:
        return self.improvement and self.meets_mid

    @property
    def important_worsening(self) -> bool:
        return self.direction is Direction.WORSE and self.meets_mid


def _judge(
    measure: str, before: float, after: float, mid: float, higher_is_better: bool, top: float
) -> Change:
    problems = [
        Problem(name, value, f"a score from 0 to {top:g}")
        for name, value in (("before", before), ("after", after))
        if isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= top
    ]
    if problems:
        raise InvalidInputError(problems)
    difference = float(after) - float(before)
    if abs(difference) <= _TOLERANCE:
        direction = Direction.SAME
    elif (difference > 0) == higher_is_better:
        direction = Direction.BETTER
    else:
        direction = Direction.WORSE
    return Change(
        measure=measure,
        before=float(before),
        after=float(after),
        mid=mid,
        higher_is_better=higher_is_better,
        difference=difference,
        direction=direction,
        meets_mid=abs(difference) >= mid - _TOLERANCE,
    )


def change(instrument: Instrument, subscale: Subscale, before: float, after: float) -> Change:
    """Whether a change in one score passes its MID, and whether it is an improvement.

    FFI scores improve downwards, FAAM scores upwards. Raises InvalidInputError for a score
    outside 0-100, or a subscale with no published MID (FFI activity limitation) or not part of
    the instrument.
    """
    mid = mid_for(instrument, subscale)
    if mid is None:
        names = ", ".join(s.value for (i, s) in MIDS if i is instrument)
        raise InvalidInputError(
            [
                Problem(
                    "subscale",
                    subscale.value,
                    f"one with a published MID for {instrument}: {names}",
                )
            ]
        )
    return _judge(
        f"{instrument.value} {subscale.value}",
        before,
        after,
        mid,
        higher_is_better=instrument is Instrument.FAAM,
        top=100.0,
    )


def first_step_pain_change(before: float, after: float) -> Change:
    """Whether a change in first-step pain (0-10 NRS) passes FIRST_STEP_PAIN_MID; lower = better."""
    return _judge(
        "first-step pain", before, after, FIRST_STEP_PAIN_MID, higher_is_better=False, top=10.0
    )
