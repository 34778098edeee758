"""A soak: 200 connections for 60 s on `footcoach serve --multi-user --workers 2` on PostgreSQL,
with cookie and API-token clients at once; errors, p99 and the servers' memory growth.

What a clinic's server meets on a busy morning, held for a minute: every request is made as one
of 100 people (bench.http_multi's set-up: accounts with a profile, a web session, its CSRF token
and a personal API token each, on a throwaway PostgreSQL database at FOOTCOACH_TEST_POSTGRES_URL),
by three wrk processes running together, each with its own share of the connections:

- `cookie_reads` (CONNECTIONS["cookie_reads"]): GET /today (HTML), GET /api/v1/today and
  GET /api/v1/program in turn, with the person's session cookie;
- `token_reads`: GET /api/v1/today and GET /api/v1/program in turn, with the person's API token
  (`Authorization: Bearer fct_...`);
- `cookie_saves`: the session log, POST /api/v1/sessions/{id}/items with the cookie and the
  CSRF token, each request a new item (bench.http_multi's pool: unfinished sessions of today
  written beforehand; should it run out, the requests become retries, answered 200).

First WARMUP_S of the same load (untimed: every worker computes every person's day and program
once), then a wait until the server is idle and its RSS is read (`start`: the parent and its
workers, from /proc, bench.http_server); then DURATION_S of load, with the RSS sampled every
100 ms for its peak; then idle again and the RSS read once more (`end`). Reported: each client's
requests/s, p50, p99, and errors (wrk's socket errors, its timeouts of 10 s, and every answer
that is not 2xx); the totals; the RSS at start, peak and end, and the growth from start to end.
Targets: no errors, every client's p99 under 1 s, and RSS growth under 10%.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import http, http_multi, http_wrk
from bench.cold_start import footcoach_command
from bench.http_server import Server, Watch, free_port, process_tree, rss_kib, wait_idle

PEOPLE = 100
WORKERS = 2
DURATION_S = 60
WARMUP_S = 10
CONNECTIONS = {"cookie_reads": 80, "token_reads": 80, "cookie_saves": 40}
"""200 connections in all."""
THREADS = 2
"""wrk threads of each client."""
SAVE_RATE = 300
"""Saves a second the session log's pool has room for, over the warm-up and the run."""
COOKIE_PATHS = ("/today", "/api/v1/today", "/api/v1/program")
TOKEN_PATHS = ("/api/v1/today", "/api/v1/program")
TARGET_P99_MS = 1000.0
TARGET_RSS_GROWTH = 0.10

SCRIPT = r"""
-- Each request is made as one of the people in turn, for the next path of a list in turn.
-- args: [1] a file with one line a person: their cookie value or their API token; [2] wrk's
-- thread count (thread k takes lines k, k + threads, ...); [3] the paths, comma-separated;
-- [4] "token" (an Authorization: Bearer header) or "cookie".
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_no", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(lines, line) end
  end
  step = tonumber(args[2])
  paths = {}
  for path in string.gmatch(args[3], "[^,]+") do table.insert(paths, path) end
  mode = args[4]
  index = thread_no
  turn = thread_no
  ok, other, other_status = 0, 0, 0
end

function request()
  if index >= #lines then index = index % #lines end
  local who = lines[index + 1]
  index = index + step
  turn = turn + 1
  local path = paths[(turn % #paths) + 1]
  if mode == "token" then
    return wrk.format("GET", path, {["Authorization"] = "Bearer " .. who})
  end
  return wrk.format("GET", path, {["Cookie"] = "@COOKIE@=" .. who})
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    other = other + 1
    other_status = status
  end
end

function done(summary, latency, requests)
  local k, o, s = 0, 0, 0
  for _, t in ipairs(threads) do
    k = k + t:get("ok")
    o = o + t:get("other")
    if t:get("other_status") ~= 0 then s = t:get("other_status") end
  end
  io.write(string.format("FOOTCOACH_STATUS ok=%d other=%d other_status=%d\n", k, o, s))
end
"""


def _server_rss_mb(pid: int) -> dict[str, Any]:
    """The RSS of the server's parent and workers now (multiprocessing's helper left out, as
    bench.http_server.Watch does)."""
    watch = Watch(pid)
    parts = [(p, rss_kib(p)) for p in process_tree(pid)]
    alive = [(p, kib) for p, kib in parts if kib is not None and watch._role(p) != "helper"]
    return {
        "total_mb": round(sum(kib for _, kib in alive) / 1024, 1),
        "processes": [
            {"pid": p, "role": watch._role(p), "rss_mb": round(kib / 1024, 1)} for p, kib in alive
        ],
    }


def _client_result(run: dict[str, Any]) -> dict[str, Any]:
    statuses = run.get("statuses", {})
    answered = sum(statuses.get(k, 0) for k in ("ok", "created", "replayed"))
    errors = {
        "socket": run["socket_errors"]["connect"]
        + run["socket_errors"]["read"]
        + run["socket_errors"]["write"],
        "timeout": run["socket_errors"]["timeout"],
        "not_2xx": max(run["non_2xx_3xx"], statuses.get("other", 0)),
        "unanswered": max(0, run["requests"] - answered - statuses.get("other", 0)),
    }
    return {
        "requests": run["requests"],
        "requests_per_s": run["requests_per_s"],
        "p50_ms": run["p50_ms"],
        "p99_ms": run["p99_ms"],
        "latency_max_ms": run["latency_max_ms"],
        "statuses": statuses,
        "errors": errors,
        "errors_total": sum(errors.values()),
        "command": run["command"],
    }


def _together(jobs: dict[str, Callable[[], dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Run the wrk processes at the same time; their results by name."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def soak(
    people_count: int = PEOPLE,
    duration_s: int = DURATION_S,
    warmup_s: int = WARMUP_S,
    connections: dict[str, int] | None = None,
    workers: int = WORKERS,
) -> dict[str, Any]:
    shares = connections or CONNECTIONS
    secret = secrets.token_urlsafe(48)
    with (
        http._postgresql() as db,
        tempfile.TemporaryDirectory(prefix="footcoach-bench-soak-") as scratch,
    ):
        if "skipped" in db:
            return {"skipped": db["skipped"]}
        url, folder = db["url"], Path(scratch)
        people, made = http_multi._people(url, secret, people_count)
        cookies = http_multi.write_cookies(folder, people)
        tokens = http_multi.write_tokens(folder, people)
        from footcoach.web.auth import SESSION_COOKIE

        script = folder / "soak.lua"
        script.write_text(SCRIPT.replace("@COOKIE@", SESSION_COOKIE), encoding="utf-8")
        items_script = http_multi.write_script(folder)
        size = SAVE_RATE * (warmup_s + duration_s) + 4 * shares["cookie_saves"] + 1
        pool, facts = http_multi._session_pool(url, people, size)
        cut = SAVE_RATE * warmup_s + 2 * shares["cookie_saves"]
        warm_pool = http_multi.write_pool(folder, "warm", pool[:cut])
        run_pool = http_multi.write_pool(folder, "run", pool[cut:])
        port = free_port()
        command = [
            *footcoach_command(),
            "serve",
            "--multi-user",
            "--workers",
            str(workers),
            "--port",
            str(port),
            "--db",
            url,
        ]
        env = http_multi._environment(secret)
        with Server(command, port, http_multi.READY_PATH, cwd=http.ROOT, env=env) as server:
            base = server.base + "/"

            def clients(seconds: int, saves: Path) -> dict[str, Callable[[], dict[str, Any]]]:
                def reads(lines: Path, paths: tuple[str, ...], mode: str, name: str):
                    args = [str(lines), str(THREADS), ",".join(paths), mode]
                    return lambda: http_wrk.run(base, seconds, shares[name], THREADS, script, args)

                save_args = [str(saves), str(THREADS), "items", "cookie"]
                return {
                    "cookie_reads": reads(cookies, COOKIE_PATHS, "cookie", "cookie_reads"),
                    "token_reads": reads(tokens, TOKEN_PATHS, "token", "token_reads"),
                    "cookie_saves": lambda: http_wrk.run(
                        base, seconds, shares["cookie_saves"], THREADS, items_script, save_args
                    ),
                }

            _together(clients(warmup_s, warm_pool))
            idle_before = wait_idle(server.pid)
            start = _server_rss_mb(server.pid)
            t0 = time.perf_counter()
            with Watch(server.pid) as watch:
                runs = _together(clients(duration_s, run_pool))
            idle_after = wait_idle(server.pid)
            end = _server_rss_mb(server.pid)
            elapsed = round(time.perf_counter() - t0, 1)
            startup_s = server.startup_s
            alive = server.process is not None and server.process.poll() is None
            stderr = server.stderr_tail()
        results = {name: _client_result(run) for name, run in runs.items()}
        growth = (end["total_mb"] - start["total_mb"]) / start["total_mb"]
        errors = sum(r["errors_total"] for r in results.values())
        worst_p99 = max(r["p99_ms"] for r in results.values())
        return {
            "url": db["shown"],
            "people": made,
            "server": f"footcoach serve --multi-user --workers {workers}",
            "startup_s": startup_s,
            "server_alive_at_end": alive,
            "server_stderr_tail": stderr,
            "pool": facts,
            "clients": results,
            "requests": sum(r["requests"] for r in results.values()),
            "requests_per_s": round(sum(r["requests_per_s"] for r in results.values()), 1),
            "errors": errors,
            "worst_p99_ms": worst_p99,
            "rss": {
                "start": start,
                "peak_mb": watch.result()["peak_rss_mb"],
                "end": end,
                "growth": round(growth, 4),
                "idle_wait_s": [idle_before, idle_after],
            },
            "server_cpu": {k: v for k, v in watch.result().items() if k.startswith("server_cpu")},
            "elapsed_s": elapsed,
            "targets": {
                "no_errors": errors == 0,
                "p99_under_1s": worst_p99 < TARGET_P99_MS,
                "rss_growth_under_10_percent": growth < TARGET_RSS_GROWTH,
            },
        }


def run(
    duration_s: int = DURATION_S,
    warmup_s: int = WARMUP_S,
    people: int = PEOPLE,
    connections: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The soak; a short `duration_s` (and fewer people and connections) makes a smoke run."""
    shares = connections or CONNECTIONS
    settings = {
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "people": people,
        "workers": WORKERS,
        "connections": shares,
        "connections_total": sum(shares.values()),
        "wrk_threads_each": THREADS,
        "wrk_timeout_s": http_wrk.TIMEOUT_S,
        "targets": {
            "errors": 0,
            "p99_ms_under": TARGET_P99_MS,
            "rss_growth_under": TARGET_RSS_GROWTH,
        },
    }
    if http_wrk.wrk_path() is None:
        return {
            "skipped": "wrk is not installed (Debian: apt-get install wrk)",
            "settings": settings,
        }
    settings["wrk"] = http_wrk.wrk_version()
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = soak(people, duration_s, warmup_s, shares)
    if "skipped" in result:
        return {"skipped": result["skipped"], "settings": settings}
    return {
        "settings": settings,
        "load_average": {
            "before": load_before,
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        **result,
        "met": all(result["targets"].values()),
    }


def summary(result: dict[str, Any]) -> list[str]:
    if "skipped" in result:
        return [f"skipped: {result['skipped']}"]
    s, rss = result["settings"], result["rss"]
    lines = [
        f"{s['connections_total']} connections for {s['duration_s']} s ({s['warmup_s']} s "
        f"warm-up) on {result['server']}, PostgreSQL, {s['people']} people; load average "
        f"{result['load_average']['before'][0]} before, {result['load_average']['after'][0]} after",
    ]
    for name, one in result["clients"].items():
        lines.append(
            f"  {name} ({s['connections'][name]} connections): {one['requests_per_s']:.0f} req/s, "
            f"p50 {one['p50_ms']} ms, p99 {one['p99_ms']} ms, {one['errors_total']} errors "
            f"{one['errors'] if one['errors_total'] else ''}".rstrip()
        )
    t = result["targets"]
    lines.append(
        f"errors {result['errors']} ({'ok' if t['no_errors'] else 'NOT zero'}); worst p99 "
        f"{result['worst_p99_ms']} ms ({'under 1 s' if t['p99_under_1s'] else 'NOT under 1 s'}); "
        f"RSS {rss['start']['total_mb']} MB at start, {rss['peak_mb']} MB peak, "
        f"{rss['end']['total_mb']} MB at end: {100 * rss['growth']:+.1f}% "
        f"({'under 10%' if t['rss_growth_under_10_percent'] else 'NOT under 10%'})"
    )
    return lines


if __name__ == "__main__":  # python -m bench.soak [SECONDS]: a look without the registry
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else DURATION_S
    outcome = run(duration_s=seconds)
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
