"""Assessment use cases that store nothing new: the safety screen, scores, scored questionnaires."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from footcoach.domain.catalog import suggest
from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import UnknownIdError
from footcoach.domain.intake import Intake
from footcoach.domain.scoring import Scores, score_faam, score_ffi, score_response
from footcoach.domain.screening import Referral
from footcoach.domain.screening import screen as screen_intake
from footcoach.services.tracking import TrackingService


@dataclass(frozen=True, slots=True)
class ScoredResponse:
    response: QuestionnaireResponse
    scores: Scores


def screen(intake: Intake) -> Referral | None:
    """The safety screen alone (rule R1): a referral, or None when self-management is reasonable."""
    return screen_intake(intake)


def instrument(key: str) -> Instrument:
    """The questionnaire a name stands for; UnknownIdError with the closest names otherwise."""
    names = tuple(i.value for i in Instrument)
    try:
        return Instrument(key)
    except ValueError:
        raise UnknownIdError("instrument", key, suggest(key, names), names) from None


def score(
    which: Instrument, answers: Sequence[int | None], sports: Sequence[int | None] = ()
) -> Scores:
    """The scores of one set of answers, stored nowhere (InvalidInputError names every fault).

    For the FAAM, `answers` holds the 21 ADL items and `sports` the 8 Sports items.
    """
    if which is Instrument.FFI:
        return score_ffi(answers)
    return score_faam(answers, sports)


def scored_questionnaires(tracking: TrackingService, name: str) -> list[ScoredResponse]:
    """Every questionnaire a profile has taken, oldest first, each with its scores."""
    _, diary = tracking.export(name)
    return [ScoredResponse(q, score_response(q)) for q in diary.questionnaires]
