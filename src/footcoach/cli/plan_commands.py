"""Planning: protocols, one protocol, and a program built from an intake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

import typer

from footcoach.cli.base import JsonFlag, app, emit_json, guarded, parse_date, read_json, services
from footcoach.domain.errors import InvalidInputError, Problem

R = TypeVar("R")


@app.command()
@guarded
def protocols(as_json: JsonFlag = False) -> None:
    """List the protocols footcoach can build a program from."""
    found = services().planning.list_protocols()
    if as_json:
        from footcoach.services.documents import protocol_document

        emit_json([protocol_document(p) for p in found])
        return
    from footcoach.cli import render

    render.protocol_table(found)


@app.command()
@guarded
def protocol(
    protocol_id: Annotated[str, typer.Argument(metavar="ID", help="A protocol id.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one protocol: phases, slots, items, doses, sources and what it leaves out."""
    found = services().planning.protocol(protocol_id)
    if as_json:
        from footcoach.services.documents import protocol_document

        emit_json(protocol_document(found))
        return
    from footcoach.cli import render

    render.protocol_detail(found)


@app.command()
@guarded
def plan(
    intake: Annotated[
        str, typer.Option("--intake", help="A footcoach.intake/1 JSON file, or - for stdin.")
    ],
    history: Annotated[
        str | None, typer.Option("--history", help="A footcoach.history/1 JSON file.")
    ] = None,
    protocol_id: Annotated[
        str | None, typer.Option("--protocol", help="A protocol id (default: footcoach).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day, YYYY-MM-DD (default: today).")
    ] = None,
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="How many weeks (default: the protocol's).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Screen an intake and build a personalised program (or a referral instead)."""
    from footcoach.schemas.intake import parse_history, parse_intake

    problems: list[Problem] = []

    def collect(parse: Callable[[], R]) -> R | None:
        try:
            return parse()
        except InvalidInputError as exc:
            problems.extend(exc.problems)
            return None

    parsed_intake = collect(lambda: parse_intake(read_json("intake", intake)))
    parsed_history = (
        collect(lambda: parse_history(read_json("history", history))) if history else None
    )
    first_day = collect(lambda: parse_date("start", start)) if start else date.today()
    if problems or parsed_intake is None or first_day is None:
        raise InvalidInputError(problems)
    program = services().planning.plan(
        parsed_intake, first_day, parsed_history, protocol_id=protocol_id, weeks=weeks
    )
    if as_json:
        from footcoach.services.documents import program_document

        emit_json(program_document(program))
        return
    from footcoach.cli import render

    render.program_summary(program)
