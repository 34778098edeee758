"""Reads right after writes: what a view costs the server once the person's data has changed.

For each database (as bench/http.py makes them: a SQLite file in a temporary folder, a
throwaway PostgreSQL database), a person who has lived six weeks of the program is restored in
one transaction (`footcoach import` does the same): a check-in every morning and the day's
sessions done, rated, item by item (DIARY_DAYS). Then `footcoach serve --workers 2` starts, and:

1. **One at a time** (`lone`): LONE times for each view, a check-in correction
   (PUT /api/v1/checkins/{today}, a new value each time) and then the view (GET /today,
   GET /api/v1/today, GET /api/v1/program), each on a new connection, so the read lands on
   either worker, the one that wrote or the other. The server's CPU time for the read alone is
   the sum, over every thread of every process of the server, of the time on CPU that
   /proc/PID/task/TID/schedstat counts in nanoseconds, read just before the request and just
   after its answer. `cached` is the same read again with nothing written in between.
2. **Under load** (`mixed`): wrk on CONNECTIONS connections, its Lua script alternating a
   correction and GET /api/v1/today (each of wrk's threads alternates over its connections, so
   half the requests are writes and every read follows writes), for DURATION_S seconds after
   WARMUP_S of warm-up; wrk counts the answers that are not 2xx. The CPU time of the server's
   processes and of wrk (which shares the machine) is divided by the requests answered. The
   server's memory is sampled every 100 ms through the whole run (bench/http_server.py's
   Watch: the RSS of the server's processes summed, and their PSS, the proportional share of
   pages they share).

Targets, each reported as met or not: the read after a write under READ_CPU_MS of server CPU
(median) for the today views and under PROGRAM_CPU_MS for the program; under load p99 under
P99_MS, MIN_RPS requests a second or more, no errors; peak memory of the server at most
MEMORY_MB.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import http_wrk
from bench.cold_start import footcoach_command
from bench.http import DATABASES, EXAMPLE_INTAKE, PROFILE, _environment, _postgresql, _sqlite
from bench.http_server import Server, Watch, cpu_seconds, free_port, process_tree, wait_idle

DURATION_S = 20
WARMUP_S = 2
CONNECTIONS = 10
THREADS = 2
WORKERS = 2
LONE = 40
DIARY_DAYS = 42
READ_CPU_MS = 5.0
PROGRAM_CPU_MS = 8.0
P99_MS = 50.0
MIN_RPS = 1000.0
MEMORY_MB = 190.0
VIEWS = (
    ("today_html", "/today"),
    ("api_today", "/api/v1/today"),
    ("api_program", "/api/v1/program"),
)

MIXED_SCRIPT = r"""
-- Each of wrk's threads alternates: a check-in correction, then GET /api/v1/today. The
-- requests are formatted once, in init, and there is no response() callback (wrk counts the
-- answers that are not 2xx itself): wrk runs on the server's two CPUs, and formatting each
-- request and handing each answer to Lua cost it half a millisecond a request.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = {["Content-Type"] = "application/json"}
  puts = {}
  for pain = 0, 6 do
    puts[pain] = wrk.format("PUT", args[1], headers, string.format('{"first_step_pain":%d}', pain))
  end
  get = wrk.format("GET", "/api/v1/today")
  n = 0
end

function request()
  n = n + 1
  if n % 2 == 1 then
    return puts[n % 7]
  end
  return get
end

function done(summary, latency, requests)
  local sent = 0
  for _, t in ipairs(threads) do
    sent = sent + t:get("n")
  end
  io.write(string.format("FOOTCOACH_STATUS sent=%d\n", sent))
end
"""


def cpu_ns(pids: list[int]) -> int:
    """Time on CPU of every thread of these processes, in nanoseconds (schedstat)."""
    total = 0
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                text = Path(f"/proc/{pid}/task/{tid}/schedstat").read_text()
            except OSError:
                continue
            total += int(text.split()[0])
    return total


def _lived_in(url: str, today: date) -> dict[str, Any]:
    """Restore a person who started DIARY_DAYS ago and did everything, through the service."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.diary import Diary, ItemRecord, SessionRecord
    from footcoach.domain.intake import CheckIn
    from footcoach.domain.profile import Profile
    from footcoach.schemas.intake import parse_intake

    services = build_services(Settings(database_url=url, profile=PROFILE))
    try:
        intake = parse_intake(json.loads(EXAMPLE_INTAKE.read_text(encoding="utf-8")))
        start = today - timedelta(days=DIARY_DAYS - 1)
        planning = services.planning
        rng = random.Random(15)
        checkins = []
        sessions = []
        for d in range(DIARY_DAYS):
            day = start + timedelta(days=d)
            checkins.append(CheckIn(day, max(0, 6 - d // 7 + rng.randint(-1, 1))))
            if d == DIARY_DAYS - 1:
                break  # today: the check-in only
            history = Diary(checkins=tuple(checkins), sessions=tuple(sessions)).history()
            program = planning.plan(intake, start, history, "footcoach", 12)
            moment = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
            for planned in program.weeks[d // 7].days[d % 7].sessions:
                items = tuple(
                    ItemRecord(n, i.exercise, i.sets, i.reps, i.seconds, False, moment)
                    for n, i in enumerate(planned.items)
                )
                sessions.append(
                    SessionRecord(
                        day=day,
                        slot=planned.slot.value,
                        started_at=moment,
                        items=items,
                        completed=True,
                        pain_during=rng.randint(0, 3),
                        effort=rng.randint(2, 6),
                        finished_at=moment,
                        planned_items=len(items),
                    )
                )
        profile = Profile(PROFILE, intake, "footcoach", start, 12)
        diary = Diary(checkins=tuple(checkins), sessions=tuple(sessions))
        services.tracking.restore(profile, diary)
        return {"days": DIARY_DAYS, "checkins": len(checkins), "sessions": len(sessions)}
    finally:
        services.close()


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _summary_ms(values: list[int]) -> dict[str, float]:
    ms = sorted(v / 1e6 for v in values)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 3),
        "max_ms": round(ms[-1], 3),
    }


def lone(server: Server, today: date, count: int = LONE) -> dict[str, Any]:
    """Per view: the server CPU of a read right after a correction, and of an unchanged read."""
    pids = process_tree(server.pid)
    put = f"/api/v1/checkins/{today.isoformat()}"
    out: dict[str, Any] = {}
    for key, path in VIEWS:
        _request(server.port, "GET", path)
        after_write: list[int] = []
        cached: list[int] = []
        writes: list[int] = []
        for n in range(count):
            body = json.dumps({"first_step_pain": n % 7}).encode()
            before = cpu_ns(pids)
            status, answer = _request(server.port, "PUT", put, body)
            middle = cpu_ns(pids)
            if status != 200:
                raise RuntimeError(f"PUT {put} answered {status}: {answer[:300]!r}")
            status, answer = _request(server.port, "GET", path)
            after = cpu_ns(pids)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {answer[:300]!r}")
            _request(server.port, "GET", path)  # the other worker's copy, if it has none yet
            again = cpu_ns(pids)
            _request(server.port, "GET", path)
            cached.append(cpu_ns(pids) - again)
            writes.append(middle - before)
            after_write.append(after - middle)
        out[key] = {
            "path": path,
            "reads": count,
            "read_after_write_cpu": _summary_ms(after_write),
            "cached_read_cpu": _summary_ms(cached),
            "write_cpu": _summary_ms(writes),
        }
    return out


def mixed(
    server: Server, today: date, folder: Path, duration_s: int, connections: int, threads: int
) -> dict[str, Any]:
    script = folder / "mixed.lua"
    script.write_text(MIXED_SCRIPT, encoding="utf-8")
    args = [f"/api/v1/checkins/{today.isoformat()}"]
    http_wrk.run(server.base + "/", WARMUP_S, connections, threads, script, args)
    wait_idle(server.pid)
    pids = process_tree(server.pid)
    server_before = cpu_seconds(pids)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with Watch(server.pid) as watch:
        result = http_wrk.run(server.base + "/", duration_s, connections, threads, script, args)
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has ended
    answered = result["requests_per_s"] * duration_s
    client_s = (client_after.ru_utime + client_after.ru_stime) - (
        client_before.ru_utime + client_before.ru_stime
    )
    cpu = {
        "server_ms_per_request": round(1000 * (cpu_seconds(pids) - server_before) / answered, 3),
        "client_ms_per_request": round(1000 * client_s / answered, 3),
    }
    return {**result, **watch.result(), "cpu": cpu, "idle_after_s": wait_idle(server.pid)}


def database(kind: str, duration_s: int, connections: int, threads: int) -> dict[str, Any]:
    maker = _sqlite if kind == "sqlite" else _postgresql
    with maker() as db, tempfile.TemporaryDirectory(prefix="footcoach-bench-fresh-") as scratch:
        if "skipped" in db:
            return {"database": kind, "skipped": db["skipped"]}
        url = db["url"]
        today = date.today()
        t0 = time.perf_counter()
        diary = _lived_in(url, today)
        diary["restored_in_s"] = round(time.perf_counter() - t0, 2)
        port = free_port()
        command = [*footcoach_command(), "serve", "--workers", str(WORKERS), "--port", str(port)]
        command += ["--db", url]
        with Server(command, port, "/api/v1/today", cwd=Path.cwd(), env=_environment()) as server:
            with Watch(server.pid) as whole:
                one_at_a_time = lone(server, today)
                under_load = mixed(server, today, Path(scratch), duration_s, connections, threads)
            startup_s = server.startup_s
        memory = whole.result()
        return {
            "database": kind,
            "url": db["shown"],
            "diary": diary,
            "server": f"footcoach serve --workers {WORKERS}",
            "startup_s": startup_s,
            "lone": one_at_a_time,
            "mixed": under_load,
            "memory_whole_run": {
                k: memory[k]
                for k in ("peak_rss_mb", "peak_tree_rss_mb", "peak_pss_mb", "peak_processes")
            },
        }


def speed_probe_ms() -> float:
    """How fast this machine runs Python just now: the best of three runs of a fixed loop (3
    million additions), in ms. On a shared virtual machine it moves by half within minutes, and
    every figure of the run with it."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for n in range(3_000_000):
            total += n
        best = min(best, time.perf_counter() - t0)
    return round(1000 * best, 1)


def _targets(db: dict[str, Any]) -> dict[str, Any]:
    lone_runs, load = db["lone"], db["mixed"]
    reads = {key: run["read_after_write_cpu"]["median_ms"] for key, run in lone_runs.items()}
    limits = {key: PROGRAM_CPU_MS if key == "api_program" else READ_CPU_MS for key in reads}
    errors = load["non_2xx_3xx"] + load["socket_errors_total"]
    memory = db["memory_whole_run"]
    return {
        "read_after_write_cpu": {
            "median_ms": reads,
            "limit_ms": limits,
            "met": all(reads[k] < limits[k] for k in reads),
        },
        "mixed_p99": {"p99_ms": load["p99_ms"], "limit_ms": P99_MS, "met": load["p99_ms"] < P99_MS},
        "mixed_rps": {
            "requests_per_s": load["requests_per_s"],
            "limit": MIN_RPS,
            "met": load["requests_per_s"] >= MIN_RPS,
        },
        "mixed_errors": {"errors": errors, "met": errors == 0},
        "memory": {
            "peak_rss_mb": memory["peak_rss_mb"],
            "peak_pss_mb": memory["peak_pss_mb"],
            "limit_mb": MEMORY_MB,
            "met_rss": memory["peak_rss_mb"] <= MEMORY_MB,
            "met_pss": memory["peak_pss_mb"] <= MEMORY_MB,
        },
    }


def run(
    duration_s: int = DURATION_S,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    databases: tuple[str, ...] = DATABASES,
) -> dict[str, Any]:
    settings = {
        "duration_s": duration_s,
        "warmup_s": WARMUP_S,
        "connections": connections,
        "threads": threads,
        "workers": WORKERS,
        "lone_reads": LONE,
    }
    if http_wrk.wrk_path() is None:
        return {
            "skipped": "wrk is not installed (Debian: apt-get install wrk)",
            "settings": settings,
        }
    load_before = [round(x, 2) for x in os.getloadavg()]
    speed_before = speed_probe_ms()
    results = {}
    for kind in databases:
        measured = database(kind, duration_s, connections, threads)
        if "skipped" not in measured:
            measured["targets"] = _targets(measured)
        results[kind] = measured
    return {
        "settings": settings,
        "load_average": {
            "before": load_before,
            "after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
        },
        "speed_probe_ms": {"before": speed_before, "after": speed_probe_ms()},
        "databases": results,
    }


def summary(result: dict[str, Any]) -> list[str]:
    if "skipped" in result:
        return [f"skipped: {result['skipped']}"]
    load = result["load_average"]
    lines = [f"load average {load['before']} before, {load['after']} after"]
    probe = result.get("speed_probe_ms")
    if probe:
        lines.append(
            f"speed probe (a fixed Python loop; lower is faster): {probe['before']} ms before, "
            f"{probe['after']} ms after"
        )
    verdict = {True: "met", False: "NOT met"}
    for kind, db in result["databases"].items():
        if "skipped" in db:
            lines.append(f"{kind}: skipped: {db['skipped']}")
            continue
        lines.append(f"{kind} ({db['diary']['days']} days of diary):")
        for run in db["lone"].values():
            lines.append(
                f"  {run['path']}: read after a write {run['read_after_write_cpu']['median_ms']} ms"
                f" server CPU (median; p90 {run['read_after_write_cpu']['p90_ms']}), unchanged "
                f"{run['cached_read_cpu']['median_ms']} ms, the write "
                f"{run['write_cpu']['median_ms']} ms"
            )
        m = db["mixed"]
        lines.append(
            f"  mixed (correction, GET /api/v1/today) on {result['settings']['connections']} "
            f"connections: {m['requests_per_s']:.0f} req/s, p50 {m['p50_ms']} ms, p99 "
            f"{m['p99_ms']} ms, non-2xx {m['non_2xx_3xx']}, socket errors "
            f"{m['socket_errors_total']}; CPU a request: server {m['cpu']['server_ms_per_request']}"
            f" ms, wrk {m['cpu']['client_ms_per_request']} ms"
        )
        mem = db["memory_whole_run"]
        lines.append(
            f"  memory through the run: peak RSS {mem['peak_rss_mb']} MB (summed), PSS "
            f"{mem['peak_pss_mb']} MB"
        )
        t = {k: v for k, v in db["targets"].items() if k != "memory"}
        memory = db["targets"]["memory"]
        lines.append(
            "  targets: "
            + "; ".join(f"{name} {verdict[v['met']]}" for name, v in t.items())
            + f"; memory as summed RSS {verdict[memory['met_rss']]}, as PSS "
            + verdict[memory["met_pss"]]
        )
    return lines


if __name__ == "__main__":  # python -m bench.http_fresh [SECONDS [DATABASE ...]]
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else DURATION_S
    chosen = tuple(sys.argv[2:]) or DATABASES
    outcome = run(duration_s=seconds, databases=chosen)
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
