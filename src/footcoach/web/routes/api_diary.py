"""JSON API, day to day: today, check-ins, questionnaires and scores, export and import."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import Field

from footcoach.bootstrap import Services
from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.intake import PAIN_RANGE
from footcoach.domain.planner import Outlook
from footcoach.schemas.backup import BackupDoc, parse_backup
from footcoach.schemas.program import AdjustmentDoc, ClinicianPromptDoc, ReferralDoc, SessionDoc
from footcoach.schemas.scores import (
    FAAM_ANSWERS_SCHEMA,
    FFI_ANSWERS_SCHEMA,
    FaamAnswersDoc,
    FfiAnswersDoc,
    parse_faam_answers,
    parse_ffi_answers,
    score_document,
)
from footcoach.services import assessment
from footcoach.services.documents import backup_document, today_document
from footcoach.services.restoring import CancelFlag, check_document
from footcoach.services.tracking import SessionState
from footcoach.web.deps import PageCacheDep, ProfileDep, ServicesDep
from footcoach.web.heavy import HeavyDep, off_the_loop
from footcoach.web.routes.api import (
    PREFIX,
    Faults,
    JsonBody,
    Strict,
    conflict,
    date_query,
    json_object,
    known_id,
    optional_day,
    parse_day,
    problem_responses,
    request_body,
    send,
    unknown_fields,
    whole_number,
)

router = APIRouter(prefix=PREFIX, tags=["diary"])

INSTRUMENTS = [i.value for i in Instrument]
InstrumentPath = Annotated[
    str, Path(description="ffi or faam", json_schema_extra={"enum": INSTRUMENTS})
]


# Documents ---------------------------------------------------------------------------------


class CheckinStateDoc(Strict):
    first_step_pain: int = Field(ge=0, le=10)


class TodaySessionDoc(SessionDoc):
    state: SessionState


class TodayDoc(Strict):
    """`footcoach.today/1`: one day's sessions, check-in and pain-monitor state."""

    schema_: Literal["footcoach.today/1"] = Field(alias="schema")
    profile: str
    date: dt.date
    week: int | None = Field(description="null before the program starts and after it ends")
    phase: str | None
    checkin: CheckinStateDoc | None
    checkin_due: bool
    sessions: list[TodaySessionDoc]
    adjustment: AdjustmentDoc | None
    clinician_prompt: ClinicianPromptDoc | None
    questionnaires_due: list[Instrument]
    referral: ReferralDoc | None = Field(
        description="set when the stored answers need a clinician first: no sessions then"
    )
    starts_on: dt.date | None = Field(description="set when the program has not started yet")
    ended_on: dt.date | None = Field(description="set when the program's last day has passed")


class CheckinRequest(Strict):
    """This morning's first-step pain."""

    first_step_pain: int = Field(ge=0, le=10, description="0 = no pain, 10 = worst imaginable")
    date: dt.date | None = Field(None, description="the day (default: today)")


class CheckinDoc(Strict):
    """The check-in as recorded, and what the pain monitor now makes of the program."""

    date: dt.date
    first_step_pain: int
    adjustment: AdjustmentDoc | None
    clinician_prompt: ClinicianPromptDoc | None


class ScoreDoc(Strict):
    """`footcoach.score/1`: scores from 0 to 100, to one decimal; null when not scored.
    The FFI has pain, disability, activity_limitation and total (0 = best); the FAAM has adl
    and sports (100 = best)."""

    schema_: Literal["footcoach.score/1"] = Field(alias="schema")
    instrument: Instrument
    pain: float | None = None
    disability: float | None = None
    activity_limitation: float | None = None
    total: float | None = None
    adl: float | None = None
    sports: float | None = None


class TakenDoc(Strict):
    """A questionnaire taken: its raw answers and their scores."""

    instrument: Instrument
    date: dt.date
    answers: FfiAnswersDoc | FaamAnswersDoc
    scores: ScoreDoc


class FfiRequest(FfiAnswersDoc):
    date: dt.date | None = Field(None, description="when it was taken (default: today)")


class FaamRequest(FaamAnswersDoc):
    date: dt.date | None = Field(None, description="when it was taken (default: today)")


class ImportDoc(Strict):
    """What was restored, under which profile name."""

    profile: str
    checkins: int
    sessions: int
    questionnaires: int
    program_changes: int = Field(description="the program's audit trail, restored as it was")


# Reading answers ---------------------------------------------------------------------------

_ANSWER_FIELDS = {Instrument.FFI: ("schema", "items"), Instrument.FAAM: ("schema", "adl", "sports")}


def _answers(
    which: Instrument, data: object
) -> tuple[tuple[int | None, ...], tuple[int | None, ...]]:
    """The validated answers of an answers document (FAAM: ADL, then Sports)."""
    if which is Instrument.FFI:
        return parse_ffi_answers(data), ()
    return parse_faam_answers(data)


def _answers_document(response: QuestionnaireResponse) -> dict[str, Any]:
    if response.instrument is Instrument.FFI:
        return {"schema": FFI_ANSWERS_SCHEMA, "items": list(response.answers)}
    return {
        "schema": FAAM_ANSWERS_SCHEMA,
        "adl": list(response.answers),
        "sports": list(response.sports),
    }


# Routes ------------------------------------------------------------------------------------


TodayDate = date_query("YYYY-MM-DD (default: today)")


@router.get(
    "/today",
    response_model=TodayDoc,
    responses=problem_responses(404, 422),
    summary="One day's sessions, check-in and pain-monitor state",
)
async def today(
    services: ServicesDep,
    profile: ProfileDep,
    pages: PageCacheDep,
    day: TodayDate = None,
) -> Response:
    """On the event loop, answered again unchanged while the profile's revision holds."""
    when = optional_day(day) or services.clock.today()
    revision = await services.tracking.revision_async(profile)
    return await pages.answer_async(
        ("api-today", profile, when),
        revision,
        lambda: today_answer(services, profile, when),
    )


def today_answer(services: Services, profile: str, day: dt.date) -> Response:
    """GET /today's answer for a day, worked out anew (blocking: a thread's work)."""
    return send(today_document(services.tracking.today(profile, day)))


def _checkin_body(body: object, default_day: dt.date) -> tuple[int, dt.date]:
    """The first-step pain and the day of a check-in body, or every problem with it."""
    data = json_object(body)
    faults = Faults()
    unknown_fields(faults, data, CheckinRequest.model_fields)
    if "first_step_pain" not in data:
        faults.add("first_step_pain", None, "a value: this field is required")
    pain = (
        faults.check(lambda: whole_number("first_step_pain", data["first_step_pain"], *PAIN_RANGE))
        if "first_step_pain" in data
        else None
    )
    day = (
        faults.check(lambda: parse_day("date", data["date"]))
        if data.get("date") is not None
        else default_day
    )
    if faults.problems or pain is None or day is None:
        raise InvalidInputError(faults.problems)
    return pain, day


def _checkin_document(day: dt.date, pain: int, said: Outlook) -> dict[str, Any]:
    adjustment, prompt = said.adjustment, said.clinician_prompt
    return {
        "date": day.isoformat(),
        "first_step_pain": pain,
        "adjustment": None
        if adjustment is None
        else {"action": adjustment.action.value, "reason": adjustment.reason},
        "clinician_prompt": None
        if prompt is None
        else {"reasons": list(prompt.reasons), "advice": prompt.advice},
    }


@router.post(
    "/checkins",
    response_model=CheckinDoc,
    status_code=201,
    responses=problem_responses(404, 409, 422),
    openapi_extra=request_body(CheckinRequest, "The morning's first-step pain."),
    summary="Record the morning's first-step pain (once a day)",
)
def checkin(body: JsonBody, services: ServicesDep, profile: ProfileDep) -> Response:
    pain, day = _checkin_body(body, services.clock.today())
    try:
        said = services.tracking.checkin(profile, pain, day)
    except InvalidInputError as exc:  # the value is valid, so only the day can clash
        return conflict(
            f"{day.isoformat()} has a check-in already; change it with PUT "
            f"{PREFIX}/checkins/{day.isoformat()}.",
            list(exc.problems),
        )
    document = _checkin_document(day, pain, said)
    return send(document, 201, location=f"{PREFIX}/today?date={day.isoformat()}")


CheckinDay = Annotated[
    str, Path(description="the day of the check-in to change, YYYY-MM-DD", examples=["2026-11-23"])
]


@router.put(
    "/checkins/{date}",
    response_model=CheckinDoc,
    responses=problem_responses(404, 422),
    openapi_extra=request_body(
        CheckinRequest,
        "The corrected first-step pain; a date in the body, when given, is the path's.",
    ),
    summary="Correct a day's first-step pain (kept in the audit trail; the monitor reads it)",
)
async def correct_checkin(
    date: CheckinDay, body: JsonBody, services: ServicesDep, profile: ProfileDep
) -> Response:
    day, pain = correction_of(date, body)
    said = await services.tracking.correct_checkin_async(profile, pain, day)
    return checkin_corrected(day, pain, said)


def correction_of(path_day: str, body: object) -> tuple[dt.date, int]:
    """The day and the new pain of a correction, or every problem with them (nothing is
    written for a bad request)."""
    faults = Faults()
    day = faults.check(lambda: parse_day("date", path_day))
    if day is None:
        raise InvalidInputError(faults.problems)
    pain, given = _checkin_body(body, day)
    if given != day:
        raise InvalidInputError(
            [Problem("date", given.isoformat(), f"the day in the path, {day.isoformat()}")]
        )
    return day, pain


def checkin_corrected(day: dt.date, pain: int, said: Outlook) -> Response:
    """The answer to a correction: the check-in as it now stands and the monitor's outlook."""
    return send(_checkin_document(day, pain, said))


@router.get(
    "/questionnaires",
    response_model=list[TakenDoc],
    responses=problem_responses(404),
    summary="The questionnaires taken, oldest first, with their scores",
)
def questionnaires(services: ServicesDep, profile: ProfileDep) -> Response:
    return send(
        [
            {
                "instrument": s.response.instrument.value,
                "date": s.response.taken_on.isoformat(),
                "answers": _answers_document(s.response),
                "scores": score_document(s.scores),
            }
            for s in assessment.scored_questionnaires(services.tracking, profile)
        ]
    )


def _take(instrument: str, body: object, services: Services, profile: str) -> Response:
    which = assessment.instrument(instrument)
    data = json_object(body)
    faults = Faults()
    fields = _ANSWER_FIELDS[which]
    unknown_fields(faults, data, (*fields, "date"))
    taken_on = (
        faults.check(lambda: parse_day("date", data["date"]))
        if data.get("date") is not None
        else services.clock.today()
    )
    answers = faults.check(lambda: _answers(which, {k: v for k, v in data.items() if k in fields}))
    if faults.problems or answers is None or taken_on is None:
        raise InvalidInputError(faults.problems)
    response = QuestionnaireResponse(which, taken_on, *answers)
    scores = services.tracking.record_questionnaire(profile, response)
    return send(score_document(scores), 201, location=f"{PREFIX}/questionnaires")


def _score(instrument: str, body: object) -> Response:
    which = assessment.instrument(instrument)
    faults = Faults()
    answers = faults.check(lambda: _answers(which, body))
    if answers is None:
        raise InvalidInputError(faults.problems)
    return send(score_document(assessment.score(which, *answers)))


# One documented route per instrument, each with its own body, so that the description says
# which shape each takes; any other name gets the 404 that lists the instruments.


@router.post(
    "/questionnaires/ffi",
    response_model=ScoreDoc,
    status_code=201,
    responses=problem_responses(404, 422),
    openapi_extra=request_body(FfiRequest, "The answers, and optionally the day they were given."),
    summary="Store the answers to the FFI, and score them",
)
def take_ffi(body: JsonBody, services: ServicesDep, profile: ProfileDep) -> Response:
    return _take(Instrument.FFI.value, body, services, profile)


@router.post(
    "/questionnaires/faam",
    response_model=ScoreDoc,
    status_code=201,
    responses=problem_responses(404, 422),
    openapi_extra=request_body(FaamRequest, "The answers, and optionally the day they were given."),
    summary="Store the answers to the FAAM, and score them",
)
def take_faam(body: JsonBody, services: ServicesDep, profile: ProfileDep) -> Response:
    return _take(Instrument.FAAM.value, body, services, profile)


@router.post("/questionnaires/{instrument}", include_in_schema=False)
def take_questionnaire(
    instrument: InstrumentPath, body: JsonBody, services: ServicesDep, profile: ProfileDep
) -> Response:
    return _take(instrument, body, services, profile)


@router.post(
    "/scores/ffi",
    response_model=ScoreDoc,
    responses=problem_responses(422),
    openapi_extra=request_body(FfiAnswersDoc, "The answers."),
    summary="Score answers to the FFI (nothing is stored)",
)
def score_ffi(body: JsonBody) -> Response:
    return _score(Instrument.FFI.value, body)


@router.post(
    "/scores/faam",
    response_model=ScoreDoc,
    responses=problem_responses(422),
    openapi_extra=request_body(FaamAnswersDoc, "The answers."),
    summary="Score answers to the FAAM (nothing is stored)",
)
def score_faam(body: JsonBody) -> Response:
    return _score(Instrument.FAAM.value, body)


@router.post("/scores/{instrument}", include_in_schema=False)
def score(instrument: InstrumentPath, body: JsonBody) -> Response:
    return _score(instrument, body)


@router.get(
    "/export",
    response_model=BackupDoc,
    responses=problem_responses(404, 429),
    summary="Everything of the profile as one footcoach.backup/1 document",
)
def export(services: ServicesDep, profile: ProfileDep, _: HeavyDep) -> Response:
    return send(backup_document(services.tracking.backup(profile)))


@router.post(
    "/import",
    response_model=ImportDoc,
    status_code=201,
    responses=problem_responses(409, 422, 429),
    openapi_extra=request_body(BackupDoc, "A footcoach.backup/1 document (from GET /export)."),
    summary="Restore a backup into this profile, when it has no data yet",
)
async def import_(
    request: Request, body: JsonBody, services: ServicesDep, profile: ProfileDep, _: HeavyDep
) -> Response:
    """The backup's own profile name is replaced by this profile's. Each table takes at most
    a set number of rows (422 naming the table and the cap). The rows are written in a pool
    thread, in one transaction: a client that goes away stops it, and nothing is kept."""
    data = json_object(body)
    check_document(data)  # before the parse: a huge backup costs nothing more
    backup = parse_backup(data)
    stored = backup.profile
    ids = [p.id for p in services.planning.list_protocols()]
    known_id("profile.protocol", stored.protocol, services.planning.protocol, ids)

    def restore(flag: CancelFlag) -> None:
        services.tracking.restore(
            replace(stored, name=profile), backup.diary, backup.changes, flag.checkpoint
        )

    try:
        await off_the_loop(request, restore)
    except InvalidInputError as exc:
        if not all(p.field == "profile" for p in exc.problems):
            raise
        return conflict(
            "This profile has data already; a backup is restored only into an empty one.",
            list(exc.problems),
        )
    document = {
        "profile": profile,
        "checkins": len(backup.diary.checkins),
        "sessions": len(backup.diary.sessions),
        "questionnaires": len(backup.diary.questionnaires),
        "program_changes": len(backup.changes),
    }
    return send(document, 201, location=f"{PREFIX}/profile")
