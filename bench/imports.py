"""Restoring a year of daily data from a backup (`footcoach import`, POST /api/v1/import).

The backup: the example intake (docs/examples/intake.json) on the footcoach protocol, started
a year ago; a check-in every day (365), three sessions a day (before the first step, daytime,
evening: 1,095) of six items each (6,570), the FFI every week and the FAAM every four weeks
(66), and a program change every four weeks (13). It is made once as a footcoach.backup/1
document, then restored REPEATS times on each database, each time into a new, empty one (a
SQLite file in a temporary folder; on PostgreSQL a throwaway database on the server at
FOOTCOACH_TEST_POSTGRES_URL, as bench/http.py makes them). Timed, with the database already
migrated: `restore_s`, TrackingService.restore of the parsed backup (the transaction: profile,
rows, commit), and `whole_s`, the document's size check, parse and restore, as the import
route and command do them. Target: a year restored in under TARGET_S on either database.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import http

DAYS = 365
SLOTS = ("before_first_step", "daytime", "evening")
ITEMS = 6
EXERCISES = ("plantar-fascia-stretch", "heel-raise", "toe-splay", "towel-curl")
REPEATS = 3
TARGET_S = 2.0


def year_document(today: date, days: int = DAYS) -> dict[str, Any]:
    """A year of daily data, as the footcoach.backup/1 document an export would give."""
    from footcoach.domain.backup import Backup
    from footcoach.domain.changes import ChangeKind, ProgramChange
    from footcoach.domain.diary import (
        Diary,
        Instrument,
        ItemRecord,
        QuestionnaireResponse,
        SessionRecord,
    )
    from footcoach.domain.intake import CheckIn
    from footcoach.domain.profile import Preferences, Profile
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.documents import backup_document

    intake = parse_intake(json.loads(http.EXAMPLE_INTAKE.read_text(encoding="utf-8")))
    start = today - timedelta(days=days)
    every = [start + timedelta(days=n) for n in range(days)]
    checkins = tuple(CheckIn(day, 2 + n % 5) for n, day in enumerate(every))
    sessions = []
    for day in every:
        for s, slot in enumerate(SLOTS):
            began = datetime(day.year, day.month, day.day, 7 + 5 * s, tzinfo=UTC)
            items = tuple(
                ItemRecord(
                    i,
                    EXERCISES[i % len(EXERCISES)],
                    3,
                    12,
                    30,
                    False,
                    began + timedelta(minutes=2 * (i + 1)),
                )
                for i in range(ITEMS)
            )
            sessions.append(
                SessionRecord(day, slot, began, items, True, 2, 5, began + timedelta(minutes=15))
            )
    questionnaires = []
    for n, day in enumerate(every[::7]):
        questionnaires.append(QuestionnaireResponse(Instrument.FFI, day, tuple([3] * 23)))
        if n % 4 == 0:
            questionnaires.append(
                QuestionnaireResponse(Instrument.FAAM, day, tuple([3] * 21), tuple([2] * 8))
            )
    changes = tuple(
        ProgramChange(
            kind=ChangeKind.NOTE,
            who="you",
            role="person",
            when=datetime(day.year, day.month, day.day, 20, tzinfo=UTC),
            why="a note for the benchmark",
            starts=day,
            note=f"week {n * 4}: going well",
        )
        for n, day in enumerate(every[::28])
    )
    profile = Profile("year", intake, "footcoach", start, 52, Preferences())
    diary = Diary(checkins, tuple(sessions), tuple(questionnaires))
    return backup_document(Backup(profile, diary, changes))


def _counts(document: dict[str, Any]) -> dict[str, int]:
    return {
        "checkins": len(document["checkins"]),
        "sessions": len(document["sessions"]),
        "session_items": sum(len(s["items"]) for s in document["sessions"]),
        "questionnaires": len(document["questionnaires"]),
        "program_changes": len(document.get("program_changes", [])),
    }


@contextmanager
def _database(kind: str) -> Iterator[dict[str, Any]]:
    if kind == "postgresql":
        with http._postgresql() as db:
            yield db
        return
    with tempfile.TemporaryDirectory(prefix="footcoach-bench-import-") as folder:
        path = Path(folder) / "footcoach.db"
        yield {"url": f"sqlite:///{path}", "shown": "sqlite (a file in a temporary folder)"}


def _once(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    """One restore into a new database: (restore_s, whole_s) and that it was all written."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.schemas.backup import parse_backup

    try:  # the size check came with bulk restores; a checkout from before has none
        from footcoach.services.restoring import check_document
    except ImportError:

        def check_document(document: object) -> None:
            return None

    timings: dict[str, Any] = {}
    for label in ("restore_s", "whole_s"):
        with _database(kind) as db:
            if "skipped" in db:
                return {"skipped": db["skipped"]}
            services = build_services(Settings(database_url=db["url"]))
            try:
                _ = services.database.engine  # migrated before the clock starts
                services.planning.protocol("footcoach")
                t0 = time.perf_counter()
                if label == "whole_s":
                    check_document(document)
                backup = parse_backup(document)
                t1 = time.perf_counter()
                services.tracking.restore(backup.profile, backup.diary, backup.changes)
                t2 = time.perf_counter()
                timings[label] = round(t2 - (t0 if label == "whole_s" else t1), 3)
                again = services.tracking.backup("year")
                timings["complete"] = timings.get("complete", True) and (
                    len(again.diary.sessions) == len(backup.diary.sessions)
                    and sum(len(s.items) for s in again.diary.sessions)
                    == sum(len(s.items) for s in backup.diary.sessions)
                )
                timings["shown"] = db["shown"]
            finally:
                services.close()
    return timings


def run(repeats: int = REPEATS, days: int = DAYS) -> dict[str, Any]:
    """`days` and `repeats` smaller make a smoke run."""
    document = year_document(date.today(), days)
    size = len(json.dumps(document).encode("utf-8"))
    results: dict[str, Any] = {}
    for kind in http.DATABASES:
        runs = [_once(kind, document) for _ in range(repeats)]
        if any("skipped" in r for r in runs):
            results[kind] = {"skipped": runs[0].get("skipped", "skipped")}
            continue
        restore = [r["restore_s"] for r in runs]
        whole = [r["whole_s"] for r in runs]
        results[kind] = {
            "database": runs[0]["shown"],
            "restore_s": restore,
            "whole_s": whole,
            "restore_median_s": statistics.median(restore),
            "whole_median_s": statistics.median(whole),
            "all_written": all(r["complete"] for r in runs),
            "under_target": max(whole) < TARGET_S,
        }
    return {
        "settings": {"days": days, "repeats": repeats, "target_s": TARGET_S},
        "backup": {"bytes": size, "rows": _counts(document)},
        "databases": results,
    }


def summary(result: dict[str, Any]) -> list[str]:
    rows = result["backup"]["rows"]
    lines = [
        f"a year's backup: {result['backup']['bytes'] / 1e6:.1f} MB, "
        + ", ".join(f"{n:,} {table}" for table, n in rows.items())
    ]
    for kind, one in result["databases"].items():
        if "skipped" in one:
            lines.append(f"{kind}: skipped: {one['skipped']}")
            continue
        lines.append(
            f"{kind}: restore {one['restore_median_s']} s (median of {one['restore_s']}), "
            f"check + parse + restore {one['whole_median_s']} s; all written: "
            f"{'yes' if one['all_written'] else 'NO'}; under {result['settings']['target_s']} s: "
            f"{'yes' if one['under_target'] else 'NO'}"
        )
    return lines


if __name__ == "__main__":  # python -m bench.imports [REPEATS]
    outcome = run(int(sys.argv[1]) if len(sys.argv) > 1 else REPEATS)
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
