"""wrk for the HTTP benchmark: run it, read its report, and the Lua script that posts items.

wrk (Debian's package, /usr/bin/wrk) is a closed-loop load generator: each of its connections
sends a request, waits for the answer, and sends the next. Its latencies are therefore those of
requests queued behind the others on the server (with 64 connections and N requests/s, the mean
latency is about 64/N s by Little's law), not of a lone request. An answer that takes wrk's
timeout or more is counted as a `timeout` socket error and left out of the latency figures, so
when there are timeouts the percentiles are those of the faster answers only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

WRK = "wrk"
STATUS_MARK = "FOOTCOACH_STATUS"
TIMEOUT_S = 10
"""wrk's default is 2 s; under this load a save takes longer than that about half the time, and
wrk would then leave half the answers out of its percentiles. With 10 s every answer is measured,
and a timeout is a request really left unanswered."""

_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def wrk_path() -> str | None:
    return shutil.which(WRK)


def wrk_version() -> str | None:
    path = wrk_path()
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0].strip() if first else None


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return round(float(match[1]) * _TIME_UNITS[match[2]], 3)


def _bytes(text: str) -> int:
    match = re.fullmatch(r"([\d.]+)([KMGT]?B)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk size: {text!r}")
    return round(float(match[1]) * _SIZE_UNITS[match[2]])


def parse(report: str) -> dict[str, Any]:
    """The figures of wrk's --latency report (raises ValueError on a report it cannot read)."""
    result: dict[str, Any] = {}
    latency = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+%?\s*$", report, re.M)
    if latency is None:
        raise ValueError(f"no latency line in wrk's report:\n{report}")
    result["latency_mean_ms"] = _ms(latency[1])
    result["latency_stdev_ms"] = _ms(latency[2])
    result["latency_max_ms"] = _ms(latency[3])
    percentiles = {
        int(p): _ms(v) for p, v in re.findall(r"^\s*(50|75|90|99)%\s+(\S+)\s*$", report, re.M)
    }
    if set(percentiles) != {50, 75, 90, 99}:
        raise ValueError(f"no latency distribution in wrk's report (--latency?):\n{report}")
    for p, value in sorted(percentiles.items()):
        result[f"p{p}_ms"] = value
    total = re.search(r"^\s*(\d+) requests in ([\d.]+\w+), ([\d.]+[KMGT]?B) read", report, re.M)
    if total is None:
        raise ValueError(f"no request count in wrk's report:\n{report}")
    result["requests"] = int(total[1])
    result["duration_s"] = round(_ms(total[2]) / 1000, 2)
    result["bytes_read"] = _bytes(total[3])
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.M)
    if rate is None:
        raise ValueError(f"no Requests/sec in wrk's report:\n{report}")
    result["requests_per_s"] = float(rate[1])
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    counts = [int(n) for n in errors.groups()] if errors else [0, 0, 0, 0]
    result["socket_errors"] = dict(
        zip(("connect", "read", "write", "timeout"), counts, strict=True)
    )
    result["socket_errors_total"] = sum(counts)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    result["non_2xx_3xx"] = int(non2xx[1]) if non2xx else 0
    mark = re.search(rf"^{STATUS_MARK} (.*)$", report, re.M)
    if mark:
        result["statuses"] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", mark[1])}
    return result


def command(
    url: str,
    duration_s: int,
    connections: int,
    threads: int,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> list[str]:
    path = wrk_path() or WRK
    argv = [path, f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency"]
    argv += ["--timeout", f"{TIMEOUT_S}s"]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    return argv


def run(
    url: str,
    duration_s: int,
    connections: int,
    threads: int,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> dict[str, Any]:
    """Run wrk once; its parsed figures, with the command line."""
    argv = command(url, duration_s, connections, threads, script, script_args)
    out = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=duration_s + 60)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({out.returncode}): {out.stderr}{out.stdout}")
    result = parse(out.stdout)
    shown = [Path(argv[0]).name, *argv[1:]]
    result["command"] = " ".join(shown[: shown.index("--")] if "--" in shown else shown)
    return result


# The session log: POST /api/v1/sessions/{id}/items -----------------------------------------

ITEM_SCRIPT = r"""
-- Each request saves one new item: the next (session, position, exercise) of a pool written
-- beforehand, one line each: "session position exercise sets reps seconds". wrk's threads
-- share the pool without overlapping (thread k takes lines k, k + threads, ...), so no two
-- requests post the same position of the same session unless the pool runs out, when it starts
-- again and the requests become retries (answered 200 with the record saved first).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_no", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  pool = {}
  for line in io.lines(args[1]) do
    local s, p, e, sets, reps, secs = line:match("^(%d+) (%d+) (%S+) (%d+) (%d+) (%d+)$")
    if s then table.insert(pool, {s, p, e, sets, reps, secs}) end
  end
  step = tonumber(args[2])
  index = thread_no
  created, replayed, other = 0, 0, 0
  wrapped = 0
end

function request()
  if index >= #pool then
    index = index % #pool
    wrapped = 1
  end
  local e = pool[index + 1]
  index = index + step
  local body = string.format(
    '{"position":%s,"exercise":"%s","sets_done":%s,"reps_done":%s,"seconds_done":%s,'
      .. '"skipped":false,"key":"%s:%s"}',
    e[2], e[3], e[4], e[5], e[6], e[1], e[2])
  return wrk.format("POST", "/api/v1/sessions/" .. e[1] .. "/items",
    {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    replayed = replayed + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, r, o, w = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    r = r + t:get("replayed")
    o = o + t:get("other")
    w = w + t:get("wrapped")
  end
  io.write(string.format("FOOTCOACH_STATUS created=%d replayed=%d other=%d wrapped=%d\n",
    c, r, o, w))
end
"""


PoolEntry = tuple[int, int, str, int, int, int]
"""(session id, position, exercise, sets_done, reps_done, seconds_done)"""


def item_body(entry: PoolEntry) -> bytes:
    """The body the Lua script posts for a pool entry (the same JSON, for lone requests)."""
    session, position, exercise, sets, reps, seconds = entry
    return (
        f'{{"position":{position},"exercise":"{exercise}","sets_done":{sets},'
        f'"reps_done":{reps},"seconds_done":{seconds},"skipped":false,'
        f'"key":"{session}:{position}"}}'
    ).encode()


def item_path(entry: PoolEntry) -> str:
    return f"/api/v1/sessions/{entry[0]}/items"


def write_item_script(folder: Path, pool: list[PoolEntry], name: str) -> tuple[Path, Path]:
    """The Lua script and its pool file in `folder`: (script, pool file)."""
    script = folder / "items.lua"
    script.write_text(ITEM_SCRIPT, encoding="utf-8")
    pool_file = folder / f"{name}.pool"
    pool_file.write_text(
        "".join(f"{s} {p} {e} {sets} {reps} {secs}\n" for s, p, e, sets, reps, secs in pool),
        encoding="utf-8",
    )
    return script, pool_file
