"""Browsing the catalog: exercises, one exercise, sources, conflicts, schemas."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from footcoach.cli.base import JsonFlag, app, emit_json, fail, guarded, services


@app.command()
@guarded
def exercises(
    category: Annotated[
        str | None,
        typer.Option(help="strength, mobility, stretch, balance, massage, recovery, gait"),
    ] = None,
    equipment: Annotated[
        str | None, typer.Option(help="Only exercises that need this item, e.g. towel.")
    ] = None,
    position: Annotated[
        str | None, typer.Option(help="lying, sitting, standing or walking")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the exercise catalog, optionally filtered."""
    from footcoach.services.catalog import parse_filter

    criteria = parse_filter(category=category, equipment=equipment, position=position)
    found = services().catalog.exercises(criteria)
    if as_json:
        from footcoach.services.documents import exercise_document

        emit_json([exercise_document(ex) for ex in found])
        return
    from footcoach.cli import render

    render.exercise_table(found)


@app.command()
@guarded
def exercise(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="An exercise id or alias.")],
    as_json: JsonFlag = False,
    figure: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE.svg",
            help="Write the exercise's drawing (moving, SVG) to this file instead of the card.",
        ),
    ] = None,
    still: Annotated[
        bool,
        typer.Option(help="With --figure: the start and end poses side by side, not moving."),
    ] = False,
) -> None:
    """Show one exercise's whole card: steps, dose, why, cautions, sources, variants."""
    card = services().catalog.card(exercise_id)
    if figure is not None:
        svg = services().catalog.figure(card.exercise.id, animated=not still)
        if figure.suffix.lower() != ".svg":
            raise fail(f"--figure: got {str(figure)!r}; allowed: a file name ending in .svg")
        try:
            figure.write_text(svg, encoding="utf-8")
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise fail(
                f"--figure: got {str(figure)!r}; allowed: a file in a folder that exists "
                f"and can be written ({reason})"
            ) from None
        sys.stdout.write(f"Wrote the drawing of {card.exercise.name} to {figure}\n")
        return
    if as_json:
        from footcoach.services.documents import exercise_document

        emit_json(exercise_document(card.exercise))
        return
    from footcoach.cli import render

    render.exercise_card(card)


@app.command()
@guarded
def sources(as_json: JsonFlag = False) -> None:
    """List every source footcoach cites, with how strong its evidence is."""
    found = services().catalog.sources()
    if as_json:
        from footcoach.services.documents import source_document

        emit_json([source_document(s) for s in found])
        return
    from footcoach.cli import render

    render.source_table(found)


@app.command()
@guarded
def conflicts(as_json: JsonFlag = False) -> None:
    """Show where the sources disagree, and how footcoach resolves each disagreement."""
    svc = services()
    found = svc.catalog.conflicts()
    if as_json:
        from footcoach.services.documents import conflict_document

        emit_json([conflict_document(c) for c in found])
        return
    from footcoach.cli import render

    render.conflict_list(found, svc.library.sources)


@app.command()
@guarded
def schema(
    subject: Annotated[str, typer.Argument(help="The document to describe, e.g. exercise.")],
) -> None:
    """Print the JSON Schema of one of footcoach's documents."""
    from footcoach import schemas

    if subject not in schemas.SUBJECTS:
        from footcoach.domain.catalog import suggest

        close = suggest(subject, schemas.SUBJECTS)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise fail(f"schema: got {subject!r}; {hint}allowed: {', '.join(schemas.SUBJECTS)}")
    sys.stdout.write(schemas.json_schema_text(subject) + "\n")
