"""Progress of one profile as of a day, and its `footcoach.progress/1` document."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from footcoach.domain.diary import Instrument
from footcoach.domain.progress import Outcome, Progress, progress
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import Change
from footcoach.services.tracking import TrackingService

PROGRESS_SCHEMA = "footcoach.progress/1"

Document = dict[str, Any]

_SUBSCALES: dict[Instrument, tuple[Subscale, ...]] = {
    Instrument.FFI: (
        Subscale.PAIN,
        Subscale.DISABILITY,
        Subscale.ACTIVITY_LIMITATION,
        Subscale.TOTAL,
    ),
    Instrument.FAAM: (Subscale.ADL, Subscale.SPORTS),
}
"""The scores each outcome entry carries, in document order."""


def progress_for(tracking: TrackingService, name: str, day: date | None = None) -> Progress:
    """Progress of a profile as of `day` (default today), from one snapshot of its data.

    The adjustment and clinician prompt are the program's as it stands now, built from the
    whole diary, whatever the day.
    """
    snap = tracking.snapshot(name)
    return progress(
        snap.program,
        snap.diary,
        day or tracking.clock.today(),
        baseline=snap.profile.intake.first_step_pain,
        profile=name,
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _change(c: Change, digits: int) -> Document:
    return {
        "difference": round(c.difference, digits),
        "direction": c.direction.value,
        "mid": c.mid,
        "meaningful": c.meets_mid,
    }


def _changes(changes: Mapping[Subscale, Change]) -> Document:
    return {s.value: _change(c, 1) for s, c in changes.items()}


def _outcome(entry: Outcome) -> Document:
    scores = {s.value: _round(entry.scores.value(s), 1) for s in _SUBSCALES[entry.instrument]}
    return {
        "date": entry.taken_on.isoformat(),
        **scores,
        "change_from_first": _changes(entry.change_from_first),
        "change_from_previous": _changes(entry.change_from_previous),
        "meaningful": entry.meaningful,
    }


def progress_document(result: Progress) -> Document:
    """`footcoach.progress/1`: scores to one decimal, pain means and changes to two."""
    pain = result.first_step_pain
    share = result.adherence.share
    prompt = result.clinician_prompt
    return {
        "schema": PROGRESS_SCHEMA,
        "profile": result.profile,
        "date": result.day.isoformat(),
        "adherence": {
            "done": result.adherence.done,
            "planned": result.adherence.planned,
            "share": None if share is None else round(share, 3),
        },
        "streak_days": result.streak_days,
        "first_step_pain": {
            "baseline": pain.baseline,
            "latest_mean_7d": _round(pain.latest_mean_7d, 2),
            "change": _round(pain.difference, 2),
            "verdict": None if pain.verdict is None else pain.verdict.value,
            "days": [
                {"date": d.day.isoformat(), "value": d.value, "mean_7d": round(d.mean_7d, 2)}
                for d in pain.days
            ],
        },
        "ffi": [_outcome(e) for e in result.ffi],
        "faam": [_outcome(e) for e in result.faam],
        "phase": result.phase,
        "adjustment": None
        if result.adjustment is None
        else {"action": result.adjustment.action.value, "reason": result.adjustment.reason},
        "clinician_prompt": None
        if prompt is None
        else {"reasons": list(prompt.reasons), "advice": prompt.advice},
    }
