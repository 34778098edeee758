"""A profile's diary as four CSV tables for spreadsheets: check-ins, sessions, items done, and
questionnaires with their scores.

Every table has a header row; dates are ISO 8601 (YYYY-MM-DD, and date-times with their UTC
offset); yes/no columns say "yes" or "no"; an empty cell means nothing was recorded (an item
not answered, a session not finished). The text is UTF-8 without a byte-order mark.

A session has no number of its own in a backup: each export numbers them from 1 in the order of
sessions.csv (its `session` column), and the `session` column of items.csv names that number.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from footcoach.domain.backup import Backup
from footcoach.domain.catalog import Catalog
from footcoach.domain.diary import Instrument
from footcoach.domain.errors import InvalidInputError, Problem, UnknownIdError
from footcoach.domain.questionnaires import FAAM, FFI, Subscale
from footcoach.domain.scoring import score_response

Cell = str | int | float | None
Row = list[Cell]

SCORE_COLUMNS = (
    Subscale.PAIN,
    Subscale.DISABILITY,
    Subscale.ACTIVITY_LIMITATION,
    Subscale.TOTAL,
    Subscale.ADL,
    Subscale.SPORTS,
)
"""The FFI's three subscales and total, then the FAAM's two; a score of the other
questionnaire, or one with too few answers, is left empty."""

ITEM_COLUMNS = tuple(i.id for i in FFI.items) + tuple(i.id for i in FAAM.items)
"""One column per questionnaire item, by its id, in the order each questionnaire asks them."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def text(self) -> str:
        """The table as CSV text (a header row, then one line per row)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows([_cell(c) for c in row] for row in self.rows)
        return out.getvalue()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def checkins(backup: Backup) -> Table:
    rows = tuple([c.day.isoformat(), c.first_step_pain] for c in backup.diary.checkins)
    return Table("checkins", ("date", "first_step_pain"), rows)


def sessions(backup: Backup) -> Table:
    header = (
        "session",
        "date",
        "slot",
        "started_at",
        "finished_at",
        "completed",
        "pain_during",
        "effort",
        "items",
    )
    rows = tuple(
        [
            number,
            s.day.isoformat(),
            s.slot,
            s.started_at.isoformat(),
            _moment(s.finished_at),
            s.completed,
            s.pain_during,
            s.effort,
            len(s.items),
        ]
        for number, s in enumerate(backup.diary.sessions, start=1)
    )
    return Table("sessions", header, rows)


def items(backup: Backup, name_of: Callable[[str], str] | None = None) -> Table:
    """One row per exercise of each session, with its name when `name_of` is given."""
    header = (
        "session",
        "date",
        "slot",
        "position",
        "exercise",
        "exercise_name",
        "sets_done",
        "reps_done",
        "seconds_done",
        "skipped",
        "finished_at",
    )
    rows = tuple(
        [
            number,
            s.day.isoformat(),
            s.slot,
            i.position,
            i.exercise,
            name_of(i.exercise) if name_of else None,
            i.sets_done,
            i.reps_done,
            i.seconds_done,
            i.skipped,
            i.finished_at.isoformat(),
        ]
        for number, s in enumerate(backup.diary.sessions, start=1)
        for i in s.items
    )
    return Table("items", header, rows)


def questionnaires(backup: Backup) -> Table:
    header = ("date", "instrument", *(s.value for s in SCORE_COLUMNS), *ITEM_COLUMNS)
    rows: list[Row] = []
    for response in backup.diary.questionnaires:
        scores = score_response(response)
        mine = {s.subscale for s in scores.subscales}
        if response.instrument is Instrument.FFI:
            mine.add(Subscale.TOTAL)
        answers: dict[str, int | None] = {}
        if response.instrument is Instrument.FFI:
            answers = dict(zip((i.id for i in FFI.items), response.answers, strict=True))
        else:
            both = (*response.answers, *response.sports)
            answers = dict(zip((i.id for i in FAAM.items), both, strict=True))
        row: Row = [response.taken_on.isoformat(), response.instrument.value]
        for subscale in SCORE_COLUMNS:
            value = scores.value(subscale) if subscale in mine else None
            row.append(None if value is None else round(value, 1))
        row.extend(answers.get(column) for column in ITEM_COLUMNS)
        rows.append(row)
    return Table("questionnaires", header, tuple(rows))


def names_from(catalog: Catalog) -> Callable[[str], str]:
    """An exercise's name by its id; an id the catalog no longer has stands for itself."""
    return lambda key: catalog.get(key).name if key in catalog else key


NAMES = ("checkins", "sessions", "items", "questionnaires")
"""The tables, by the name of their file (without .csv)."""


def known(name: str) -> str:
    """The name of a table, or UnknownIdError listing the names."""
    if name not in NAMES:
        raise UnknownIdError("table", name, (), NAMES)
    return name


def table(backup: Backup, name: str, name_of: Callable[[str], str] | None = None) -> Table:
    """One table by name; UnknownIdError (listing the names) for any other."""
    if name == "checkins":
        return checkins(backup)
    if name == "sessions":
        return sessions(backup)
    if name == "items":
        return items(backup, name_of)
    if name == "questionnaires":
        return questionnaires(backup)
    raise UnknownIdError("table", name, (), NAMES)


def all_tables(backup: Backup, name_of: Callable[[str], str] | None = None) -> list[Table]:
    return [table(backup, name, name_of) for name in NAMES]


def write_folder(folder: Path, tables: Iterable[Table], field: str = "csv") -> list[Path]:
    """Write each table to FOLDER/<name>.csv, all or none.

    The folder is made when missing (its parent must exist). Every file is first written
    beside its target under a temporary name; only when all are written are they renamed into
    place, so a folder that cannot be written is answered with InvalidInputError naming it, and
    no table is left half written or alone.
    """
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError([Problem(field, str(folder), "a folder, not a file")])
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidInputError(
            [Problem(field, str(folder), f"a folder that can be made ({reason})")]
        ) from None
    written: list[tuple[Path, Path]] = []
    try:
        for t in tables:
            target = folder / f"{t.name}.csv"
            temporary = folder / f".{t.name}.csv.{os.getpid()}.tmp"
            written.append((temporary, target))
            temporary.write_text(t.text(), encoding="utf-8", newline="")
    except OSError as exc:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise InvalidInputError(
            [Problem(field, str(folder), f"a folder footcoach can write to ({reason})")]
        ) from None
    for temporary, target in written:
        temporary.replace(target)
    return [target for _, target in written]
