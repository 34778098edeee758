"""The multi-user HTTP benchmark runs end to end on PostgreSQL for 2 seconds a run (no timing is
asserted), and every request it makes as a logged-in person is answered 2xx: the cookies and
CSRF tokens it builds are accepted by the server."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from bench import BENCHMARKS, http_multi, http_wrk

ENDPOINTS = (
    "today_html",
    "api_today",
    "api_program",
    "api_today_token",
    "api_program_token",
    "session_log",
)
GETS = ("today_html", "api_today", "api_program", "api_today_token", "api_program_token")
POSTGRES_ENV = "FOOTCOACH_TEST_POSTGRES_URL"


def test_the_multi_user_http_benchmark_is_registered():
    bench = BENCHMARKS["http_multi"]
    assert bench.module == "bench.http_multi" and bench.load() is http_multi


def test_the_scaling_compares_the_last_worker_count_with_the_first():
    def one(workers: int, rps: float) -> dict[str, object]:
        run = {
            "requests_per_s": rps,
            "p99_ms": 10.0,
            "server_cpu_ms_per_request": 2.0,
            "server_cpu_share": 1.0,
        }
        return {"workers": workers, "endpoints": {"api_today": {**run, "peak_rss_mb": 100.0}}}

    scaling = http_multi._scaling({"2": one(2, 100.0), "4": one(4, 150.0)})
    assert scaling is not None
    assert (scaling["from_workers"], scaling["to_workers"]) == (2, 4)
    assert scaling["endpoints"]["api_today"]["requests_per_s_ratio"] == 1.5
    assert http_multi._scaling({"2": one(2, 100.0)}) is None


@pytest.mark.postgres
@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (Debian: apt-get install wrk)"
)
@pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV),
    reason=f"{POSTGRES_ENV} is not set: the multi-user benchmark needs a PostgreSQL server",
)
def test_multi_user_http_benchmark_returns_its_result_structure_and_only_2xx():
    people = 8
    result = http_multi.run(duration_s=2, connections=8, worker_counts=(2,), people=people)
    if "skipped" in result:
        pytest.skip(result["skipped"])

    settings = result["settings"]
    assert settings["duration_s"] == 2 and settings["connections"] == 8
    assert settings["worker_counts"] == [2] and settings["people"] == people
    assert result["ceiling"]["requests_per_s"] > 0
    assert set(result["workers"]) == {"2"} and result["scaling"] is None
    two = result["workers"]["2"]
    assert "skipped" not in two
    assert two["people"]["people"] == people
    probes = two["probes"]
    assert probes["today_html"]["status"] == 200 and probes["today_html"]["anonymous_status"] == 303
    assert probes["api_today"]["status"] == 200 and probes["api_today"]["anonymous_status"] == 401
    assert probes["session_log"] == {"status": 201, "without_csrf_status": 403}
    for key in ("api_today_token", "api_program_token"):
        assert probes[key]["status"] == 200 and probes[key]["forged_token_status"] == 401
        assert two["endpoints"][key]["client"] == "token"
        pair = two["token_vs_cookie"][key]
        assert pair["token_share_of_cookie_rps"] > 0 and isinstance(pair["within_target"], bool)
    assert set(two["endpoints"]) == set(ENDPOINTS)
    for key in ENDPOINTS:
        run = two["endpoints"][key]
        statuses = run["statuses"]
        assert run["requests"] > 0, key
        assert statuses["other"] == 0, (key, statuses)  # no 401, 403, or 303 to the login page
        assert run["non_2xx_3xx"] == 0 and run["socket_errors_total"] == 0, key
        assert run["all_2xx"] is True, key
        assert run["requests_per_s"] > 0 and run["share_of_ceiling"] > 0, key
        assert 0 < run["p50_ms"] <= run["p99_ms"], key
        assert run["peak_rss_mb"] > 0 and run["server_cpu_ms_per_request"] > 0, key
        assert sum(p["role"] == "worker" for p in run["peak_processes"]) == 2, key
    for key in GETS:
        run = two["endpoints"][key]
        assert run["statuses"]["ok"] == run["requests"], key
    log = two["endpoints"]["session_log"]
    created = log["statuses"]["created"]
    assert created > 0
    assert created + log["statuses"]["replayed"] == log["requests"]
    assert created <= log["items_written"] <= created + settings["connections"]
    assert log["pool"]["sessions_per_person"] > 0
    assert two["all_2xx"] is True and result["all_2xx"] is True
    assert http_multi.summary(result)
    json.dumps(result)  # the result is written as JSON


def test_a_machine_without_wrk_gets_a_clear_skip(monkeypatch):
    monkeypatch.setattr(http_wrk, "wrk_path", lambda: None)
    result = http_multi.run(duration_s=2, connections=8, worker_counts=(2,), people=2)
    assert "wrk is not installed" in result["skipped"]
    assert http_multi.summary(result) == [f"skipped: {result['skipped']}"]


def test_an_unreachable_postgresql_gets_a_clear_skip(monkeypatch):
    monkeypatch.setattr(http_wrk, "wrk_path", lambda: "/usr/bin/wrk")
    monkeypatch.setenv(POSTGRES_ENV, "postgresql+psycopg://postgres@127.0.0.1:9/none")
    result = http_multi.run(duration_s=2, connections=8, worker_counts=(2,), people=2)
    assert "unreachable" in result["skipped"] and POSTGRES_ENV in result["skipped"]
    assert http_multi.summary(result) == [f"skipped: {result['skipped']}"]
