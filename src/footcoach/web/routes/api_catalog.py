"""JSON API, the library: exercises, sources, conflicts and protocols (read only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from footcoach.domain.catalog import Category, Equipment, Position
from footcoach.domain.evidence import SourceKind, Strength
from footcoach.schemas.exercise import ExerciseDoc
from footcoach.schemas.program import ProtocolDoc
from footcoach.services.catalog import parse_filter
from footcoach.services.documents import (
    conflict_document,
    exercise_document,
    protocol_document,
    source_document,
)
from footcoach.web.deps import ServicesDep
from footcoach.web.routes.api import PREFIX, Strict, problem_responses, send

router = APIRouter(prefix=PREFIX, tags=["library"])


class SourceDoc(Strict):
    """`footcoach.source/1`: a source footcoach cites, and how strong its evidence is."""

    schema_: Literal["footcoach.source/1"] = Field(alias="schema")
    id: str
    kind: SourceKind
    title: str
    citation: str
    strength: str = Field(
        description="from weakest to strongest: " + ", ".join(s.label for s in Strength)
    )
    strength_explained: str
    confidence: str | None = Field(description="how well the citation was checked")
    summary: str


class PositionDoc(Strict):
    source: str = Field(description="a source id")
    position: str


class ConflictDoc(Strict):
    """`footcoach.conflict/1`: where sources disagree, and what footcoach does about it."""

    schema_: Literal["footcoach.conflict/1"] = Field(alias="schema")
    id: str
    topic: str
    exercises: list[str]
    positions: list[PositionDoc]
    resolution: str
    reason: str
    evidence: list[str]


def _choices(values: type[Category] | type[Equipment] | type[Position]) -> list[str]:
    return [v.value for v in values]


@router.get(
    "/exercises",
    response_model=list[ExerciseDoc],
    responses=problem_responses(422),
    summary="The exercise catalog, optionally filtered",
)
def exercises(
    services: ServicesDep,
    category: Annotated[str | None, Query(json_schema_extra={"enum": _choices(Category)})] = None,
    equipment: Annotated[
        str | None,
        Query(
            description="only exercises that need this item",
            json_schema_extra={"enum": _choices(Equipment)},
        ),
    ] = None,
    position: Annotated[str | None, Query(json_schema_extra={"enum": _choices(Position)})] = None,
) -> Response:
    """Every exercise as `footcoach.exercise/1`, sorted by id; a bad filter value is a 422."""
    criteria = parse_filter(category=category, equipment=equipment, position=position)
    return send([exercise_document(ex) for ex in services.catalog.exercises(criteria)])


@router.get(
    "/exercises/{exercise_id}",
    response_model=ExerciseDoc,
    responses=problem_responses(404),
    summary="One exercise, by id or alias",
)
def exercise(exercise_id: str, services: ServicesDep) -> Response:
    """The record an id or an alias ("towel scrunch") stands for; 404 names the closest ids."""
    return send(exercise_document(services.catalog.card(exercise_id).exercise))


FIGURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""The drawing's own Content-Security-Policy: its styles sit inside it, and nothing else runs."""


@router.get(
    "/exercises/{exercise_id}/figure.svg",
    response_class=Response,
    responses={
        **problem_responses(404, 422),
        200: {"content": {"image/svg+xml": {}}, "description": "the drawing"},
    },
    summary="The exercise drawn as an SVG figure",
)
def exercise_figure(
    exercise_id: str,
    services: ServicesDep,
    animated: Annotated[
        bool, Query(description="false: the start and end poses side by side, labelled")
    ] = True,
    pose: Annotated[
        str | None,
        Query(description="one still pose alone", json_schema_extra={"enum": ["start", "end"]}),
    ] = None,
) -> Response:
    """Moves at the exercise's tempo; with reduced motion it shows the start and end poses."""
    svg = services.catalog.figure(exercise_id, animated=animated, pose=pose)
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={
            "Cache-Control": "public, max-age=86400",
            "Content-Security-Policy": FIGURE_POLICY,
        },
    )


@router.get(
    "/sources",
    response_model=list[SourceDoc],
    responses=problem_responses(),
    summary="Every source footcoach cites",
)
def sources(services: ServicesDep) -> Response:
    """Strongest evidence first."""
    return send([source_document(s) for s in services.catalog.sources()])


@router.get(
    "/conflicts",
    response_model=list[ConflictDoc],
    responses=problem_responses(),
    summary="Where the sources disagree",
)
def conflicts(services: ServicesDep) -> Response:
    """Each disagreement with every position, and footcoach's resolution with its reason."""
    return send([conflict_document(c) for c in services.catalog.conflicts()])


@router.get(
    "/protocols",
    response_model=list[ProtocolDoc],
    responses=problem_responses(),
    summary="The protocols a program can follow",
)
def protocols(services: ServicesDep) -> Response:
    return send([protocol_document(p) for p in services.planning.list_protocols()])


@router.get(
    "/protocols/{protocol_id}",
    response_model=ProtocolDoc,
    responses=problem_responses(404),
    summary="One protocol in full",
)
def protocol(protocol_id: str, services: ServicesDep) -> Response:
    """Phases, slots, items, doses and sources; 404 names the closest ids."""
    return send(protocol_document(services.planning.protocol(protocol_id)))
