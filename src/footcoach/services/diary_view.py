"""The diary page and the questionnaire pages: recent records, questionnaires taken, what is due.

Everything the web pages show is gathered here, so the routes stay thin renderers. Nothing is
written here; answers are stored by TrackingService.record_questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.intake import CheckIn
from footcoach.domain.progress import outcomes
from footcoach.domain.questionnaires import QUESTIONNAIRES, Questionnaire, Subscale
from footcoach.domain.scoring import Change, Scores, mid_for, score_response
from footcoach.services.assessment import ScoredResponse
from footcoach.services.tracking import QUESTIONNAIRE_EVERY_DAYS, NoProfileError, TrackingService

RECENT_DAYS = 14
"""How far back the diary page lists check-ins and sessions, today included."""

SUBSCALE_WORDS: dict[Subscale, str] = {
    Subscale.PAIN: "Pain",
    Subscale.DISABILITY: "Disability",
    Subscale.ACTIVITY_LIMITATION: "Activity limitation",
    Subscale.TOTAL: "Total",
    Subscale.ADL: "Everyday activities (ADL)",
    Subscale.SPORTS: "Sports",
}
"""What each score is called on the pages."""

NAMES: dict[Instrument, tuple[str, str]] = {
    Instrument.FFI: ("FFI", "Foot Function Index"),
    Instrument.FAAM: ("FAAM", "Foot and Ankle Ability Measure"),
}
"""Each questionnaire's short and full name, as the pages call it."""


@dataclass(frozen=True, slots=True)
class QuestionnaireStatus:
    """When a questionnaire was last taken and whether it is due again."""

    questionnaire: Questionnaire
    last_taken: date | None
    next_due: date | None
    """None when it was never taken: it is due now."""
    due: bool

    @property
    def instrument(self) -> Instrument:
        return self.questionnaire.instrument


@dataclass(frozen=True, slots=True)
class DiaryView:
    profile: str
    day: date
    since: date
    """The first day of the recent records listed."""
    checkin: CheckIn | None
    """Today's check-in (the check-in card reads it as `view.checkin`)."""
    checkins: tuple[CheckIn, ...]
    """Check-ins from `since` to `day`, newest first."""
    sessions: tuple[SessionRecord, ...]
    """Session records from `since` to `day`, newest first."""
    questionnaires: tuple[ScoredResponse, ...]
    """Every questionnaire taken up to `day`, newest first, with its scores."""
    status: tuple[QuestionnaireStatus, ...]
    """One per instrument, in the order FFI, FAAM."""


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One score of a questionnaire, with what is needed to explain it."""

    subscale: Subscale
    score: float | None
    counted: int | None
    """Items that counted (None for the FFI total, which is made of the subscales)."""
    items: int | None
    needed: int | None
    mid: float | None
    change: Change | None
    """Against the previous questionnaire of the same kind that had this score."""


@dataclass(frozen=True, slots=True)
class QuestionnaireResult:
    """The latest questionnaire of one kind, scored and compared with the one before."""

    questionnaire: Questionnaire
    taken_on: date
    scores: Scores
    lines: tuple[ScoreLine, ...]
    previous_on: date | None
    """When the questionnaire before it was taken, if there was one."""
    taken: int
    """How many of this kind have been taken."""


def questionnaire_status(
    questionnaire: Questionnaire, taken: list[date], day: date
) -> QuestionnaireStatus:
    if not taken:
        return QuestionnaireStatus(questionnaire, None, None, True)
    last = max(taken)
    next_due = last + timedelta(days=QUESTIONNAIRE_EVERY_DAYS)
    return QuestionnaireStatus(questionnaire, last, next_due, next_due <= day)


def diary_view(tracking: TrackingService, name: str, day: date | None = None) -> DiaryView:
    """The last RECENT_DAYS days of check-ins and sessions, and every questionnaire taken."""
    day = day or tracking.clock.today()
    since = day - timedelta(days=RECENT_DAYS - 1)
    with tracking.unit_of_work() as uow:
        profile_id = uow.profiles.id_of(name)
        if profile_id is None:
            raise NoProfileError(name)
        diary = uow.diary.diary(profile_id, since=since, with_items=False)
    checkins = tuple(c for c in reversed(diary.checkins) if c.day <= day)
    sessions = tuple(
        sorted(
            (s for s in diary.sessions if s.day <= day),
            key=lambda s: (s.day, s.started_at),
            reverse=True,
        )
    )
    taken = [q for q in diary.questionnaires if q.taken_on <= day]
    return DiaryView(
        profile=name,
        day=day,
        since=since,
        checkin=next((c for c in checkins if c.day == day), None),
        checkins=checkins,
        sessions=sessions,
        questionnaires=tuple(ScoredResponse(q, score_response(q)) for q in reversed(taken)),
        status=tuple(
            questionnaire_status(
                q, [r.taken_on for r in taken if r.instrument is q.instrument], day
            )
            for q in QUESTIONNAIRES.values()
        ),
    )


def _questionnaires(tracking: TrackingService, name: str) -> tuple[QuestionnaireResponse, ...]:
    """Every questionnaire taken, oldest first, read without the check-ins and sessions."""
    with tracking.unit_of_work() as uow:
        profile_id = uow.profiles.id_of(name)
        if profile_id is None:
            raise NoProfileError(name)
        # `since` limits check-ins and sessions only; questionnaires always come whole
        return uow.diary.diary(profile_id, since=date.max, with_items=False).questionnaires


def require_profile(tracking: TrackingService, name: str) -> None:
    """Raise NoProfileError unless this person has a profile (answers need somewhere to go)."""
    with tracking.unit_of_work() as uow:
        if uow.profiles.id_of(name) is None:
            raise NoProfileError(name)


SCORES: dict[Instrument, tuple[Subscale, ...]] = {
    Instrument.FFI: (
        Subscale.PAIN,
        Subscale.DISABILITY,
        Subscale.ACTIVITY_LIMITATION,
        Subscale.TOTAL,
    ),
    Instrument.FAAM: (Subscale.ADL, Subscale.SPORTS),
}
"""The scores of each questionnaire, in the order they are shown."""


def latest_result(
    tracking: TrackingService, name: str, instrument: Instrument
) -> QuestionnaireResult | None:
    """The latest questionnaire of this kind with its scores explained; None if never taken."""
    history = outcomes(_questionnaires(tracking, name), instrument, date.max)
    if not history:
        return None
    latest = history[-1]
    lines: list[ScoreLine] = []
    for subscale in SCORES[instrument]:
        if subscale is Subscale.TOTAL:
            counted = items = needed = None
        else:
            part = latest.scores.subscale(subscale)
            counted, items, needed = part.counted, part.items, part.needed
        lines.append(
            ScoreLine(
                subscale=subscale,
                score=latest.scores.value(subscale),
                counted=counted,
                items=items,
                needed=needed,
                mid=mid_for(instrument, subscale),
                change=latest.change_from_previous.get(subscale),
            )
        )
    return QuestionnaireResult(
        questionnaire=QUESTIONNAIRES[instrument],
        taken_on=latest.taken_on,
        scores=latest.scores,
        lines=tuple(lines),
        previous_on=history[-2].taken_on if len(history) > 1 else None,
        taken=len(history),
    )
