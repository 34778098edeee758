"""`footcoach handout`: the program on paper, as a PDF to print and put on the fridge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from footcoach.cli.base import DbOpt, ProfileOpt, app, guarded, no_database_yet, profile_name
from footcoach.cli.files import out_file_problems, write_whole
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
    problems += out_file_problems(target, ".pdf")
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
    write_whole(target, printed.pdf, "--out")
    pages = f"{printed.pages} page" if printed.pages == 1 else f"{printed.pages} pages"
    sys.stderr.write(f"footcoach: wrote {target} ({pages}, {chosen_paper.value})\n")
