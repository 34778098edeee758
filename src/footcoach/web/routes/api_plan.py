"""JSON API, planning: the safety screen, a program from an intake, the stored profile."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from footcoach.domain.backup import Backup
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.program import Status
from footcoach.schemas.backup import BackupProfileDoc as ProfileDoc
from footcoach.schemas.intake import HistoryDoc, IntakeDoc, parse_history, parse_intake
from footcoach.schemas.program import ProgramDoc, ReferralDoc
from footcoach.services import assessment
from footcoach.services.documents import backup_document, program_document, referral_document
from footcoach.services.planning import MAX_WEEKS
from footcoach.web.deps import PageCacheDep, ProfileDep, ServicesDep
from footcoach.web.routes.api import (
    PREFIX,
    Faults,
    JsonBody,
    Strict,
    conflict,
    json_object,
    known_id,
    parse_day,
    problem_responses,
    request_body,
    send,
    unknown_fields,
    whole_number,
)

if TYPE_CHECKING:
    from footcoach.bootstrap import Services

router = APIRouter(prefix=PREFIX, tags=["planning"])

_PROTOCOL = "a protocol id (default: footcoach); see GET /api/v1/protocols"
_START = "the program's first day (default: today)"
_WEEKS = f"how many weeks, 1 to {MAX_WEEKS} (default: the protocol's)"


class ScreenDoc(Strict):
    """The safety screen's answer: go ahead, or see a clinician first and why."""

    status: Status = Field(description="ok, or refer when a clinician should see you first")
    referral: ReferralDoc | None


class PlanRequest(Strict):
    """An intake, and optionally the pain history and how to lay the program out."""

    intake: IntakeDoc
    history: HistoryDoc | None = None
    protocol: str | None = Field(None, description=_PROTOCOL)
    start: dt.date | None = Field(None, description=_START)
    weeks: int | None = Field(None, ge=1, le=MAX_WEEKS, description=_WEEKS)


class ProfileRequest(IntakeDoc):
    """The intake answers, and optionally how to lay the program out."""

    protocol: str | None = Field(None, description=_PROTOCOL)
    start: dt.date | None = Field(None, description=_START)
    weeks: int | None = Field(None, ge=1, le=MAX_WEEKS, description=_WEEKS)
    replace: bool | None = Field(
        False, description="redo the stored profile (its diary is kept); null is false"
    )


_INTAKE_FIELDS = tuple(f.alias or name for name, f in IntakeDoc.model_fields.items())
_OPTIONS = ("protocol", "start", "weeks")


def _options(
    faults: Faults, data: dict[str, Any], services: Services
) -> tuple[str | None, dt.date | None, int | None]:
    """The protocol, start and weeks of a body, each checked; None when absent or bad."""
    protocol = start = weeks = None
    if data.get("protocol") is not None:
        ids = [p.id for p in services.planning.list_protocols()]
        protocol = faults.check(
            lambda: known_id("protocol", data["protocol"], services.planning.protocol, ids)
        )
    if data.get("start") is not None:
        start = faults.check(lambda: parse_day("start", data["start"]))
    if data.get("weeks") is not None:
        weeks = faults.check(lambda: whole_number("weeks", data["weeks"], 1, MAX_WEEKS))
    return protocol, start, weeks


@router.post(
    "/screen",
    response_model=ScreenDoc,
    responses=problem_responses(422),
    openapi_extra=request_body(IntakeDoc, "A footcoach.intake/1 document."),
    summary="Screen an intake for warning signs (nothing is stored)",
)
def screen(body: JsonBody) -> Response:
    faults = Faults()
    intake = faults.check(lambda: parse_intake(body))
    if intake is None:
        raise InvalidInputError(faults.problems)
    referral = assessment.screen(intake)
    return send(
        {
            "status": (Status.OK if referral is None else Status.REFER).value,
            "referral": None if referral is None else referral_document(referral),
        }
    )


@router.post(
    "/plan",
    response_model=ProgramDoc,
    responses=problem_responses(422),
    openapi_extra=request_body(PlanRequest, "An intake and how to plan from it."),
    summary="Build a program from an intake, or a referral instead (nothing is stored)",
)
def plan(body: JsonBody, services: ServicesDep) -> Response:
    """The same body always gives the same bytes (give `start` for that)."""
    data = json_object(body)
    faults = Faults()
    unknown_fields(faults, data, PlanRequest.model_fields)
    if "intake" not in data:
        faults.add("intake", None, "a value: this field is required")
    intake = (
        faults.check(lambda: parse_intake(data["intake"]), "intake") if "intake" in data else None
    )
    history = (
        faults.check(lambda: parse_history(data["history"]), "history")
        if data.get("history") is not None
        else None
    )
    protocol, start, weeks = _options(faults, data, services)
    if faults.problems or intake is None:
        raise InvalidInputError(faults.problems)
    program = services.planning.plan(
        intake, start or services.clock.today(), history, protocol, weeks
    )
    return send(program_document(program))


@router.get(
    "/profile",
    response_model=ProfileDoc,
    responses=problem_responses(404),
    summary="The stored profile: intake, protocol, start, weeks, preferences",
)
def get_profile(services: ServicesDep, profile: ProfileDep) -> Response:
    stored, diary = services.tracking.export(profile)
    return send(backup_document(Backup(stored, diary))["profile"])


@router.put(
    "/profile",
    response_model=ProgramDoc,
    status_code=201,
    responses={
        200: {
            "description": "The profile was redone (replace), or the screen referred: the "
            "program's status is refer and nothing was stored",
            "model": ProgramDoc,
        },
        **problem_responses(409, 422),
    },
    openapi_extra=request_body(ProfileRequest, "A footcoach.intake/1 document plus options."),
    summary="Answer the intake: screen it, store the profile and answer its program",
)
def put_profile(body: JsonBody, services: ServicesDep, profile: ProfileDep) -> Response:
    """201 with the program when a profile is created, 200 when one is replaced; a referral
    answers 200 with a program whose status is refer, and stores nothing."""
    data = json_object(body)
    faults = Faults()
    unknown_fields(faults, data, (*_INTAKE_FIELDS, *_OPTIONS, "replace"))
    answers = {k: v for k, v in data.items() if k in _INTAKE_FIELDS}
    intake = faults.check(lambda: parse_intake(answers))
    protocol, start, weeks = _options(faults, data, services)
    replace = False if data.get("replace") is None else data["replace"]
    if not isinstance(replace, bool):
        faults.add("replace", replace, "true or false")
    if faults.problems or intake is None:
        raise InvalidInputError(faults.problems)
    existed = profile in services.tracking.profiles()
    try:
        program = services.tracking.init(profile, intake, protocol, start, weeks, replace)
    except InvalidInputError as exc:
        if not all(p.field == "profile" for p in exc.problems):
            raise
        return conflict(
            'There is a profile already. Send "replace": true to redo its intake and plan; '
            "its diary is kept.",
            [Problem("replace", replace, "true, to redo the stored profile")],
        )
    document = program_document(program)
    if program.referral is not None:
        return send(document)
    return send(document, 200 if existed else 201, location=f"{PREFIX}/program")


@router.get(
    "/program",
    response_model=ProgramDoc,
    responses=problem_responses(404),
    summary="The stored profile's program as it stands today",
)
async def program(services: ServicesDep, profile: ProfileDep, pages: PageCacheDep) -> Response:
    """Built from the intake and everything recorded so far (the pain monitor included)."""
    return await pages.answer_async(
        ("api-program", profile),
        await services.tracking.revision_async(profile),
        lambda: program_answer(services, profile),
    )


def program_answer(services: Services, profile: str) -> Response:
    """GET /program's answer, worked out anew (blocking: a thread's work)."""
    return send(program_document(services.tracking.snapshot(profile).program))
