"""`python -m bench [NAME ...]`: run the chosen benchmarks (default: all), write
bench/results/<name>.json for each and print a short summary."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench import BENCHMARKS, RESULTS_DIR
from bench.stats import compile_footcoach, machine


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run footcoach's benchmarks and write bench/results/<name>.json.",
        epilog="benchmarks: " + "; ".join(f"{b.name} ({b.about})" for b in BENCHMARKS.values()),
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR, help="folder for the JSON results"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for b in BENCHMARKS.values():
            print(f"{b.name}: {b.about}")
        return 0
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        sys.stderr.write(
            f"bench: unknown benchmark {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(BENCHMARKS)}\n"
        )
        return 2
    chosen = [BENCHMARKS[n] for n in dict.fromkeys(args.names)] or list(BENCHMARKS.values())
    compile_footcoach()
    facts = machine()
    print(
        f"python {facts['python']}, {facts['cpu_count']} CPUs "
        f"(this process may use {facts['cpu_affinity']}), {facts['platform']}"
    )
    if not facts["bytecode"]["libraries"]:
        print(
            "note: the installed libraries have no bytecode (installed without compiling it, "
            "and PYTHONDONTWRITEBYTECODE is set?): every process compiles them from source, "
            "so start-up and memory figures are worse than an installed footcoach's "
            "(`python -m compileall -q .venv/lib` compiles them)"
        )
    args.results.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for bench in chosen:
        module = bench.load()
        t0 = time.perf_counter()
        result = module.run()
        elapsed = round(time.perf_counter() - t0, 1)
        path = args.results / f"{bench.name}.json"
        document = {
            "benchmark": bench.name,
            "about": bench.about,
            "machine": facts,
            "elapsed_s": elapsed,
            "result": result,
        }
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"\n{bench.name} ({elapsed} s) -> {path}")
        for line in module.summary(result):
            print(f"  {line}")
    print(f"\ndone in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
