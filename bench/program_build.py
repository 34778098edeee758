"""How long footcoach takes to screen an intake and build a 12-week program.

Every build goes through the planning service (`services.planning.plan`, which calls
`footcoach.domain.planner.build_program`), exactly as `footcoach plan` does after parsing, and is
timed alone with `time.perf_counter_ns`. The process is pinned to one CPU while it measures (the
work is single-threaded), and the CPUs it was allowed before are recorded. Garbage collection
stays on, as in real use, so p99 and max include its pauses.

Serialising a program (`program_document` + `json.dumps`, as `footcoach plan --json` does) is
timed separately, on the program of docs/examples/intake.json. `json.dumps` with `indent=2` (what
the CLI prints) runs CPython's pure-Python encoder; the compact figure beside it uses the C one.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bench import intakes
from bench.stats import affinity, distribution, ms

PROTOCOL = "footcoach"
WEEKS = 12
COUNT = 10_000
SEED = 20_261_123
TARGET_MS = 2.0
"""The target: a 12-week program is built in under 2 ms (median)."""
TIME_BUDGET_S = 85.0
"""The timed builds stop here even if not all intakes were built, so `make bench` stays under
two minutes on a slow machine; the result then says how many were measured."""
EXAMPLE_INTAKE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "intake.json"
MAX_FAILURES_KEPT = 5


def _services() -> Any:
    from footcoach.bootstrap import build_services
    from footcoach.config import load_settings

    services = build_services(load_settings())
    services.planning  # noqa: B018 - load the catalog and protocols before timing
    return services


def _pin_to_one_cpu() -> tuple[int | None, set[int] | None]:
    """Pin this process to one of its CPUs; returns (the CPU, the set to restore)."""
    before = getattr(os, "sched_getaffinity", None)
    setter = getattr(os, "sched_setaffinity", None)
    if before is None or setter is None:
        return None, None
    allowed = before(0)
    cpu = max(allowed)  # the last one: CPU 0 tends to take more interrupts
    try:
        setter(0, {cpu})
    except OSError:
        return None, None
    return cpu, allowed


def _unpin(allowed: set[int] | None) -> None:
    if allowed is not None:
        os.sched_setaffinity(0, allowed)


def _serialise(services: Any, start: date, protocol: str, weeks: int, repeats: int) -> dict:
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.documents import program_document

    person = parse_intake(json.loads(EXAMPLE_INTAKE.read_text(encoding="utf-8")))
    program = services.planning.plan(person, start, None, protocol_id=protocol, weeks=weeks)
    document_ns: list[int] = []
    dumps_ns: list[int] = []
    compact_ns: list[int] = []
    text = ""
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        document = program_document(program)
        t1 = time.perf_counter_ns()
        text = json.dumps(document, indent=2, ensure_ascii=False)  # as `footcoach plan --json`
        t2 = time.perf_counter_ns()
        json.dumps(document, ensure_ascii=False)  # no indent: CPython's C encoder
        t3 = time.perf_counter_ns()
        document_ns.append(t1 - t0)
        dumps_ns.append(t2 - t1)
        compact_ns.append(t3 - t2)
    total = [a + b for a, b in zip(document_ns, dumps_ns, strict=True)]
    return {
        "program": "docs/examples/intake.json",
        "status": program.status.value,
        "repeats": repeats,
        "program_document_median_ms": ms(statistics.median(document_ns)),
        "json_dumps_median_ms": ms(statistics.median(dumps_ns)),
        "median_ms": ms(statistics.median(total)),
        "bytes": len(text.encode("utf-8")),
        "json_dumps_compact_median_ms": ms(statistics.median(compact_ns)),
    }


def run(
    count: int = COUNT,
    seed: int = SEED,
    protocol: str = PROTOCOL,
    weeks: int = WEEKS,
    warmup: int | None = None,
    serialise_repeats: int = 50,
    time_budget_s: float = TIME_BUDGET_S,
) -> dict[str, Any]:
    """Build `count` generated programs, each timed alone; returns the JSON-ready result."""
    services = _services()
    plan = services.planning.plan
    cases = intakes.cases(count, seed)
    warmup = min(50, count) if warmup is None else warmup
    for case in cases[:warmup]:  # first calls fill caches and import lazily: not timed
        plan(case.intake, case.start, case.history, protocol_id=protocol, weeks=weeks)

    all_ns: list[int] = []
    by_status: dict[str, list[int]] = {"ok": [], "refer": []}
    adjustments: Counter[str] = Counter()
    prompts = 0
    failures: list[dict[str, str]] = []
    failed = 0
    stopped_early = False
    affinity_before = affinity()
    cpu, allowed = _pin_to_one_cpu()
    gc.collect()
    deadline = time.perf_counter() + time_budget_s
    try:
        for case in cases:
            if time.perf_counter() > deadline:
                stopped_early = True
                break
            try:
                t0 = time.perf_counter_ns()
                program = plan(
                    case.intake, case.start, case.history, protocol_id=protocol, weeks=weeks
                )
                elapsed = time.perf_counter_ns() - t0
            except Exception as exc:  # a crash is a finding: keep a few, time the rest
                failed += 1
                if len(failures) < MAX_FAILURES_KEPT:
                    failures.append({"error": f"{type(exc).__name__}: {exc}", "case": repr(case)})
                continue
            all_ns.append(elapsed)
            by_status[program.status.value].append(elapsed)
            if program.adjustment is not None:
                adjustments[program.adjustment.action.value] += 1
            prompts += program.clinician_prompt is not None
        serialise = _serialise(services, intakes.START, protocol, weeks, serialise_repeats)
    finally:
        _unpin(allowed)

    if not all_ns:
        raise RuntimeError(f"no program could be built; first failure: {failures[:1]}")
    builds = distribution(all_ns)
    return {
        "protocol": protocol,
        "weeks": weeks,
        "seed": seed,
        "start": intakes.START.isoformat(),
        "intakes": {
            "requested": count,
            "measured": len(all_ns),
            "stopped_early": stopped_early,
            "failed": failed,
            "with_history": sum(c.history is not None for c in cases[: len(all_ns) + failed]),
            "ok": len(by_status["ok"]),
            "refer": len(by_status["refer"]),
            "adjustments": dict(sorted(adjustments.items())),
            "clinician_prompts": prompts,
        },
        "build": builds,
        "build_ok": distribution(by_status["ok"]) if by_status["ok"] else None,
        "build_refer": distribution(by_status["refer"]) if by_status["refer"] else None,
        "serialise": serialise,
        "target": {
            "what": f"median time to build a {weeks}-week program",
            "limit_ms": TARGET_MS,
            "median_ms": builds["median_ms"],
            "met": builds["median_ms"] < TARGET_MS,
        },
        "timing": {
            "clock": "time.perf_counter_ns, one call per build",
            "warmup_builds": warmup,
            "pinned_cpu": cpu,
            "cpu_affinity_before": affinity_before,
            "gc": "enabled",
        },
        "failures": failures,
    }


def summary(result: dict[str, Any]) -> list[str]:
    b, n, s, t = result["build"], result["intakes"], result["serialise"], result["target"]
    ok = result["build_ok"]
    lines = [
        f"{n['measured']} builds of a {result['weeks']}-week '{result['protocol']}' program "
        f"({n['ok']} ok, {n['refer']} refer, {n['with_history']} with a history)"
        + (" - stopped early at the time budget" if n["stopped_early"] else ""),
        f"  build: median {b['median_ms']} ms, p90 {b['p90_ms']} ms, p99 {b['p99_ms']} ms, "
        f"max {b['max_ms']} ms",
    ]
    if ok:
        lines.append(f"  ok programs only: median {ok['median_ms']} ms")
    lines.append(
        f"  serialise one program ({s['bytes']} bytes): {s['median_ms']} ms "
        f"(program_document {s['program_document_median_ms']} ms + "
        f"json.dumps indent=2 {s['json_dumps_median_ms']} ms; "
        f"without indent {s['json_dumps_compact_median_ms']} ms)"
    )
    verdict = "met" if t["met"] else "NOT met"
    lines.append(f"  target: median build < {t['limit_ms']} ms - {verdict} ({t['median_ms']} ms)")
    if n["failed"]:
        lines.append(f"  {n['failed']} builds FAILED; first: {result['failures'][0]['error']}")
    return lines
