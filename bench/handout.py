"""How long a printable handout takes: gathered by the service and laid out by WeasyPrint.

- In process (as the web app makes one): a profile on a temporary SQLite file, one untimed
  handout first (it imports WeasyPrint and loads the fonts), then each round times
  `services.handout.handout` plus `adapters.handout_pdf.print_handout` for a 4-week handout
  with `time.perf_counter_ns`, for A4 and letter, normal and large print. The target, 1.5 s, is
  for the 4-week A4 handout in normal print, median of the rounds.
- The command (`footcoach handout --out FILE.pdf`) in a fresh process each time, wall time,
  after one untimed run. Python's bytecode is kept in a temporary folder for these runs, as an
  installed footcoach has it, even where PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cold_start import footcoach_command
from bench.stats import distribution, ms

ROUNDS = 10
COMMAND_RUNS = 3
TARGET_MS = 1500.0
"""The target: a 4-week handout in under 1.5 s."""
INTAKE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "intake.json"


def run(rounds: int = ROUNDS, command_runs: int = COMMAND_RUNS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="footcoach-bench-handout-") as folder:
        url = f"sqlite:///{Path(folder) / 'fc.db'}"
        in_process = _in_process(url, rounds)
        command = _command(url, Path(folder), command_runs)
    a4 = in_process["a4"]
    return {
        "weeks": 4,
        "rounds": rounds,
        "target_ms": TARGET_MS,
        "in_process": in_process,
        "command": command,
        "meets_target": a4["median_ms"] < TARGET_MS,
    }


def _in_process(url: str, rounds: int) -> dict[str, Any]:
    import json

    from footcoach.adapters.handout_pdf import print_handout
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.handout import Paper, handout

    services = build_services(Settings(database_url=url))
    services.tracking.init("default", parse_intake(json.loads(INTAKE.read_text())))
    first = time.perf_counter_ns()
    print_handout(handout(services.tracking, services.catalog, "default"))
    first_ns = time.perf_counter_ns() - first
    out: dict[str, Any] = {"first_ms": ms(first_ns)}
    for key, paper, large in (
        ("a4", Paper.A4, False),
        ("letter", Paper.LETTER, False),
        ("a4_large_print", Paper.A4, True),
        ("letter_large_print", Paper.LETTER, True),
    ):
        timings, pages, size = [], 0, 0
        for _ in range(rounds):
            t0 = time.perf_counter_ns()
            made = handout(
                services.tracking, services.catalog, "default", large_print=large, paper=paper
            )
            printed = print_handout(made)
            timings.append(time.perf_counter_ns() - t0)
            pages, size = printed.pages, len(printed.pdf)
        out[key] = {**distribution(timings), "pages": pages, "bytes": size}
    services.close()
    return out


def _command(url: str, folder: Path, runs: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "FOOTCOACH_DATABASE_URL": url,
        "FOOTCOACH_CACHE_DIR": str(folder / "cache"),
        "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
    }
    command = [*footcoach_command(), "handout", "--out", str(folder / "h.pdf")]
    walls = []
    for n in range(runs + 1):
        t0 = time.perf_counter_ns()
        subprocess.run(command, env=env, check=True, capture_output=True)
        if n:  # the first run fills the bytecode and catalog caches
            walls.append(time.perf_counter_ns() - t0)
    return {"runs": runs, "median_ms": ms(statistics.median(walls)) if walls else None}


def summary(result: dict[str, Any]) -> list[str]:
    inside = result["in_process"]
    a4 = inside["a4"]
    verdict = "meets" if result["meets_target"] else "MISSES"
    lines = [
        f"4-week A4 handout in process: median {a4['median_ms']} ms, max {a4['max_ms']} ms, "
        f"{a4['pages']} pages ({verdict} the {result['target_ms']:g} ms target)",
        f"first in a process (WeasyPrint imported, fonts loaded): {inside['first_ms']} ms",
    ]
    for key in ("letter", "a4_large_print", "letter_large_print"):
        row = inside[key]
        lines.append(f"{key.replace('_', ' ')}: median {row['median_ms']} ms, {row['pages']} pages")
    if result["command"]["median_ms"] is not None:
        command = result["command"]["median_ms"]
        lines.append(f"footcoach handout, a fresh process: median {command} ms")
    return lines
