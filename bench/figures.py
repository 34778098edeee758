"""How long footcoach takes to draw every exercise's figure, in process.

One round draws all of the catalog's figures from their data, each in the three forms the pages
use (moving, and the start and end poses alone) plus the labelled still pair, through
`footcoach.services.figure_svg.render` directly, so the service's per-process cache is not in the
way. Each round is timed alone with `time.perf_counter_ns`; the target is for the moving figures
alone (one per exercise), and the median round of those is compared with it.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from bench.stats import distribution

ROUNDS = 30
TARGET_MS = 50.0
"""The target: every exercise's moving figure drawn in under 50 ms in total."""


def run() -> dict[str, Any]:
    from footcoach.adapters.catalog_files import FileCatalogSource
    from footcoach.services.figure_svg import render

    exercises = list(FileCatalogSource().load().catalog)
    moving: list[int] = []
    every_form: list[int] = []
    sizes = [len(render(ex).encode()) for ex in exercises]
    gc.collect()
    for _ in range(ROUNDS):
        t0 = time.perf_counter_ns()
        for ex in exercises:
            render(ex)
        t1 = time.perf_counter_ns()
        for ex in exercises:
            render(ex, animated=False)
            render(ex, pose="start")
            render(ex, pose="end")
        t2 = time.perf_counter_ns()
        moving.append(t1 - t0)
        every_form.append(t2 - t0)
    all_moving = distribution(moving)
    return {
        "exercises": len(exercises),
        "rounds": ROUNDS,
        "target_ms": TARGET_MS,
        "all_moving_figures": all_moving,
        "all_four_forms": distribution(every_form),
        "meets_target": all_moving["median_ms"] < TARGET_MS,
        "largest_bytes": max(sizes),
        "mean_bytes": round(sum(sizes) / len(sizes)),
    }


def summary(result: dict[str, Any]) -> list[str]:
    moving = result["all_moving_figures"]
    forms = result["all_four_forms"]
    verdict = "meets" if result["meets_target"] else "MISSES"
    return [
        f"{result['exercises']} moving figures: median {moving['median_ms']} ms a round, "
        f"max {moving['max_ms']} ms ({verdict} the {result['target_ms']:g} ms target)",
        f"all four forms of each: median {forms['median_ms']} ms a round",
        f"size: largest {result['largest_bytes']} bytes, mean {result['mean_bytes']} bytes",
    ]
