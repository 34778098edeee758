"""Restoring a backup: how many rows one may bring, and how a restore is stopped part way.

A backup is written in one transaction, as a few multi-row inserts per table (the database
adapter's DiaryStore.restore). Two things keep one restore from costing a server more than it
should: each table takes at most ROW_CAPS rows from one backup (20 years of daily use, well
beyond anything footcoach has recorded for one person), checked before anything is parsed or
written; and the writer calls a checkpoint between its batches, which raises RestoreCancelled
once the person who asked has gone, so the transaction is rolled back and nothing is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from footcoach.domain.backup import Backup
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem

YEARS = 20
"""The caps allow this many years of daily data."""
DAYS = 366 * YEARS
ROW_CAPS: dict[str, int] = {
    "checkins": DAYS,
    "sessions": DAYS * 5,
    "session_items": DAYS * 5 * 12,
    "questionnaires": 53 * YEARS * 2,
    "program_changes": DAYS,
}
"""The most rows a backup may bring into each table: a check-in a day, five sessions a day of
twelve items each, each questionnaire weekly, a program change a day; for 20 years."""
CAP_REASONS: dict[str, str] = {
    "checkins": "one a day",
    "sessions": "five a day",
    "session_items": "twelve a session, five sessions a day",
    "questionnaires": "both questionnaires every week",
    "program_changes": "one a day",
}


class RestoreCancelled(FootcoachError):
    """The restore was stopped before its commit (the client went away, or the server is
    stopping); nothing of it was written."""

    def __init__(self) -> None:
        super().__init__("the import was stopped before it finished; nothing was written")


class CancelFlag:
    """Set from anywhere (an event loop watching its client, a shutdown) to stop a restore at
    its next checkpoint; the checkpoint is what the writer calls between batches."""

    def __init__(self) -> None:
        self._set = threading.Event()

    def cancel(self) -> None:
        self._set.set()

    @property
    def cancelled(self) -> bool:
        return self._set.is_set()

    def checkpoint(self) -> None:
        if self._set.is_set():
            raise RestoreCancelled()


def too_many(table: str, count: int) -> Problem:
    cap = ROW_CAPS[table]
    return Problem(
        table,
        f"{count:,} rows",
        f"at most {cap:,} rows in one backup ({YEARS} years of data, {CAP_REASONS[table]})",
    )


def check_counts(counts: Mapping[str, int]) -> None:
    """InvalidInputError naming each table over its cap, and the cap."""
    problems = [too_many(t, n) for t, n in counts.items() if n > ROW_CAPS[t]]
    if problems:
        raise InvalidInputError(problems)


def document_counts(document: object) -> dict[str, int]:
    """Rows per table of a backup document not yet parsed (what is not a list counts 0, for the
    parser to name)."""
    if not isinstance(document, dict):
        return {}

    def listed(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    sessions = listed(document.get("sessions"))
    return {
        "checkins": len(listed(document.get("checkins"))),
        "sessions": len(sessions),
        "session_items": sum(len(listed(s.get("items"))) for s in sessions if isinstance(s, dict)),
        "questionnaires": len(listed(document.get("questionnaires"))),
        "program_changes": len(listed(document.get("program_changes"))),
    }


def check_document(document: object) -> None:
    """Refuse a backup document over a cap before it is parsed (the parse of a huge one costs
    more than refusing it)."""
    check_counts(document_counts(document))


def backup_counts(backup: Backup) -> dict[str, int]:
    diary = backup.diary
    return {
        "checkins": len(diary.checkins),
        "sessions": len(diary.sessions),
        "session_items": sum(len(s.items) for s in diary.sessions),
        "questionnaires": len(diary.questionnaires),
        "program_changes": len(backup.changes),
    }


def check_backup(backup: Backup) -> None:
    """Refuse a parsed backup over a cap, or one that repeats a check-in day or an item's
    position within a session (the database would refuse the rows half way)."""
    check_counts(backup_counts(backup))
    problems: list[Problem] = []
    seen_days: set[object] = set()
    for n, checkin in enumerate(backup.diary.checkins):
        if checkin.day in seen_days:
            problems.append(
                Problem(
                    f"checkins[{n}].date",
                    checkin.day.isoformat(),
                    "a day with no other check-in in the backup",
                )
            )
        seen_days.add(checkin.day)
    for n, session in enumerate(backup.diary.sessions):
        positions: set[int] = set()
        for k, item in enumerate(session.items):
            if item.position in positions:
                problems.append(
                    Problem(
                        f"sessions[{n}].items[{k}].position",
                        item.position,
                        "a position no other item of this session has",
                    )
                )
            positions.add(item.position)
    if problems:
        raise InvalidInputError(problems[:20])
