"""How long `footcoach progress` takes on three years of daily data.

A SQLite database is built in a temporary folder: one profile (the intake of
docs/examples/intake.json, protocol `footcoach`, 52 weeks, starting three years before TODAY) and,
for every day from its start to TODAY, a morning check-in and three completed-or-not sessions
(before the first step, daytime, evening) with their items, plus an FFI and a FAAM every 4 weeks.
The diary rows are written in bulk with SQLAlchemy Core (building them through the services one
transaction at a time would take minutes); the profile itself goes through
`TrackingService.init`, as `footcoach init` does. All of it comes from a fixed seed.

Then:

- **In-process** (`in_process`): `services.progress.progress_for` (snapshot from the database,
  program rebuilt from the history, then `domain.progress.progress`), timed alone 20 times after
  one untimed warm-up, on services built once (catalog loaded, engine open), each run with a new
  TrackingService, so its snapshot cache is empty as in a new process (the same call on one
  service, whose snapshot is then cached by the profile's revision, is shown beside it). Its
  parts are timed the same way: `TrackingService.snapshot` (the database read plus the program
  rebuilt from the history), the planning alone, the domain `progress()` on that snapshot, and
  `progress_document` + `json.dumps` (indent=2, as the CLI prints it). The number of SQL
  statements one `progress_for` runs is counted with a `before_cursor_execute` listener.
- **CLI** (`cli`): the wall time of `footcoach progress --json --date TODAY` in a new process,
  median of 7 runs after one untimed run (so the file cache is warm). `footcoach today --json`
  on the same database runs alternately with it as a reference: it pays the same start
  (interpreter, imports, catalog, database, snapshot), so the difference is what progress adds.
- **Target**: `progress_for` under 200 ms (median), snapshot included; the CLI median is set
  against the same figure, though it also pays the interpreter's and the imports' start.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bench.cold_start import footcoach_command
from bench.stats import ms

T = TypeVar("T")

TODAY = date(2026, 11, 23)
YEARS = 3
PROTOCOL = "footcoach"
WEEKS = 52
PROFILE = "bench"
RUNS = 20
CLI_RUNS = 7
SEED = 20_261_123
QUESTIONNAIRE_EVERY_DAYS = 28
DONE_SHARE = 0.9
"""The share of sessions completed; the rest were started and left."""
TARGET_MS = 200.0
EXAMPLE_INTAKE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "intake.json"


class _Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 8, 0, tzinfo=UTC)

    def today(self) -> date:
        return self.day


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _ffi(rng: random.Random, level: float) -> list[int | None]:
    """23 answers around `level` (0-10), the orthoses items not applicable."""
    answers: list[int | None] = [
        max(0, min(10, round(level + rng.uniform(-2, 2)))) for _ in range(23)
    ]
    answers[6] = answers[7] = None
    return answers


def _faam(rng: random.Random, level: float, count: int) -> list[int | None]:
    """`count` answers around `level` (0-4), one of them left blank."""
    answers: list[int | None] = [
        max(0, min(4, round(level + rng.uniform(-1, 1)))) for _ in range(count)
    ]
    answers[-1] = None
    return answers


def build(folder: Path, days: int | None = None, seed: int = SEED) -> dict[str, Any]:
    """Create the database in `folder`; returns its URL and what it holds."""
    from sqlalchemy import insert, select

    from footcoach.adapters.db.repositories import VERSIONS
    from footcoach.adapters.db.tables import (
        CheckInRow,
        ItemRow,
        ProfileRow,
        QuestionnaireRow,
        SessionRow,
    )
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.diary import Instrument
    from footcoach.domain.protocol import SLOT_ORDER
    from footcoach.schemas.intake import parse_intake

    url = f"sqlite:///{folder / 'progress.db'}"
    start = _years_before(TODAY, YEARS)
    total_days = (TODAY - start).days + 1 if days is None else days
    first = TODAY - timedelta(days=total_days - 1)
    services = build_services(Settings(database_url=url), clock=_Clock(first))
    intake = parse_intake(json.loads(EXAMPLE_INTAKE.read_text(encoding="utf-8")))
    program = services.tracking.init(PROFILE, intake, PROTOCOL, start=start, weeks=WEEKS)
    planned = {d.day: d for w in program.weeks for d in w.days}
    last_week = program.weeks[-1].days
    rng = random.Random(seed)
    checkins: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    questionnaires: list[dict[str, Any]] = []
    engine = services.database.engine
    with engine.connect() as conn:
        profile_id = conn.execute(select(ProfileRow.id).where(ProfileRow.name == PROFILE)).scalar()
        next_id = (conn.execute(select(SessionRow.id).order_by(SessionRow.id.desc())).scalar()) or 0
    for n in range(total_days):
        day = first + timedelta(days=n)
        progress_share = min(1.0, (day - start).days / 365)  # pain eases over the first year
        pain = 6.5 - 4.0 * progress_share + rng.gauss(0, 1.0)
        checkins.append(
            {
                "profile_id": profile_id,
                "day": day,
                "first_step_pain": max(0, min(10, round(pain))),
                "recorded_at": _at(day, 7),
            }
        )
        plan_day = planned.get(day) or last_week[(day - start).days % 7]
        by_slot = {s.slot: s for s in plan_day.sessions}
        for hour, slot in zip((6, 13, 20), SLOT_ORDER, strict=True):
            next_id += 1
            done = rng.random() < DONE_SHARE
            session = by_slot.get(slot)
            prescribed = session.items if session is not None else ()
            sessions.append(
                {
                    "id": next_id,
                    "profile_id": profile_id,
                    "day": day,
                    "slot": slot.value,
                    "started_at": _at(day, hour),
                    "finished_at": _at(day, hour, 20),
                    "completed": done,
                    "pain_during": rng.randint(0, 5) if done else None,
                    "effort": rng.randint(2, 7) if done else None,
                }
            )
            for position, item in enumerate(prescribed):
                items.append(
                    {
                        "session_id": next_id,
                        "position": position,
                        "exercise": item.exercise,
                        "sets_done": item.sets,
                        "reps_done": item.reps * item.sets,
                        "seconds_done": item.seconds,
                        "skipped": not done and position > 0,
                        "finished_at": _at(day, hour, min(59, 2 + 3 * position)),
                    }
                )
        if n % QUESTIONNAIRE_EVERY_DAYS == 0:
            ffi_level = 6.0 - 4.0 * progress_share
            faam_level = 1.5 + 2.0 * progress_share
            for instrument, answers, sports in (
                (Instrument.FFI, _ffi(rng, ffi_level), []),
                (Instrument.FAAM, _faam(rng, faam_level, 21), _faam(rng, faam_level, 8)),
            ):
                questionnaires.append(
                    {
                        "profile_id": profile_id,
                        "instrument": instrument.value,
                        "version": VERSIONS[instrument],
                        "taken_on": day,
                        "answers": answers,
                        "sports": sports,
                        "recorded_at": _at(day, 21),
                    }
                )
    with engine.begin() as conn:
        conn.execute(insert(CheckInRow), checkins)
        conn.execute(insert(SessionRow), sessions)
        if items:
            conn.execute(insert(ItemRow), items)
        conn.execute(insert(QuestionnaireRow), questionnaires)
    services.close()
    return {
        "url": url,
        "start": start.isoformat(),
        "today": TODAY.isoformat(),
        "days": total_days,
        "checkins": len(checkins),
        "sessions": len(sessions),
        "items": len(items),
        "questionnaires": len(questionnaires),
    }


def _timed(call: Callable[[], T], runs: int) -> tuple[list[int], T]:
    value = call()  # warm-up: lazy imports, caches, the engine's first connection
    timings: list[int] = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        value = call()
        timings.append(time.perf_counter_ns() - t0)
    return timings, value


def _median_ms(timings: list[int]) -> float:
    return ms(statistics.median(timings))


def in_process(url: str, runs: int) -> dict[str, Any]:
    from sqlalchemy import event

    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.progress import progress
    from footcoach.services.progress import progress_document, progress_for
    from footcoach.services.tracking import TrackingService

    services = build_services(Settings(database_url=url), clock=_Clock(TODAY))
    tracking = services.tracking

    def fresh() -> TrackingService:
        """The tracking service as a new process has it: its snapshot cache empty."""
        database = services.database
        return TrackingService(
            services.planning, database.unit_of_work, services.clock, hot=database
        )

    try:
        whole, result = _timed(lambda: progress_for(fresh(), PROFILE, TODAY), runs)
        cached, _ = _timed(lambda: progress_for(tracking, PROFILE, TODAY), runs)
        snapshot_ns, snap = _timed(lambda: fresh().snapshot(PROFILE), runs)
        profile = snap.profile
        history = snap.diary.history()
        plan_ns, _ = _timed(
            lambda: tracking.planning.plan(
                profile.intake, profile.start, history, profile.protocol, profile.weeks
            ),
            runs,
        )
        baseline = profile.intake.first_step_pain
        domain_ns, _ = _timed(
            lambda: progress(snap.program, snap.diary, TODAY, baseline=baseline, profile=PROFILE),
            runs,
        )
        document_ns, text = _timed(
            lambda: json.dumps(progress_document(result), indent=2, ensure_ascii=False), runs
        )
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        event.listen(services.database.engine, "before_cursor_execute", count)
        progress_for(fresh(), PROFILE, TODAY)
        event.remove(services.database.engine, "before_cursor_execute", count)
    finally:
        services.close()
    return {
        "runs": runs,
        "progress_for_median_ms": _median_ms(whole),
        "progress_for_max_ms": ms(max(whole)),
        "progress_for_cached_median_ms": _median_ms(cached),
        "snapshot_median_ms": _median_ms(snapshot_ns),
        "planning_median_ms": _median_ms(plan_ns),
        "domain_progress_median_ms": _median_ms(domain_ns),
        "document_and_json_median_ms": _median_ms(document_ns),
        "document_bytes": len(text.encode("utf-8")),
        "sql_statements": len(statements),
    }


def cli(url: str, runs: int) -> dict[str, Any]:
    """`footcoach progress --json` against `footcoach today --json`, run alternately."""
    common = ["--json", "--db", url, "--profile", PROFILE, "--date", TODAY.isoformat()]
    progress_command = [*footcoach_command(), "progress", *common]
    today_command = [*footcoach_command(), "today", *common]

    def once(command: list[str]) -> int:
        t0 = time.perf_counter_ns()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
        return time.perf_counter_ns() - t0

    once(progress_command)
    once(today_command)
    progress_ns: list[int] = []
    today_ns: list[int] = []
    for _ in range(runs):
        progress_ns.append(once(progress_command))
        today_ns.append(once(today_command))
    return {
        "runs": runs,
        "command": f"footcoach progress --json --date {TODAY.isoformat()}",
        "median_ms": _median_ms(progress_ns),
        "max_ms": ms(max(progress_ns)),
        "reference_command": f"footcoach today --json --date {TODAY.isoformat()}",
        "reference_median_ms": _median_ms(today_ns),
    }


def run(days: int | None = None, runs: int = RUNS, cli_runs: int = CLI_RUNS) -> dict[str, Any]:
    """Build the database (3 years unless `days` says fewer), then time progress_for and the CLI."""
    with tempfile.TemporaryDirectory(prefix="footcoach-bench-") as folder:
        t0 = time.perf_counter()
        data = build(Path(folder), days)
        build_s = round(time.perf_counter() - t0, 1)
        url = data.pop("url")
        measured = in_process(url, runs)
        command = cli(url, cli_runs)
    median = measured["progress_for_median_ms"]
    return {
        "protocol": PROTOCOL,
        "weeks": WEEKS,
        "seed": SEED,
        "data": {**data, "build_s": build_s},
        "in_process": measured,
        "cli": command,
        "target": {
            "what": "median progress_for on the data above, snapshot included",
            "limit_ms": TARGET_MS,
            "median_ms": median,
            "met": median < TARGET_MS,
            "cli_median_ms": command["median_ms"],
            "cli_met": command["median_ms"] < TARGET_MS,
        },
        "timing": {
            "clock": "time.perf_counter_ns, one call per run, after one untimed run",
            "gc": "enabled",
        },
    }


def summary(result: dict[str, Any]) -> list[str]:
    d, p, c, t = result["data"], result["in_process"], result["cli"], result["target"]
    verdict = "met" if t["met"] else "NOT met"
    cli_verdict = "under" if t["cli_met"] else "over"
    return [
        f"{d['days']} days from {d['start']}: {d['checkins']} check-ins, {d['sessions']} sessions "
        f"({d['items']} items), {d['questionnaires']} questionnaires (built in {d['build_s']} s)",
        f"  progress_for: median {p['progress_for_median_ms']} ms, max "
        f"{p['progress_for_max_ms']} ms ({p['sql_statements']} SQL statements and the revision "
        f"read); {p['progress_for_cached_median_ms']} ms when the snapshot is cached (nothing "
        "recorded since the last call)",
        f"    snapshot {p['snapshot_median_ms']} ms (of which planning "
        f"{p['planning_median_ms']} ms); domain progress() {p['domain_progress_median_ms']} ms",
        f"    document + json.dumps {p['document_and_json_median_ms']} ms "
        f"({p['document_bytes']} bytes)",
        f"  `{c['command']}`, new process: median {c['median_ms']} ms (of {c['runs']}); "
        f"`footcoach today --json` on the same data: {c['reference_median_ms']} ms",
        f"  target: median progress_for < {t['limit_ms']} ms - {verdict} ({t['median_ms']} ms); "
        f"the CLI is {cli_verdict} it",
    ]
