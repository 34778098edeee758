"""JSON API, follow-up: a clinician's people and their programs, and program changes with their
audit trail (a clinician's, and a person's own).

A change is a footcoach.program-change/1 document carrying `based_on_version`; who made it, in
which role and when come from the login and the server's clock. A change based on an older
version is refused with 409 and the changes made since (web.problems maps ConflictError).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from footcoach.bootstrap import Services
from footcoach.domain.accounts import Role, User
from footcoach.domain.changes import ChangeKind
from footcoach.domain.errors import InvalidInputError, Problem, UnknownIdError
from footcoach.schemas.changes import (
    ChangeRecordDoc,
    ProgramChangeDoc,
    change_document,
    parse_change,
    trail_document,
)
from footcoach.schemas.program import ProgramDoc
from footcoach.services.clinic import WINDOW_DAYS, PersonRow
from footcoach.services.clinic_summary import MAX_PAGE_SIZE, PAGE_SIZE, DashboardQuery, Filter
from footcoach.services.documents import program_document
from footcoach.services.tracking import NoProfileError
from footcoach.web.auth import ClinicianDep, LinkedPersonDep
from footcoach.web.deps import ProfileDep, ServicesDep
from footcoach.web.ids import PersonId
from footcoach.web.routes.api import (
    PREFIX,
    JsonBody,
    Strict,
    nested,
    problem_responses,
    request_body,
    send,
)
from footcoach.web.routes.clinic import (
    CurrentUserDep,
    PageDep,
    SearchDep,
    dashboard_page,
    page_link,
)

router = APIRouter(prefix=PREFIX, tags=["follow-up"])


class TrailDoc(Strict):
    """A program's version and every change that made it, oldest first."""

    version: int = Field(ge=0, description="how many changes the program has had")
    changes: list[ChangeRecordDoc]


class PersonProgramDoc(Strict):
    """A linked person's program as it stands today, its version and its audit trail."""

    person: dict[str, Any] = Field(description="id and email")
    version: int = Field(ge=0)
    program: ProgramDoc
    changes: list[ChangeRecordDoc]


class AttentionDoc(Strict):
    score: int = Field(
        description="8 referral or clinician prompt, 4 rising pain, 2 missed sessions, 1 no data; "
        "summed (0: on track)"
    )
    concerns: list[str] = Field(
        description="see_clinician, rising_pain, missed_sessions, no_data: highest first"
    )
    reasons: list[str] = Field(description="one sentence per concern, in the same order")


class AdherenceDoc(Strict):
    days: int = Field(description="the window, today included")
    done: int
    planned: int
    share: float | None


class PainTrendDoc(Strict):
    mean_last_7d: float | None
    mean_previous_7d: float | None
    change: float | None
    trend: str = Field(description="rising, falling, steady, or unknown (too few check-ins)")


class LatestScoreDoc(Strict):
    instrument: str
    score: str = Field(description="which score: the FFI total, the FAAM adl")
    value: float | None
    date: str


class PersonRowDoc(Strict):
    """One linked person on the dashboard."""

    id: int
    email: str
    intake_done: bool
    attention: AttentionDoc
    adherence: AdherenceDoc
    first_step_pain: PainTrendDoc
    scores: list[LatestScoreDoc]
    phase: str | None
    week: int | None
    weeks: int
    referral: list[str]
    clinician_prompt: list[str]
    last_activity: str | None


class PeopleDoc(Strict):
    date: str
    people: list[PersonRowDoc] = Field(description="this page's people, who needs attention first")
    total: int = Field(ge=0, description="people that match q and concern, on every page")
    page: int = Field(ge=1, description="the page given (a page past the last gives the last)")
    pages: int = Field(ge=1)
    per_page: int = Field(ge=1, le=MAX_PAGE_SIZE)
    counts: dict[str, int] = Field(
        description="of the people that match q, how many each concern would give (and "
        "on_track: those with none)"
    )
    previous: str | None = Field(description="the path of the page before, or null")
    next: str | None = Field(description="the path of the page after, or null")


class SavedChangeDoc(Strict):
    version: int = Field(ge=1, description="the program's version now")
    change: ChangeRecordDoc


def _change_responses() -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(404, 409, 422)
    responses[409] = {
        **responses[409],
        "description": "The program changed since based_on_version; nothing was written. The "
        "problem also carries based_on_version, current_version and changes_since (change "
        "records, oldest first), to show the difference before saving again.",
    }
    return responses


def row_document(row: PersonRow) -> dict[str, Any]:
    """One person of the dashboard."""
    s = row.signals
    share = s.adherence.share
    return {
        "id": row.user_id,
        "email": row.email,
        "intake_done": s.intake_done,
        "attention": {
            "score": row.attention.score,
            "concerns": [c.name.lower() for c in row.attention.concerns],
            "reasons": list(row.attention.reasons),
        },
        "adherence": {
            "days": WINDOW_DAYS,
            "done": s.adherence.done,
            "planned": s.adherence.planned,
            "share": None if share is None else round(share, 3),
        },
        "first_step_pain": {
            "mean_last_7d": None if s.pain.recent is None else round(s.pain.recent, 2),
            "mean_previous_7d": None if s.pain.previous is None else round(s.pain.previous, 2),
            "change": None if s.pain.change is None else round(s.pain.change, 2),
            "trend": s.pain.direction.value,
        },
        "scores": [
            {
                "instrument": sc.instrument.value,
                "score": sc.subscale.value,
                "value": None if sc.value is None else round(sc.value, 1),
                "date": sc.taken_on.isoformat(),
            }
            for sc in row.scores
        ],
        "phase": row.phase,
        "week": row.week,
        "weeks": row.weeks,
        "referral": list(s.referral),
        "clinician_prompt": list(s.prompt),
        "last_activity": None if s.last_activity is None else s.last_activity.isoformat(),
    }


def _profile_of(person: User) -> str:
    if person.profile is None:
        raise UnknownIdError("program", f"of person {person.id}")
    return person.profile


def _no_program(person: User) -> UnknownIdError:
    return UnknownIdError("program", f"of person {person.id} (no intake answered yet)")


def _save(
    services: Services, profile: str, body: object, who: str, role: str, kinds: tuple[str, ...]
) -> Response:
    """Parse, check and save a change; 201 with the change record and the new version."""
    clock = services.clock
    try:
        change, based_on = parse_change(body, who, role, clock.now(), clock.today())
    except InvalidInputError as exc:
        raise InvalidInputError(nested("", exc.problems)) from None
    if change.kind.value not in kinds:
        allowed = " or ".join(kinds)
        raise InvalidInputError(
            [Problem("kind", change.kind.value, f"{allowed}: a swap is for a clinician to make")]
        )
    version = services.prescriptions.change(profile, change, based_on)
    saved = services.prescriptions.changes(profile)[version - 1]  # as stored: the server's time
    return send({"version": version, "change": change_document(saved, version)}, 201)


PerPageDep = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description="people a page gives, 1 to 200")
]


@router.get(
    "/clinic/people",
    response_model=PeopleDoc,
    responses=problem_responses(422),
    summary="A clinician's linked people, who needs attention first, a page at a time",
)
def people(
    services: ServicesDep,
    clinician: ClinicianDep,
    q: SearchDep = "",
    concern: Filter | None = None,
    page: PageDep = 1,
    per_page: PerPageDep = PAGE_SIZE,
) -> Response:
    """Each person's adherence (last 14 days), first-step pain trend (last 7 days' mean against
    the 7 before), latest FFI and FAAM, phase, and the concerns behind their place in the order:
    a referral or a prompt to see a clinician, rising pain, missed sessions, no data. `q` keeps
    the people whose e-mail address holds it (any case), `concern` those with that concern
    (on_track: none); pages of `per_page` people, `previous` and `next` link to their
    neighbours."""
    found = dashboard_page(services, clinician, DashboardQuery(q, concern, page, per_page))
    path = f"{PREFIX}/clinic/people"
    return send(
        {
            "date": services.clock.today().isoformat(),
            "people": [row_document(r) for r in found.rows],
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "per_page": found.query.per_page,
            "counts": {f.value: n for f, n in found.counts.items()},
            "previous": page_link(path, found, found.page - 1, True)
            if found.has_previous
            else None,
            "next": page_link(path, found, found.page + 1, True) if found.has_next else None,
        }
    )


@router.get(
    "/clinic/people/{user_id}/program",
    response_model=PersonProgramDoc,
    responses=problem_responses(404),
    summary="A linked person's program, its version and its audit trail",
)
def person_program(user_id: PersonId, services: ServicesDep, person: LinkedPersonDep) -> Response:
    profile = _profile_of(person)
    try:
        trail = services.prescriptions.changes(profile)  # first: the program is as new or newer
        program = services.tracking.snapshot(profile).program
    except NoProfileError:
        raise _no_program(person) from None
    return send(
        {
            "person": {"id": person.id, "email": person.email},
            "version": len(trail),
            "program": program_document(program),
            "changes": trail_document(trail),
        }
    )


@router.post(
    "/clinic/people/{user_id}/program/changes",
    status_code=201,
    response_model=SavedChangeDoc,
    responses=_change_responses(),
    openapi_extra=request_body(ProgramChangeDoc, "A footcoach.program-change/1 document."),
    summary="Change a linked person's program: swap, dose or note, with the reason",
)
def change_person_program(
    user_id: PersonId,
    body: JsonBody,
    services: ServicesDep,
    person: LinkedPersonDep,
    clinician: ClinicianDep,
) -> Response:
    profile = _profile_of(person)
    try:
        return _save(
            services,
            profile,
            body,
            clinician.email,
            clinician.role.value,
            tuple(k.value for k in ChangeKind),
        )
    except NoProfileError:
        raise _no_program(person) from None


@router.get(
    "/program/changes",
    response_model=TrailDoc,
    responses=problem_responses(404),
    summary="Your program's audit trail: every change, who made it, when and why",
)
def my_changes(services: ServicesDep, profile: ProfileDep) -> Response:
    trail = services.prescriptions.changes(profile)
    return send({"version": len(trail), "changes": trail_document(trail)})


@router.post(
    "/program/changes",
    status_code=201,
    response_model=SavedChangeDoc,
    responses=_change_responses(),
    openapi_extra=request_body(ProgramChangeDoc, "A footcoach.program-change/1 document."),
    summary="Change your own program: a dose or a note, with the reason",
)
def change_my_program(
    body: JsonBody, services: ServicesDep, profile: ProfileDep, user: CurrentUserDep
) -> Response:
    who = user.email if user is not None else "you"
    kinds = (ChangeKind.DOSE.value, ChangeKind.NOTE.value)
    return _save(services, profile, body, who, Role.PERSON.value, kinds)
