"""footcoach served over HTTP under load: throughput, latency, errors and memory, per database.

For each database (SQLite: a file in a temporary folder; PostgreSQL: a throwaway database on the
server at FOOTCOACH_TEST_POSTGRES_URL, or postgresql+psycopg://postgres@127.0.0.1:5432/test,
dropped afterwards, and skipped with a note when that server does not answer):

1. a profile is created as a person would, with `footcoach init --intake
   docs/examples/intake.json --db URL` (it starts today);
2. `footcoach serve --workers 2 --port FREE --db URL` starts as a subprocess, and the benchmark
   waits until GET /api/v1/today answers 200;
3. each endpoint in turn: 1 s of untimed wrk warm-up (each worker's first requests load the
   catalog and compile templates), 20 requests sent one at a time on one connection
   (`lone_request`: what a request costs when nothing else runs), then the measured run,
   `wrk -t2 -c64 -d20s --latency --timeout 10s` against 127.0.0.1. Between runs the benchmark
   waits until the server is idle again (`idle_after_s`): wrk stops with up to one request per
   connection still in the server, which would otherwise weigh on the next run. The endpoints:
   GET /today (the HTML page), GET /api/v1/today, GET /api/v1/program (the whole 12-week
   program as JSON), then the session log;
4. the session log is POST /api/v1/sessions/{id}/items, driven by a Lua script
   (bench/http_wrk.py). Saving is idempotent by position (a position saved before is answered
   200 and writes nothing), so to measure the write path every request saves a *new* item:
   sessions of today's slots are created beforehand, unfinished, straight into the database
   (through the API, starting and finishing one takes ~85 ms once 500 exist), and the
   script walks a pool of their (session, position, exercise) entries with a counter, each of
   wrk's threads taking every other one, and posts the item done in full. The pool has room
   for 8,000 saves a second over the warm-up and the run (plus the lone saves and four per
   connection), more than a 2-CPU machine manages, and its size depends on the run's length
   only, so the diary is the same from one run to the next: about 100,000 unfinished sessions
   of today for a 20 s run (some 90 years of three sessions a day, far more than anyone's
   diary: every view of the person holds it; `session_log.pool`).
   Should the pool run out, the script starts over and those requests are retries
   (200, no write), counted apart (`statuses.replayed`). The GET endpoints run first,
   on the new profile's empty diary.

The server's memory is the sum of the RSS of the `footcoach serve` parent and its uvicorn
workers, sampled every 100 ms during each run from /proc/PID/status (multiprocessing's resource
tracker, a helper, only in `peak_tree_rss_mb`); its CPU time over the run comes from
/proc/PID/stat. wrk runs on the same machine and competes for its CPUs; the machine's load
average before and after is recorded.

The ceiling: in the same run, a bare ASGI app that answers b"ok" (bench/http_ceiling.py) is
served by uvicorn the same way (2 workers, same loop and parser, no access log) and loaded with
the same wrk settings; each endpoint's requests/s is reported as a share of it.

Targets, each reported as met or not: no errors (no non-2xx/3xx answer, no socket error; wrk
counts an answer slower than its timeout, here 10 s, as a timeout error and leaves it out of its
percentiles; its default, 2 s, would hide half the session log's answers), p99 under 50 ms, and
GET /today (HTML) at 30 % of the ceiling or more. wrk keeps 64 connections busy, so by Little's
law p99 under 50 ms needs well over 64 / 0.05 = 1,280 requests/s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import http_wrk
from bench.cold_start import footcoach_command
from bench.http_server import Server, Watch, free_port, http_get, lone_requests, wait_idle

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_INTAKE = ROOT / "docs" / "examples" / "intake.json"
PROFILE = "default"

DURATION_S = 20
CONNECTIONS = 64
THREADS = 2
WORKERS = 2
WARMUP_S = 1
DATABASES = ("sqlite", "postgresql")
POSTGRES_ENV = "FOOTCOACH_TEST_POSTGRES_URL"
POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

TARGET_P99_MS = 50.0
TARGET_TODAY_SHARE = 0.30
LONE = 20
"""Requests sent one at a time before each run, for a lone request's time."""
POOL_RATE = 8000
"""Saves a second the session log's pool has room for over the run (more than a 2-CPU machine
manages): it fixes the diary's size, about 100,000 sessions for a 20 s run."""

GET_ENDPOINTS = (
    ("today_html", "/today", "GET /today (HTML)"),
    ("api_today", "/api/v1/today", "GET /api/v1/today"),
    ("api_program", "/api/v1/program", "GET /api/v1/program"),
)
SESSION_LOG = ("session_log", "/api/v1/sessions/{id}/items", "POST /api/v1/sessions/{id}/items")
LABELS = {key: label for key, _, label in (*GET_ENDPOINTS, SESSION_LOG)}


# Environment -------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    """This process's environment for the children, without footcoach's own settings (the
    database comes with --db), and with the profile made explicit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTCOACH_")}
    env["FOOTCOACH_PROFILE"] = PROFILE
    return env


@contextmanager
def _sqlite() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="footcoach-bench-http-") as folder:
        path = Path(folder) / "footcoach.db"
        yield {"url": f"sqlite:///{path}", "shown": "sqlite:///<temporary folder>/footcoach.db"}


@contextmanager
def _postgresql() -> Iterator[dict[str, Any]]:
    """A throwaway database on the server, dropped afterwards; {"skipped": why} when the server
    does not answer."""
    base = os.environ.get(POSTGRES_ENV) or POSTGRES_DEFAULT
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"footcoach_bench_{uuid.uuid4().hex[:12]}"
    unreachable = None
    admin = None
    try:
        admin = create_engine(
            base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no driver, no server, no rights: the run goes on without it
        words = str(exc).strip()
        unreachable = words.splitlines()[0] if words else type(exc).__name__
        if admin is not None:
            admin.dispose()
    if unreachable is not None or admin is None:
        shown = base.split("@")[-1]
        yield {
            "skipped": f"PostgreSQL at {shown} is unreachable ({unreachable}); set {POSTGRES_ENV}"
        }
        return
    url = make_url(base).set(database=name)
    try:
        yield {
            "url": url.render_as_string(hide_password=False),
            "shown": url.render_as_string(hide_password=True),
        }
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Runs --------------------------------------------------------------------------------------


def _load(
    server: Server,
    path: str,
    duration_s: int,
    connections: int,
    threads: int,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> dict[str, Any]:
    """One measured wrk run with the server's memory and CPU watched; then waits until the
    server has worked through what wrk left in flight."""
    with Watch(server.pid) as watch:
        result = http_wrk.run(
            server.base + path, duration_s, connections, threads, script, script_args
        )
    return {**result, **watch.result(), "idle_after_s": wait_idle(server.pid)}


def _errors(run: dict[str, Any]) -> dict[str, int]:
    """Every kind of error of a run. wrk counts an answer that took its timeout (10 s) or more as
    a `timeout` and leaves it out of the latency figures: a slow answer, not a lost one."""
    sockets = run["socket_errors"]
    return {
        "non_2xx_3xx": run["non_2xx_3xx"],
        "other_status": run.get("statuses", {}).get("other", 0),
        "connect_read_write": sockets["connect"] + sockets["read"] + sockets["write"],
        "timeout": sockets["timeout"],
    }


def ceiling(duration_s: int, connections: int, threads: int, warmup_s: int) -> dict[str, Any]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.http_ceiling:app",
        "--app-dir",
        str(ROOT),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with Server(command, port, "/", cwd=ROOT, env=_environment()) as server:
        http_wrk.run(server.base + "/", warmup_s, connections, threads)
        wait_idle(server.pid)
        lone = lone_requests(server.port, [("GET", "/", None)] * (LONE + 1))
        measured = _load(server, "/", duration_s, connections, threads)
    return {
        "app": "bench.http_ceiling:app (ASGI, answers b'ok')",
        "server": f"uvicorn, {WORKERS} workers, --log-level warning --no-access-log",
        "startup_s": server.startup_s,
        "lone_request": lone,
        **measured,
    }


def _init_profile(url: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [*footcoach_command(), "init", "--intake", str(EXAMPLE_INTAKE), "--db", url],
        env=_environment(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
    )
    return round(time.perf_counter() - t0, 2)


def _session_pool(
    url: str, positions: int, reuse: list[http_wrk.PoolEntry] | None = None
) -> tuple[list[http_wrk.PoolEntry], dict[str, Any]]:
    """A pool of `positions` items to save: the entries of `reuse` not saved yet, then new
    unfinished sessions of today's slots, as many as it takes.

    The sessions are written in one transaction with SQLAlchemy Core (like bench/progress.py
    writes its diary); the planned items come from the tracking service, as the server plans
    them, and each entry is the item done in full (services.sessions.limits, as the guided
    player counts it).
    """
    from sqlalchemy import func, insert, select

    from footcoach.adapters.db.tables import ItemRow, ProfileRow, SessionRow
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url, profile=PROFILE))
    try:
        engine = services.database.engine
        leftover: list[http_wrk.PoolEntry] = []
        if reuse:
            with engine.connect() as conn:
                first = min(e[0] for e in reuse)  # the pool's sessions were made together
                saved = set(
                    conn.execute(
                        select(ItemRow.session_id, ItemRow.position).where(
                            ItemRow.session_id >= first
                        )
                    ).tuples()
                )
            leftover = [e for e in reuse if (e[0], e[1]) not in saved]
        view, slots = slot_items(services, PROFILE)
        order = list(slots)
        rows: list[dict[str, Any]] = []
        count = len(leftover)
        while count < positions:
            slot = order[len(rows) % len(order)]
            rows.append({"slot": slot})
            count += len(slots[slot])
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            profile_id = conn.execute(
                select(ProfileRow.id).where(ProfileRow.name == PROFILE)
            ).scalar_one()
            for row in rows:
                row.update(
                    profile_id=profile_id,
                    day=view.day,
                    started_at=now,
                    finished_at=None,
                    completed=False,
                    pain_during=None,
                    effort=None,
                )
            created = (
                conn.execute(insert(SessionRow).returning(SessionRow.id, SessionRow.slot), rows)
                .tuples()
                .all()
                if rows
                else []
            )
            in_diary = conn.execute(
                select(func.count())
                .select_from(SessionRow)
                .where(SessionRow.profile_id == profile_id)
            ).scalar_one()
        pool = leftover + [
            (session_id, position, exercise, sets, reps, seconds)
            for session_id, slot in sorted(created)
            for position, exercise, sets, reps, seconds in slots[slot]
        ]
        facts = {
            "positions": len(pool),
            "reused": len(leftover),
            "sessions_created": len(created),
            "sessions_in_diary": in_diary,
            "items_per_slot": {slot: len(items) for slot, items in slots.items()},
            "created_in_s": round(time.perf_counter() - t0, 2),
        }
        return pool, facts
    finally:
        services.close()


SlotItems = dict[str, list[tuple[int, str, int, int, int]]]
"""Per slot of a day: (position, exercise, sets, reps, seconds) of each item done in full."""


def slot_items(services: Any, profile: str) -> tuple[Any, SlotItems]:
    """Today's view of a profile and, per slot, its items done in full, as the guided player
    counts them (services.sessions.limits_of); RuntimeError when there is nothing to log."""
    from footcoach.services.sessions import limits_of

    view = services.tracking.today(profile)
    catalog = services.library.catalog
    slots: SlotItems = {}
    for planned in view.sessions:
        items = []
        for position, item in enumerate(planned.session.items):
            most = limits_of(catalog, item)
            items.append((position, item.exercise, most.sets, most.reps, most.seconds))
        if items:
            slots[planned.session.slot.value] = items
    if not slots:
        raise RuntimeError(f"{profile} has no session to log on {view.day}")
    return view, slots


def _items_saved(url: str) -> int:
    from sqlalchemy import func, select

    from footcoach.adapters.db.tables import ItemRow
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    try:
        with services.database.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ItemRow)).scalar_one())
    finally:
        services.close()


def _session_log(
    server: Server,
    url: str,
    folder: Path,
    duration_s: int,
    connections: int,
    threads: int,
    warmup_s: int,
) -> dict[str, Any]:
    """One pool for the whole session log, its size fixed by the run's length (POOL_RATE saves a
    second), so the diary is the same size from one run to the next: the lone saves take its
    first entries, the warm-up the next ones, the run the entries not saved by then."""

    def requests(pool: list[http_wrk.PoolEntry]) -> list[tuple[str, str, bytes | None]]:
        return [("POST", http_wrk.item_path(e), http_wrk.item_body(e)) for e in pool]

    size = POOL_RATE * (warmup_s + duration_s) + LONE + 1 + 4 * connections
    pool, created = _session_pool(url, size)
    lone = lone_requests(server.port, requests(pool[: LONE + 1]))
    rest = pool[LONE + 1 :]
    script, warm_file = http_wrk.write_item_script(folder, rest, "warmup")
    http_wrk.run(
        server.base + "/", warmup_s, connections, threads, script, [str(warm_file), str(threads)]
    )
    wait_idle(server.pid)
    left, facts = _session_pool(url, 0, rest)  # the entries not saved yet; creates nothing
    script, pool_file = http_wrk.write_item_script(folder, left, "measured")
    before = _items_saved(url)
    measured = _load(
        server, "/", duration_s, connections, threads, script, [str(pool_file), str(threads)]
    )
    measured["items_written"] = _items_saved(url) - before  # with those in flight at the end
    measured["pool"] = {
        "capacity_rps": POOL_RATE,
        "sessions_created": created["sessions_created"],
        "items_per_slot": created["items_per_slot"],
        "positions_created": created["positions"],
        "positions_for_the_run": facts["positions"],
        "sessions_in_diary": facts["sessions_in_diary"],
        "created_in_s": created["created_in_s"],
    }
    measured["lone_request"] = lone
    return measured


def database(
    kind: str, duration_s: int, connections: int, threads: int, warmup_s: int
) -> dict[str, Any]:
    maker = _sqlite if kind == "sqlite" else _postgresql
    with maker() as db, tempfile.TemporaryDirectory(prefix="footcoach-bench-wrk-") as scratch:
        if "skipped" in db:
            return {"database": kind, "skipped": db["skipped"]}
        url = db["url"]
        init_s = _init_profile(url)
        port = free_port()
        command = [
            *footcoach_command(),
            "serve",
            "--workers",
            str(WORKERS),
            "--port",
            str(port),
            "--db",
            url,
        ]
        runs: dict[str, Any] = {}
        with Server(command, port, "/api/v1/today", cwd=ROOT, env=_environment()) as server:
            probes = {}
            for key, path, _ in GET_ENDPOINTS:
                status, body = http_get(server.base + path)
                probes[key] = {"status": status, "bytes": len(body)}
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
            for key, path, _ in GET_ENDPOINTS:
                http_wrk.run(server.base + path, warmup_s, connections, threads)
                wait_idle(server.pid)
                lone = lone_requests(server.port, [("GET", path, None)] * (LONE + 1))
                runs[key] = {
                    "path": path,
                    "response_bytes": probes[key]["bytes"],
                    "lone_request": lone,
                }
                runs[key].update(_load(server, path, duration_s, connections, threads))
            runs["session_log"] = {
                "path": SESSION_LOG[1],
                **_session_log(
                    server, url, Path(scratch), duration_s, connections, threads, warmup_s
                ),
            }
            startup_s = server.startup_s
        return {
            "database": kind,
            "url": db["shown"],
            "init_s": init_s,
            "server": f"footcoach serve --workers {WORKERS}",
            "startup_s": startup_s,
            "endpoints": runs,
        }


def _targets(result: dict[str, Any], ceiling_rps: float) -> dict[str, Any]:
    endpoints = result["endpoints"]
    for run in endpoints.values():
        run["share_of_ceiling"] = round(run["requests_per_s"] / ceiling_rps, 4)
    errors = {key: _errors(run) for key, run in endpoints.items()}
    p99 = {key: run["p99_ms"] for key, run in endpoints.items()}
    slow = [key for key, e in errors.items() if e["timeout"]]
    share = endpoints["today_html"]["share_of_ceiling"]
    return {
        "no_errors": {
            "errors": errors,
            "met": not any(sum(e.values()) for e in errors.values()),
        },
        "p99_under_ms": {
            "limit_ms": TARGET_P99_MS,
            "p99_ms": p99,
            "met": all(v < TARGET_P99_MS for v in p99.values()) and not slow,
            "met_by": {key: v < TARGET_P99_MS and key not in slow for key, v in p99.items()},
            "note": None
            if not slow
            else f"{', '.join(slow)}: answers of {http_wrk.TIMEOUT_S} s or more are timeouts for "
            "wrk, left out of its percentiles, so the p99 shown is of the faster answers only",
        },
        "today_html_share_of_ceiling": {
            "limit": TARGET_TODAY_SHARE,
            "share": share,
            "met": share >= TARGET_TODAY_SHARE,
        },
    }


def run(
    duration_s: int = DURATION_S,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    databases: tuple[str, ...] = DATABASES,
    warmup_s: int = WARMUP_S,
) -> dict[str, Any]:
    """The ceiling, then each database; a short `duration_s` makes a smoke run."""
    unknown = set(databases) - set(DATABASES)
    if unknown:
        raise ValueError(f"databases: got {sorted(unknown)}; allowed: {', '.join(DATABASES)}")
    settings = {
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "connections": connections,
        "threads": threads,
        "workers": WORKERS,
        "wrk_timeout_s": http_wrk.TIMEOUT_S,
        "memory_sample_every_s": 0.1,
    }
    if http_wrk.wrk_path() is None:
        return {
            "skipped": "wrk is not installed (Debian: apt-get install wrk)",
            "settings": settings,
        }
    settings["wrk"] = http_wrk.wrk_version()
    load_before = [round(x, 2) for x in os.getloadavg()]
    top = ceiling(duration_s, connections, threads, warmup_s)
    results = {}
    for kind in databases:
        measured = database(kind, duration_s, connections, threads, warmup_s)
        if "skipped" not in measured:
            measured["targets"] = _targets(measured, top["requests_per_s"])
        results[kind] = measured
    return {
        "settings": settings,
        "load_average": {
            "before": load_before,
            "after": [round(x, 2) for x in os.getloadavg()],
            "note": "1, 5 and 15 min load averages of the machine; above its CPU count, "
            "something else competed with the server and wrk",
        },
        "ceiling": top,
        "databases": results,
        "profile": {"intake": "docs/examples/intake.json", "protocol": "footcoach"},
    }


def summary(result: dict[str, Any]) -> list[str]:
    if "skipped" in result:
        return [f"skipped: {result['skipped']}"]
    s, top = result["settings"], result["ceiling"]
    lines = [
        f"wrk -t{s['threads']} -c{s['connections']} -d{s['duration_s']}s "
        f"({s['warmup_s']} s warm-up each), servers with {s['workers']} workers; "
        f"load average {result['load_average']['before'][0]} before, "
        f"{result['load_average']['after'][0]} after",
        f"ceiling (bare ASGI b'ok'): lone request {top['lone_request']['median_ms']} ms; "
        f"{top['requests_per_s']:.0f} req/s, p50 {top['p50_ms']} ms, "
        f"p99 {top['p99_ms']} ms, peak RSS {top['peak_rss_mb']} MB",
    ]
    for kind, db in result["databases"].items():
        if "skipped" in db:
            lines.append(f"{kind}: skipped: {db['skipped']}")
            continue
        lines.append(f"{kind}:")
        for key, run in db["endpoints"].items():
            errors = _errors(run)
            slow = (
                f" ({errors['timeout']} of them timeouts, >= {http_wrk.TIMEOUT_S} s)"
                if errors["timeout"]
                else ""
            )
            lone = run["lone_request"]["median_ms"]
            lines.append(
                f"  {LABELS[key]}: lone request {lone} ms; "
                f"under load {run['requests_per_s']:.0f} req/s "
                f"({100 * run['share_of_ceiling']:.1f}% of ceiling), p50 {run['p50_ms']} ms, "
                f"p99 {run['p99_ms']} ms, {sum(errors.values())} errors{slow}, "
                f"peak RSS {run['peak_rss_mb']} MB, server CPU "
                f"{1000 * run['server_cpu_s'] / max(1, run['requests']):.1f} ms/request"
            )
        log = db["endpoints"]["session_log"]
        st = log.get("statuses", {})
        lines.append(
            f"    session log: {st.get('created', 0)} items saved (201), {st.get('replayed', 0)} "
            f"retries (200), {st.get('other', 0)} other; "
            f"{log['pool']['sessions_in_diary']} sessions in the diary during the run"
        )
        t = db["targets"]
        verdict = {True: "met", False: "NOT met"}
        missed = [LABELS[k] for k, ok in t["p99_under_ms"]["met_by"].items() if not ok]
        lines.append(
            f"  targets: no errors {verdict[t['no_errors']['met']]}; "
            f"p99 < {t['p99_under_ms']['limit_ms']:.0f} ms {verdict[t['p99_under_ms']['met']]}"
            + (f" ({', '.join(missed)})" if missed else "")
            + f"; /today >= {100 * TARGET_TODAY_SHARE:.0f}% of ceiling "
            f"{verdict[t['today_html_share_of_ceiling']['met']]} "
            f"({100 * t['today_html_share_of_ceiling']['share']:.1f}%)"
        )
    return lines


if __name__ == "__main__":  # python -m bench.http [SECONDS]: a quick look without the registry
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else DURATION_S
    outcome = run(duration_s=seconds)
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
