"""The `footcoach` command: a thin Typer face over the services."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem, UnknownIdError

if TYPE_CHECKING:
    from footcoach.bootstrap import Services

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="footcoach",
    help="A safe, explainable home exercise coach for heel pain and weak feet. "
    "footcoach informs; it does not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def services() -> Services:
    """The composition root, built on first use (commands pay only for what they import)."""
    from footcoach.bootstrap import build_services
    from footcoach.config import load_settings

    return build_services(load_settings())


def fail(message: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(f"footcoach: {message}\n")
    return typer.Exit(code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn footcoach's own errors into a clear message on stderr and exit code 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            for problem in exc.problems:
                sys.stderr.write(f"footcoach: {problem}\n")
            raise typer.Exit(2) from None
        except UnknownIdError as exc:
            raise fail(str(exc)) from None
        except FootcoachError as exc:
            raise fail(str(exc)) from None

    return run


def emit_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


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
) -> None:
    """Show one exercise's whole card: steps, dose, why, cautions, sources, variants."""
    card = services().catalog.card(exercise_id)
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


def read_json(label: str, path: str) -> object:
    """A JSON document from a file, or from stdin when the path is '-'."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(
            [Problem(label, path, f"a readable file ({exc.strerror})")]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            [Problem(label, path, f"valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")]
        ) from None


def parse_date(label: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError([Problem(label, text, "a date as YYYY-MM-DD")]) from None


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


def main() -> None:
    app()
