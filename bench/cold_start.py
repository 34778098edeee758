"""What a fresh process pays before it can answer: loading the data, and the CLI's start.

- Catalog + protocol load: a `python -c` child imports the composition root, then loads the
  catalog (exercises, sources, conflicts) and the protocols, timing each step itself with
  `time.perf_counter_ns`; the child's wall time, interpreter start included, is recorded too.
- CLI cold start: the wall time of `footcoach exercises --json` against `python -c pass`, run
  alternately, median of each and their ratio. One untimed run of each comes first so the OS file
  cache is warm; every timed run is still a new process.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.stats import ms

RUNS = 10

LOAD_CODE = """
import json, time
t0 = time.perf_counter_ns()
from footcoach.bootstrap import build_services
from footcoach.config import load_settings
t1 = time.perf_counter_ns()
services = build_services(load_settings())
library = services.library
t2 = time.perf_counter_ns()
protocols = services.protocols
t3 = time.perf_counter_ns()
print(json.dumps({"import_ns": t1 - t0, "catalog_ns": t2 - t1, "protocols_ns": t3 - t2,
                  "exercises": len(library.catalog), "protocols": len(protocols)}))
"""


def footcoach_command() -> list[str]:
    """The installed `footcoach` script next to this Python, or `python -m footcoach`."""
    script = Path(sys.executable).with_name("footcoach")
    if script.exists():
        return [str(script)]
    found = shutil.which("footcoach")
    return [found] if found else [sys.executable, "-m", "footcoach"]


def _wall_ns(command: list[str], env: dict[str, str] | None = None) -> int:
    t0 = time.perf_counter_ns()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, env=env)
    return time.perf_counter_ns() - t0


def _median_ms(values: list[int]) -> float:
    return ms(statistics.median(values))


def load_times(runs: int = RUNS) -> dict[str, Any]:
    steps: dict[str, list[int]] = {"import_ns": [], "catalog_ns": [], "protocols_ns": []}
    wall: list[int] = []
    counts: dict[str, int] = {}
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        out = subprocess.run(
            [sys.executable, "-c", LOAD_CODE], capture_output=True, text=True, check=True
        )
        wall.append(time.perf_counter_ns() - t0)
        measured = json.loads(out.stdout)
        for key, values in steps.items():
            values.append(measured[key])
        counts = {"exercises": measured["exercises"], "protocols": measured["protocols"]}
    loads = [c + p for c, p in zip(steps["catalog_ns"], steps["protocols_ns"], strict=True)]
    return {
        "runs": runs,
        **counts,
        "import_median_ms": _median_ms(steps["import_ns"]),
        "catalog_median_ms": _median_ms(steps["catalog_ns"]),
        "protocols_median_ms": _median_ms(steps["protocols_ns"]),
        "catalog_and_protocols_median_ms": _median_ms(loads),
        "process_wall_median_ms": _median_ms(wall),
    }


def cli_start(
    runs: int = RUNS,
    args: tuple[str, ...] = ("exercises", "--json"),
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    cli = [*footcoach_command(), *args]
    bare = [sys.executable, "-c", "pass"]
    _wall_ns(cli, env)
    _wall_ns(bare, env)
    cli_ns: list[int] = []
    bare_ns: list[int] = []
    for _ in range(runs):
        cli_ns.append(_wall_ns(cli, env))
        bare_ns.append(_wall_ns(bare, env))
    cli_ms, bare_ms = _median_ms(cli_ns), _median_ms(bare_ns)
    return {
        "runs": runs,
        "command": " ".join(["footcoach", *args]),
        "footcoach_median_ms": cli_ms,
        "python_pass_median_ms": bare_ms,
        "ratio": round(statistics.median(cli_ns) / statistics.median(bare_ns), 1),
    }


TODAY_TARGET_RATIO = 4.0


def today_start(runs: int = RUNS) -> dict[str, Any]:
    """`footcoach today` on a fresh SQLite profile (issue 4's cold-start measure; target < 4x):
    as it runs again and again while nothing changes (the kept answer, footcoach.cli.quick),
    and worked out in full, as the first time after a write."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'today.db'}"
        env["FOOTCOACH_PROFILE"] = "bench"
        example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "intake.json"
        subprocess.run(
            [*footcoach_command(), "init", "--intake", str(example)],
            env=env,
            check=True,
            capture_output=True,
        )
        env["FOOTCOACH_CACHE_DIR"] = str(Path(folder) / "cache")
        result = cli_start(runs, ("today",), env)
        # the same answer worked out in full, as after any write (--date skips the kept answer)
        full = cli_start(runs, ("today", "--date", date.today().isoformat()), env)
    result["target_ratio"] = TODAY_TARGET_RATIO
    result["met"] = result["ratio"] < TODAY_TARGET_RATIO
    result["after_a_change"] = {
        k: full[k] for k in ("command", "footcoach_median_ms", "python_pass_median_ms", "ratio")
    }
    return result


def run(runs: int = RUNS) -> dict[str, Any]:
    return {"load": load_times(runs), "cli": cli_start(runs), "today": today_start(runs)}


def summary(result: dict[str, Any]) -> list[str]:
    load, cli, today = result["load"], result["cli"], result["today"]
    return [
        f"catalog ({load['exercises']} exercises) + {load['protocols']} protocols, fresh process: "
        f"{load['catalog_and_protocols_median_ms']} ms "
        f"(catalog {load['catalog_median_ms']} ms, protocols {load['protocols_median_ms']} ms; "
        f"imports {load['import_median_ms']} ms; "
        f"whole process {load['process_wall_median_ms']} ms)",
        f"`{cli['command']}`: {cli['footcoach_median_ms']} ms vs `python -c pass` "
        f"{cli['python_pass_median_ms']} ms: {cli['ratio']}x (median of {cli['runs']})",
        f"`{today['command']}`: {today['footcoach_median_ms']} ms vs `python -c pass` "
        f"{today['python_pass_median_ms']} ms: {today['ratio']}x; target under "
        f"{today['target_ratio']}x - {'met' if today['met'] else 'NOT met'} (nothing changed "
        "since it last ran: the kept answer)",
        f"`{today['after_a_change']['command']}` (worked out in full, as after a write): "
        f"{today['after_a_change']['footcoach_median_ms']} ms: "
        f"{today['after_a_change']['ratio']}x",
    ]
