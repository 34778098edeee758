"""`footcoach handout`: the program on paper, as a PDF to print and put on the fridge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from footcoach.cli.base import DbOpt, ProfileOpt, app, guarded, no_database_yet, profile_name
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem


@app.command()
@guarded
def handout(
    out: Annotated[
        str, typer.Option("--out", help="Where to write the PDF: a file name ending in .pdf.")
    ],
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="Weeks of tick-box log, 1 to 12 (default 4).")
    ] = None,
    large_print: Annotated[
        bool, typer.Option("--large-print", help="Large print: 16 pt type and up.")
    ] = False,
    paper: Annotated[
        str | None, typer.Option("--paper", help="Paper size: a4 or letter (default a4).")
    ] = None,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Write a printable handout: this week's sessions with their figures, doses and cautions,
    when to stop and see someone, a tick-box log, and where the advice comes from."""
    from footcoach.services.handout import check_options

    problems: list[Problem] = []
    try:
        chosen_weeks, chosen_paper = check_options(weeks, paper, ("--weeks", "--paper"))
    except InvalidInputError as exc:
        problems += exc.problems
    target = Path(out)
    problems += _target_problems(target)
    if problems:
        raise InvalidInputError(problems)
    name = profile_name(profile)
    if no_database_yet(db):
        raise FootcoachError(
            f"there is no profile {name!r} yet; create it with: footcoach init --profile {name}, "
            "or point --db at your database"
        )
    from footcoach.adapters.handout_pdf import print_handout
    from footcoach.cli.base import services
    from footcoach.services.handout import handout as gather

    found = services(db)
    printed = print_handout(
        gather(found.tracking, found.catalog, name, chosen_weeks, large_print, chosen_paper)
    )
    _write(target, printed.pdf)
    pages = f"{printed.pages} page" if printed.pages == 1 else f"{printed.pages} pages"
    sys.stderr.write(f"footcoach: wrote {target} ({pages}, {chosen_paper.value})\n")


def _target_problems(target: Path) -> list[Problem]:
    """What is wrong with --out before anything is made: its name, or its folder."""
    if target.suffix.lower() != ".pdf":
        return [Problem("--out", str(target), "a file name ending in .pdf")]
    if target.is_dir():
        return [Problem("--out", str(target), "a file name, not a folder")]
    if not target.parent.is_dir():
        return [Problem("--out", str(target), "a file in a folder that exists")]
    return []


def _write(target: Path, pdf: bytes) -> None:
    """Write the file whole, by way of a temporary one renamed into place, or not at all."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(pdf)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise InvalidInputError(
            [Problem("--out", str(target), f"a file footcoach can write ({reason})")]
        ) from None
