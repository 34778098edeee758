"""Day to day: init, today, checkin, backups, and the database itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from footcoach.cli.base import (
    DbOpt,
    JsonFlag,
    ProfileOpt,
    app,
    emit_json,
    guarded,
    parse_date,
    profile_name,
    read_json,
    services,
)
from footcoach.domain.errors import InvalidInputError, Problem

if TYPE_CHECKING:
    from footcoach.services.tracking import TodayView

db_app = typer.Typer(help="The database: create or upgrade its schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DateOpt = Annotated[
    str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
]


@app.command()
@guarded
def init(
    intake: Annotated[
        str | None,
        typer.Option(
            "--intake", help="A footcoach.intake/1 file, or - for stdin; omit to be asked."
        ),
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
    replace: Annotated[
        bool, typer.Option("--replace", help="Redo an existing profile's intake (keeps its diary).")
    ] = False,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Answer the intake questions, pass the safety screen, and get a program."""
    from footcoach.cli import render
    from footcoach.schemas.intake import parse_intake

    if intake is None:
        from footcoach.cli.intake_prompt import IntakeQuestions

        document: object = IntakeQuestions(render.console()).run()
    else:
        document = read_json("intake", intake)
    parsed = parse_intake(document)
    first_day = parse_date("start", start) if start else None
    name = profile_name(profile)
    program = services(db).tracking.init(name, parsed, protocol_id, first_day, weeks, replace)
    render.program_summary(program)
    if program.referral is None:
        render.console().print(
            f"Saved as profile '{name}'. Each morning: footcoach checkin; then footcoach today."
        )


@app.command()
@guarded
def today(
    as_json: JsonFlag = False, day: DateOpt = None, profile: ProfileOpt = None, db: DbOpt = None
) -> None:
    """Today's sessions by slot, with minutes and done or pending, and the morning check-in."""
    when = parse_date("date", day) if day else None
    if when is not None:
        _today(services(db).tracking.today(profile_name(profile), when), as_json)
        return
    import os

    from footcoach.cli import quick

    given = {"json": "1" if as_json else "", "profile": profile or "", "db": db or ""}
    with quick.recording({k: v for k, v in given.items() if v}, os.environ):
        _today(services(db).tracking.today(profile_name(profile)), as_json)


def _today(view: TodayView, as_json: bool) -> None:
    if as_json:
        from footcoach.services.documents import today_document

        emit_json(today_document(view))
        return
    from footcoach.cli import today_render

    today_render.today(view)


@app.command()
@guarded
def checkin(
    first_step_pain: Annotated[
        int | None,
        typer.Option("--first-step-pain", help="Pain on your first steps this morning, 0-10."),
    ] = None,
    day: DateOpt = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="Change the check-in already recorded for the day (kept in the audit trail).",
        ),
    ] = False,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Record this morning's first-step pain (or, with --correct, change it); the pain monitor
    adjusts the coming sessions."""
    from footcoach.cli import render

    if first_step_pain is None:
        if not sys.stdin.isatty():
            raise InvalidInputError(
                [Problem("first_step_pain", None, "--first-step-pain N (0-10) when not typing")]
            )
        from footcoach.cli.intake_prompt import IntakeQuestions

        first_step_pain = IntakeQuestions(render.console()).number(
            "Pain on your first steps this morning, 0 (none) to 10 (worst)", 3, 0, 10
        )
    when = parse_date("date", day) if day else None
    tracking = services(db).tracking
    name = profile_name(profile)
    if correct:  # a day without a check-in: one line naming the day, exit 2
        said = tracking.correct_checkin(name, first_step_pain, when)
        message = f"Changed: first-step pain is now {first_step_pain}/10."
    else:
        said = tracking.checkin(name, first_step_pain, when)
        message = f"Recorded: first-step pain {first_step_pain}/10."
    out = render.console()
    out.print(message)
    if said.adjustment is not None:
        out.print(render.monitor_line(said.adjustment))
    if said.clinician_prompt is not None:
        for reason in said.clinician_prompt.reasons:
            out.print(f"[yellow]Worth seeing a clinician: {reason}[/yellow]")


@app.command("export")
@guarded
def export_(
    path: Annotated[
        str | None, typer.Option("--json", help="Where to write the backup (- for stdout).")
    ] = None,
    csv_folder: Annotated[
        str | None,
        typer.Option("--csv", help="A folder to write the diary into as four CSV tables."),
    ] = None,
    fhir_path: Annotated[
        str | None,
        typer.Option("--fhir", help="Where to write a FHIR R4 Bundle (JSON; - for stdout)."),
    ] = None,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Write everything of a profile to one versioned JSON document (footcoach.backup/1), or
    the diary as CSV tables for a spreadsheet, or a FHIR R4 Bundle for a health record."""
    import json

    from footcoach.cli.export_formats import export_other, one_format
    from footcoach.services.documents import backup_document

    name = profile_name(profile)
    if one_format(path, csv_folder, fhir_path) != "json":
        export_other(services(db), name, csv_folder, fhir_path)
        return
    assert path is not None
    document = backup_document(services(db).tracking.backup(name))
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)  # never leaves a half-written backup behind
    from footcoach.domain.wording import count_text

    sessions = count_text(len(document["sessions"]), "session")
    sys.stderr.write(f"footcoach: wrote {target} ({sessions})\n")


@app.command("import")
@guarded
def import_(
    path: Annotated[str, typer.Argument(help="A footcoach.backup/1 file, or - for stdin.")],
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Restore under this name (default: the name in the file)."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Restore a backup into an empty profile."""
    from dataclasses import replace

    from footcoach.domain.wording import count_text
    from footcoach.schemas.backup import parse_backup
    from footcoach.services.restoring import check_document

    document = read_json("backup", path)
    check_document(document)  # a cap per table, before the parse
    backup = parse_backup(document)
    backup_profile, diary = backup.profile, backup.diary
    if profile:
        backup_profile = replace(backup_profile, name=profile)
    services(db).tracking.restore(backup_profile, diary, backup.changes)
    counts = [
        count_text(len(diary.checkins), "check-in"),
        count_text(len(diary.sessions), "session"),
    ]
    if backup.changes:
        counts.append(count_text(len(backup.changes), "program change"))
    sys.stderr.write(f"footcoach: restored profile '{backup_profile.name}' ({', '.join(counts)})\n")


@db_app.command("upgrade")
@guarded
def db_upgrade(db: DbOpt = None) -> None:
    """Create the database or bring its schema up to date (also done on every start)."""
    from footcoach.adapters.db.migrate import HEAD, upgrade
    from footcoach.adapters.db.unit_of_work import Database
    from footcoach.config import load_settings

    url = load_settings(database_url=db).resolved_database_url()
    database = Database(url, migrate=False)
    ran = upgrade(database.engine)
    database.dispose()
    sys.stderr.write(f"footcoach: database at revision {HEAD}{' (upgraded)' if ran else ''}\n")
