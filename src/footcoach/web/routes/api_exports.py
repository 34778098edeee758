"""JSON API, taking the diary elsewhere: CSV tables for a spreadsheet, and a FHIR R4 Bundle for
a health record (the person's own, and a linked person's for their clinician)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from footcoach.adapters.csv_tables import NAMES, known, names_from, table
from footcoach.bootstrap import Services
from footcoach.domain.errors import UnknownIdError
from footcoach.services.tracking import NoProfileError
from footcoach.web.auth import LinkedPersonDep
from footcoach.web.deps import ProfileDep, ServicesDep
from footcoach.web.heavy import HeavyDep
from footcoach.web.routes.api import PREFIX, problem_responses

router = APIRouter(prefix=PREFIX, tags=["export"])

CSV_TYPE = "text/csv; charset=utf-8"

TableName = Annotated[
    str,
    Path(
        description="checkins, sessions, items or questionnaires",
        json_schema_extra={"enum": list(NAMES)},
    ),
]


def _csv_responses() -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(404, 429)
    responses[200] = {
        "description": "The table: a header row, then one row per record (UTF-8, ISO dates)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
    return responses


@router.get(
    "/export/{name}.csv",
    response_class=Response,
    responses=_csv_responses(),
    summary="One table of the diary as CSV, for a spreadsheet",
)
def export_table(
    name: TableName, services: ServicesDep, profile: ProfileDep, _: HeavyDep
) -> Response:
    """checkins.csv (date, first-step pain), sessions.csv (one row per session), items.csv
    (one row per exercise of each session, joined to its session by the `session` number) and
    questionnaires.csv (one row per FFI or FAAM taken: its scores, then its answers by item).
    An empty cell means nothing was recorded."""
    known(name)  # before reading anything: a 404 that lists the names
    found = table(services.tracking.backup(profile), name, names_from(services.library.catalog))
    return Response(
        found.text(),
        media_type=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


FHIR_TYPE = "application/fhir+json"


def _fhir_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(*statuses)
    responses[200] = {
        "description": "A FHIR R4 Bundle of type collection (see docs/fhir.md)",
        "content": {FHIR_TYPE: {"schema": {"type": "object"}}},
    }
    return responses


def _bundle(services: Services, profile: str) -> Response:
    import json

    from footcoach.adapters.fhir_bundle import fhir_bundle

    clock = services.clock
    bundle = fhir_bundle(
        services.tracking.snapshot(profile), services.library.catalog, clock.today(), clock.now()
    )
    return Response(json.dumps(bundle, ensure_ascii=False), media_type=FHIR_TYPE)


@router.get(
    "/fhir/bundle",
    response_class=Response,
    responses=_fhir_responses(404, 429),
    summary="Your program and diary as a FHIR R4 Bundle, for a health record",
)
def my_bundle(services: ServicesDep, profile: ProfileDep, _: HeavyDep) -> Response:
    """A Patient (named by the profile name only), the program as a CarePlan, each check-in
    and questionnaire score as an Observation, each questionnaire as a QuestionnaireResponse,
    and each guided session as a Procedure."""
    return _bundle(services, profile)


@router.get(
    "/clinic/people/{user_id}/fhir/bundle",
    response_class=Response,
    responses=_fhir_responses(404, 429),
    summary="A linked person's program and diary as a FHIR R4 Bundle",
)
def person_bundle(
    user_id: int, services: ServicesDep, person: LinkedPersonDep, _: HeavyDep
) -> Response:
    """As GET /api/v1/fhir/bundle, for a person linked to this clinician (admins: anyone);
    404 for anyone else, as for an id nobody has."""
    missing = UnknownIdError("program", f"of person {person.id} (no intake answered yet)")
    if person.profile is None:
        raise missing
    try:
        return _bundle(services, person.profile)
    except NoProfileError:
        raise missing from None
