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


READING_COMMANDS = frozenset({"today", "progress", "export"})
"""Commands that only read the database: they never create one where there is none."""

URL_EXAMPLES = (
    "a database URL such as sqlite:////home/you/footcoach.db or "
    "postgresql+psycopg://user@host/dbname"
)


def services(database_url: str | None = None) -> Services:
    """The composition root, built on first use (commands pay only for what they import)."""
    from footcoach.bootstrap import build_services
    from footcoach.config import load_settings

    settings = load_settings(database_url=database_url)
    _check_database(settings.resolved_database_url(), database_url is not None)
    return build_services(settings)


def _check_database(url: str, from_option: bool) -> None:
    """A URL footcoach can use, and for a command that only reads, a database that exists."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    field = "--db" if from_option else "FOOTCOACH_DATABASE_URL"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInputError([Problem(field, url, URL_EXAMPLES)]) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise InvalidInputError([Problem(field, url, URL_EXAMPLES)])
    import click

    context = click.get_current_context(silent=True)
    reading = context is not None and context.info_name in READING_COMMANDS
    if backend == "sqlite" and reading and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database)).expanduser()
        if not path.exists():
            assert context is not None
            name = profile_name(context.params.get("profile"))
            raise FootcoachError(
                f"there is no profile {name!r} yet (no footcoach data at {path}); create it "
                f"with: footcoach init --profile {name}, or point --db at your database"
            )


def no_database_yet(database_url: str | None) -> bool:
    """True when the database is a SQLite file that does not exist yet (nothing is created)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from footcoach.config import load_settings

    url = load_settings(database_url=database_url).resolved_database_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # services() names the field and the value
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(str(parsed.database)).expanduser().exists()


def database_trouble(exc: BaseException) -> str | None:
    """One line for a database that cannot be reached or opened, else None."""
    if not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    detail = cause[0] if cause else type(exc).__name__
    return (
        f"could not use the database: {detail}. Check --db or FOOTCOACH_DATABASE_URL, and that "
        "the database server is running"
    )


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


SHOWN_CHARS = 80
"""A value longer than this, quoted in an error, is cut to its start and an ellipsis."""


def shown_value(value: object) -> str:
    """A value quoted in an error line: as written when short, else a document's shape or the
    start of its text."""
    text = repr(value)
    if len(text) <= SHOWN_CHARS:
        return text
    if isinstance(value, dict):
        keys = list(value)
        named = ", ".join(str(k) for k in keys[:5]) + (", ..." if len(keys) > 5 else "")
        return f"an object with {named}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return text[: SHOWN_CHARS - 3] + "..."


def problem_text(problem: Problem) -> str:
    """One problem on one line: where, what was given (shortened), and what is allowed. A
    missing field says so, rather than quoting the document around it."""
    if problem.allowed.lower() == "field required":
        return f"{problem.field}: missing; the document needs it"
    return f"{problem.field}: got {shown_value(problem.value)}; {problem.allowed}"


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn footcoach's own errors into a clear message on stderr and exit code 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            for problem in exc.problems:
                sys.stderr.write(f"footcoach: {problem_text(problem)}\n")
            raise typer.Exit(2) from None
        except UnknownIdError as exc:
            raise fail(str(exc)) from None
        except FootcoachError as exc:
            raise fail(str(exc)) from None
        except Exception as exc:
            message = database_trouble(exc)
            if message is None:
                raise
            raise fail(message) from None

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
            [
                Problem(
                    label,
                    path,
                    "a JSON document, which this file is not: at line "
                    f"{exc.lineno}, column {exc.colno}, {exc.msg[:1].lower()}{exc.msg[1:]}",
                )
            ]
        ) from None


def parse_date(label: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError([Problem(label, text, "a date as YYYY-MM-DD")]) from None
