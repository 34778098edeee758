"""bench clinic: registered, skipped with a reason without PostgreSQL, and its summary reads a
result (the run itself needs a server and minutes: `python -m bench clinic`)."""

from __future__ import annotations

from bench import BENCHMARKS, clinic


def test_it_is_registered_and_skips_without_a_postgresql_url(monkeypatch):
    assert BENCHMARKS["clinic"].load() is clinic
    monkeypatch.delenv("FOOTCOACH_TEST_POSTGRES_URL", raising=False)
    result = clinic.run()
    assert "FOOTCOACH_TEST_POSTGRES_URL" in result["skipped"]
    assert clinic.summary(result) == [f"skipped: {result['skipped']}"]


def test_the_summary_says_each_figure_against_its_target():
    timing = {"count": 3, "median_ms": 40.0, "p90_ms": 60.0, "max_ms": 70.0}
    result = {
        "load_before": [1.0, 1.5, 2.0],
        "load_after": [1.2, 1.5, 2.0],
        "data": {"people": 1000, "days": 90, "seeded_in_s": 99.0},
        "first_look_ms": 4000.0,
        "cold": {**timing, "median_ms": 160.0},
        "warm": timing,
        "after_writes": {"writers": 100, "first_ms": 900.0, "next_ms": 40.0},
        "targets": {
            "cold": {"p50_under_ms": 150.0, "met": False},
            "warm": {"p50_under_ms": 50.0, "met": True},
        },
    }
    lines = clinic.summary(result)
    assert "load 1.00 1.50 2.00 before" in lines[0]
    assert any("cold: p50 160.0 ms" in line and "not met" in line for line in lines)
    assert any("warm: p50 40.0 ms" in line and ": met" in line for line in lines)
    assert lines[-2:] == [
        "first look after seeding: 4000.0 ms",
        "after 100 check-ins: first view 900.0 ms, next 40.0 ms",
    ]
