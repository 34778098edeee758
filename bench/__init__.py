"""footcoach's benchmarks, run with `python -m bench [NAME ...]` (or `make bench`).

Each benchmark is a module with two functions:

- `run() -> dict`: measure, and return a JSON-ready result;
- `summary(result) -> list[str]`: a few lines for people.

To add one (HTTP, progress, ...), write `bench/<name>.py` with those two functions and add a
`Benchmark` to `BENCHMARKS` below. Results go to `bench/results/<name>.json`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    module: str
    about: str

    def load(self) -> ModuleType:
        """The benchmark's module, imported only when it is run."""
        return importlib.import_module(self.module)


BENCHMARKS: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark(
            "program_build",
            "bench.program_build",
            "12-week program builds over 10,000 varied intakes, and serialising one to JSON",
        ),
        Benchmark(
            "cold_start",
            "bench.cold_start",
            "catalog + protocol load in a fresh process, and the CLI's cold start",
        ),
        Benchmark(
            "progress",
            "bench.progress",
            "footcoach progress on 3 years of daily data: progress_for in-process and the CLI",
        ),
        Benchmark(
            "http",
            "bench.http",
            "footcoach serve under wrk on SQLite and PostgreSQL: today, program, session log, "
            "against a bare ASGI ceiling",
        ),
        Benchmark(
            "http_fresh",
            "bench.http_fresh",
            "reads right after a check-in correction (server CPU per read) and a mixed "
            "correction/read run on 10 connections, with the server's memory, on both databases",
        ),
        Benchmark(
            "http_multi",
            "bench.http_multi",
            "footcoach serve --multi-user on PostgreSQL under wrk with 2 and 4 workers: "
            "100 people's logged-in requests (today, program, session log)",
        ),
        Benchmark(
            "soak",
            "bench.soak",
            "200 connections for 60 s on footcoach serve --multi-user --workers 2 + PostgreSQL, "
            "cookie and API-token clients at once: errors, p99 and RSS growth against targets",
        ),
        Benchmark(
            "figures",
            "bench.figures",
            "drawing every exercise's figure (SVG) in process: moving, still pair and both poses",
        ),
        Benchmark(
            "handout",
            "bench.handout",
            "a 4-week printable handout (PDF) in process, on each paper and in large print, "
            "and footcoach handout in a fresh process",
        ),
        Benchmark(
            "clinic",
            "bench.clinic",
            "GET /clinic for a clinician with 1,000 linked people of 90 days each, on "
            "PostgreSQL: a worker just started and a warm one",
        ),
        Benchmark(
            "import",
            "bench.imports",
            "restoring a year of daily data from a backup on SQLite and PostgreSQL",
        ),
    )
}
