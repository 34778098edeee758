"""JSON API, progress: `GET /api/v1/progress`, the `footcoach.progress/1` document."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from footcoach.schemas.program import AdjustmentDoc, ClinicianPromptDoc
from footcoach.services.progress import progress_document, progress_for
from footcoach.web.deps import ProfileDep, ServicesDep
from footcoach.web.routes.api import (
    PREFIX,
    Strict,
    date_query,
    optional_day,
    problem_responses,
    send,
)

router = APIRouter(prefix=PREFIX, tags=["progress"])


# Documents (they describe the answer in OpenAPI; the answer itself is built by the service) ---


class AdherenceDoc(Strict):
    done: int = Field(ge=0, description="planned sessions done (a completed session that day)")
    planned: int = Field(
        ge=0, description="sessions planned from the first day to yesterday, plus today's done"
    )
    share: float | None = Field(
        ge=0, le=1, description="done / planned to 3 decimals; null when nothing was planned"
    )


class PainDayDoc(Strict):
    date: dt.date
    value: int = Field(ge=0, le=10, description="that morning's first-step pain")
    mean_7d: float = Field(ge=0, le=10, description="mean of the check-ins of the 7 days to it")


class FirstStepPainDoc(Strict):
    baseline: int = Field(ge=0, le=10, description="the first-step pain given at intake")
    latest_mean_7d: float | None = Field(description="to 2 decimals; null without a check-in")
    change: float | None = Field(
        description="latest_mean_7d - baseline to 2 decimals (negative = less pain)"
    )
    verdict: Literal["improved", "worse", "no_meaningful_change"] | None = Field(
        description="the change judged against its minimal important difference (2 points)"
    )
    days: list[PainDayDoc] = Field(description="every check-in up to the date, oldest first")


class ChangeDoc(Strict):
    difference: float = Field(description="later minus earlier, in points, to 1 decimal")
    direction: Literal["better", "worse", "same"]
    mid: float = Field(description="the minimal important difference of this score")
    meaningful: bool = Field(description="the difference reaches the MID, either way")


class FfiOutcomeDoc(Strict):
    """One FFI: scores 0 (best) to 100 (worst), to one decimal; null when not scored."""

    date: dt.date
    pain: float | None
    disability: float | None
    activity_limitation: float | None
    total: float | None
    change_from_first: dict[Literal["pain", "disability", "total"], ChangeDoc]
    change_from_previous: dict[Literal["pain", "disability", "total"], ChangeDoc]
    meaningful: bool = Field(description="some score changed from the first by its MID or more")


class FaamOutcomeDoc(Strict):
    """One FAAM: scores 0 (worst) to 100 (best), to one decimal; null when not scored."""

    date: dt.date
    adl: float | None
    sports: float | None
    change_from_first: dict[Literal["adl", "sports"], ChangeDoc]
    change_from_previous: dict[Literal["adl", "sports"], ChangeDoc]
    meaningful: bool = Field(description="some score changed from the first by its MID or more")


class ProgressDoc(Strict):
    """`footcoach.progress/1`: how the program is going as of a day (as `footcoach progress
    --json`)."""

    schema_: Literal["footcoach.progress/1"] = Field(alias="schema")
    profile: str
    date: dt.date = Field(description="progress as it stood on this day")
    adherence: AdherenceDoc
    streak_days: int = Field(ge=0, description="days running with every planned session done")
    first_step_pain: FirstStepPainDoc
    ffi: list[FfiOutcomeDoc] = Field(description="every FFI up to the date, oldest first")
    faam: list[FaamOutcomeDoc] = Field(description="every FAAM up to the date, oldest first")
    phase: str | None = Field(description="the current phase; null before the program starts")
    adjustment: AdjustmentDoc | None = Field(
        description="the pain monitor's latest adjustment (always as of today)"
    )
    clinician_prompt: ClinicianPromptDoc | None = Field(
        description="reasons to see a clinician, when there are any (always as of today)"
    )


# Route -------------------------------------------------------------------------------------


ProgressDate = date_query("YYYY-MM-DD (default: today); records after it are left out")


@router.get(
    "/progress",
    response_model=ProgressDoc,
    responses=problem_responses(404, 422),
    summary="How the program is going: adherence, first-step pain, FFI and FAAM, phase",
)
def progress(
    services: ServicesDep,
    profile: ProfileDep,
    day: ProgressDate = None,
) -> Response:
    when = optional_day(day)
    return send(progress_document(progress_for(services.tracking, profile, when)))
