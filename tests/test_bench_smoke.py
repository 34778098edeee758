"""The program-build benchmark runs end to end on a few intakes (no timing is asserted)."""

import json

from bench import BENCHMARKS, intakes, program_build


def test_program_build_benchmark_returns_its_result_structure():
    result = program_build.run(count=20, serialise_repeats=2)

    counts = result["intakes"]
    assert counts["requested"] == counts["measured"] == 20
    assert counts["failed"] == 0 and result["failures"] == []
    assert counts["ok"] + counts["refer"] == 20
    build = result["build"]
    assert build["count"] == 20
    for key in ("median_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms"):
        assert build[key] > 0, key
    assert build["median_ms"] <= build["p90_ms"] <= build["p99_ms"] <= build["max_ms"]
    assert result["build_ok"]["median_ms"] > 0
    serialise = result["serialise"]
    assert serialise["median_ms"] > 0 and serialise["bytes"] > 0
    assert result["target"]["limit_ms"] == 2.0
    assert isinstance(result["target"]["met"], bool)
    assert program_build.summary(result)
    json.dumps(result)  # the result is written as JSON


def test_generated_intakes_are_deterministic_and_varied():
    first, again = intakes.cases(200, seed=7), intakes.cases(200, seed=7)
    assert first == again
    assert first != intakes.cases(200, seed=8)
    people = [c.intake for c in first]
    assert all(16 <= p.age <= 90 and 5 <= p.minutes_per_day <= 120 for p in people)
    assert {p.feet.value for p in people} == {"left", "right", "both"}
    assert {p.goal.value for p in people} == {"heel_pain", "foot_strength"}
    assert any(p.red_flags for p in people) and sum(not p.red_flags for p in people) > 150
    assert any(c.history is not None for c in first) and any(c.history is None for c in first)


def test_every_registered_benchmark_has_run_and_summary():
    for bench in BENCHMARKS.values():
        module = bench.load()
        assert callable(module.run) and callable(module.summary), bench.name


def test_a_module_is_known_to_have_bytecode_only_once_it_is_compiled(tmp_path, monkeypatch):
    import py_compile

    from bench.stats import _has_bytecode

    source = tmp_path / "bench_probe_module.py"
    source.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _has_bytecode("bench_probe_module") is False
    py_compile.compile(str(source), doraise=True)
    assert _has_bytecode("bench_probe_module") is False  # as a server's workers import it
    py_compile.compile(str(source), doraise=True, optimize=2)
    assert _has_bytecode("bench_probe_module") is True
    assert _has_bytecode("sys") is True  # built in: nothing to compile
