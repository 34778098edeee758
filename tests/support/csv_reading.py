"""Reading footcoach's CSV tables back into the shape of the backup document, for round trips."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from footcoach.domain.questionnaires import FAAM, FFI

TABLES = ("checkins", "sessions", "items", "questionnaires")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines(keepends=True)))


def read_folder(folder: Path) -> dict[str, list[dict[str, str]]]:
    found = {}
    for name in TABLES:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            found[name] = list(csv.DictReader(f))
    return found


def _number(cell: str) -> int | None:
    return None if cell == "" else int(cell)


def _yes(cell: str) -> bool:
    assert cell in ("yes", "no"), cell
    return cell == "yes"


def as_backup_parts(tables: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """checkins, sessions (with their items) and questionnaires, as backup_document has them."""
    items: dict[str, list[dict[str, Any]]] = {}
    for row in tables["items"]:
        items.setdefault(row["session"], []).append(
            {
                "position": int(row["position"]),
                "exercise": row["exercise"],
                "sets_done": int(row["sets_done"]),
                "reps_done": int(row["reps_done"]),
                "seconds_done": int(row["seconds_done"]),
                "skipped": _yes(row["skipped"]),
                "finished_at": row["finished_at"],
            }
        )
    sessions = []
    for number, row in enumerate(tables["sessions"], start=1):
        assert row["session"] == str(number)
        mine = items.get(row["session"], [])
        assert int(row["items"]) == len(mine)
        sessions.append(
            {
                "date": row["date"],
                "slot": row["slot"],
                "started_at": row["started_at"],
                "finished_at": row["finished_at"] or None,
                "completed": _yes(row["completed"]),
                "pain_during": _number(row["pain_during"]),
                "effort": _number(row["effort"]),
                "items": mine,
            }
        )
    questionnaires = []
    for row in tables["questionnaires"]:
        if row["instrument"] == "ffi":
            answers = [_number(row[i.id]) for i in FFI.items]
            sports: list[int | None] = []
        else:
            both = [_number(row[i.id]) for i in FAAM.items]
            answers, sports = both[:21], both[21:]
        questionnaires.append(
            {
                "instrument": row["instrument"],
                "taken_on": row["date"],
                "answers": answers,
                "sports": sports,
            }
        )
    return {
        "checkins": [
            {"date": r["date"], "first_step_pain": int(r["first_step_pain"])}
            for r in tables["checkins"]
        ],
        "sessions": sessions,
        "questionnaires": questionnaires,
    }


def backup_parts(document: dict[str, Any]) -> dict[str, Any]:
    """The same parts of a backup document (without the item order, which CSV columns carry)."""
    return {
        "checkins": document["checkins"],
        "sessions": document["sessions"],
        "questionnaires": [
            {k: q[k] for k in ("instrument", "taken_on", "answers", "sports")}
            for q in document["questionnaires"]
        ],
    }
