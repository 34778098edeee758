"""`footcoach calendar`: the coming weeks' sessions as a calendar file for a phone."""

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
def calendar(
    weeks: Annotated[
        str | None,
        typer.Option(
            "--weeks", metavar="N", help="How many weeks from today, 1 to 12 (default 4)."
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="Write the calendar to this .ics file (default: print it).",
        ),
    ] = None,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Write the coming weeks' sessions as an iCalendar (.ics) file, one event per session at
    your own times, each with a reminder and its exercises and doses."""
    from footcoach.services.calendar import check_weeks

    problems: list[Problem] = []
    chosen = None
    try:
        chosen = check_weeks(weeks, "--weeks")
    except InvalidInputError as exc:
        problems += exc.problems
    target = None if out is None else Path(out)
    if target is not None:
        problems += out_file_problems(target, ".ics")
    if problems or chosen is None:
        raise InvalidInputError(problems)
    name = profile_name(profile)
    if no_database_yet(db):
        raise FootcoachError(
            f"there is no profile {name!r} yet; create it with: footcoach init --profile {name}, "
            "or point --db at your database"
        )
    from footcoach.adapters.ical_calendar import ical_bytes
    from footcoach.cli.base import services
    from footcoach.domain.wording import day_text

    made = services(db).calendar.calendar(name, chosen)
    text = ical_bytes(made).decode("utf-8")
    if target is None:
        sys.stdout.write(text)
    else:
        write_whole(target, text, "--out")
    count = len(made.reminders)
    sessions = f"{count} session" if count == 1 else f"{count} sessions"
    where = "" if target is None else f"wrote {target}: "
    span = f"{day_text(made.first)} to {day_text(made.last)}"
    sys.stderr.write(f"footcoach: {where}{sessions} from {span}\n")
    if made.note:
        sys.stderr.write(f"footcoach: {made.note}\n")
