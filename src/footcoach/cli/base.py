"""The Typer app and what every command shares: services, error handling, JSON in and out."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
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


def services(database_url: str | None = None) -> Services:
    """The composition root, built on first use (commands pay only for what they import)."""
    from footcoach.bootstrap import build_services
    from footcoach.config import load_settings

    return build_services(load_settings(database_url=database_url))


def profile_name(option: str | None) -> str:
    """The profile named on the command line, else FOOTCOACH_PROFILE, else 'default'."""
    if option:
        return option
    from footcoach.config import load_settings

    return load_settings().profile


ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile", help="Which local profile (default: FOOTCOACH_PROFILE or 'default')."
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: FOOTCOACH_DATABASE_URL or a local SQLite file)."
    ),
]


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
