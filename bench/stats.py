"""Summaries of timings and the facts of the machine they were taken on."""

from __future__ import annotations

import importlib.util
import math
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

NS_PER_MS = 1_000_000


def ms(ns: float) -> float:
    """Nanoseconds as milliseconds, rounded to the microsecond."""
    return round(ns / NS_PER_MS, 3)


def percentile(sorted_ns: Sequence[int], pct: float) -> int:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_ns:
        raise ValueError("no timings")
    rank = max(1, math.ceil(pct / 100 * len(sorted_ns)))
    return sorted_ns[rank - 1]


def distribution(timings_ns: Sequence[int]) -> dict[str, Any]:
    """Count, median, p90, p99, max and mean, in milliseconds."""
    ordered = sorted(timings_ns)
    return {
        "count": len(ordered),
        "median_ms": ms(statistics.median(ordered)),
        "p90_ms": ms(percentile(ordered, 90)),
        "p99_ms": ms(percentile(ordered, 99)),
        "max_ms": ms(ordered[-1]),
        "mean_ms": ms(statistics.fmean(ordered)),
    }


def affinity() -> list[int] | None:
    """The CPUs this process may run on, where the platform says."""
    get = getattr(os, "sched_getaffinity", None)
    return sorted(get(0)) if get else None


def _has_bytecode(module: str) -> bool:
    """Whether `module` has its compiled bytecode beside its source (or has no source), as a
    command imports it and as a server's workers do (without docstrings: `python -OO`)."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    if origin is None or not origin.endswith(".py"):
        return True
    return all(
        Path(importlib.util.cache_from_source(origin, optimization=level)).exists()
        for level in ("", 2)
    )


def bytecode() -> dict[str, bool]:
    """Whether footcoach's modules and the libraries a server imports are compiled: a module
    without bytecode is compiled from source in every process that imports it, which makes a
    server's start slower and its workers' memory larger than an installed footcoach's."""
    return {
        "footcoach": _has_bytecode("footcoach.web.app"),
        "libraries": all(_has_bytecode(m) for m in ("sqlalchemy.orm.session", "fastapi.routing")),
    }


def compile_footcoach() -> None:
    """Compile footcoach's own modules (installed editable, from src/), as an installed package
    has them; quick when nothing changed since the last time."""
    import compileall

    import footcoach

    compileall.compile_dir(Path(footcoach.__file__).parent, quiet=1, optimize=[0, 2])


def machine() -> dict[str, Any]:
    try:
        version = metadata.version("footcoach")
    except metadata.PackageNotFoundError:
        version = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": affinity(),
        "footcoach": version,
        "bytecode": bytecode(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
