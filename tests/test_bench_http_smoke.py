"""The HTTP benchmark runs end to end on SQLite for 2 seconds a run (no timing is asserted)."""

from __future__ import annotations

import json
import shutil

import pytest
from bench import BENCHMARKS, http, http_wrk

REPORT = """\
Running 2s test @ http://127.0.0.1:40001/today
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   980.00us  1.20ms   1.50s    91.00%
    Req/Sec   120.50     20.10   200.00     70.00%
  Latency Distribution
     50%  850.00us
     75%    1.10ms
     90%    2.00ms
     99%    1.20s<space>
  482 requests in 2.01s, 2.58MB read
  Socket errors: connect 0, read 1, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:    239.80
Transfer/sec:      1.28MB
FOOTCOACH_STATUS created=470 replayed=7 other=5 wrapped=1
""".replace("<space>", " ")
"""wrk pads its seconds with a space, as here on the 99% line."""

ENDPOINTS = ("today_html", "api_today", "api_program", "session_log")


def test_wrk_reports_are_read_with_their_units():
    result = http_wrk.parse(REPORT)
    assert result["latency_mean_ms"] == 0.98 and result["latency_max_ms"] == 1500.0
    assert (result["p50_ms"], result["p75_ms"], result["p90_ms"], result["p99_ms"]) == (
        0.85,
        1.1,
        2.0,
        1200.0,
    )
    assert result["requests"] == 482 and result["duration_s"] == 2.01
    assert result["bytes_read"] == round(2.58 * 1024**2)
    assert result["requests_per_s"] == 239.8
    assert result["socket_errors"] == {"connect": 0, "read": 1, "write": 0, "timeout": 3}
    assert result["socket_errors_total"] == 4 and result["non_2xx_3xx"] == 5
    assert result["statuses"] == {"created": 470, "replayed": 7, "other": 5, "wrapped": 1}


def test_a_clean_wrk_report_has_no_errors():
    clean = "\n".join(
        line
        for line in REPORT.splitlines()
        if not line.lstrip().startswith(("Socket errors", "Non-2xx", "FOOTCOACH"))
    )
    result = http_wrk.parse(clean)
    assert result["socket_errors_total"] == 0 and result["non_2xx_3xx"] == 0
    assert "statuses" not in result
    with pytest.raises(ValueError, match="latency"):
        http_wrk.parse("wrk: connection refused")


def test_the_http_benchmark_is_registered():
    bench = BENCHMARKS["http"]
    assert bench.module == "bench.http" and bench.load() is http


@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (Debian: apt-get install wrk)"
)
def test_http_benchmark_returns_its_result_structure():
    result = http.run(duration_s=2, connections=8, databases=("sqlite",))

    settings = result["settings"]
    assert settings["duration_s"] == 2 and settings["connections"] == 8
    assert settings["workers"] == 2 and settings["wrk"]
    ceiling = result["ceiling"]
    assert ceiling["requests"] > 0 and ceiling["requests_per_s"] > 0
    assert ceiling["peak_rss_mb"] > 0 and ceiling["samples"] > 0
    assert set(result["databases"]) == {"sqlite"}
    sqlite = result["databases"]["sqlite"]
    assert "skipped" not in sqlite
    assert set(sqlite["endpoints"]) == set(ENDPOINTS)
    for key in ENDPOINTS:
        run = sqlite["endpoints"][key]
        assert run["requests"] > 0, key
        assert run["requests_per_s"] > 0 and run["share_of_ceiling"] > 0, key
        assert 0 < run["p50_ms"] <= run["p75_ms"] <= run["p90_ms"] <= run["p99_ms"], key
        assert run["non_2xx_3xx"] >= 0 and run["socket_errors_total"] >= 0, key
        assert run["peak_rss_mb"] > 0 and run["samples"] > 0, key
        assert run["lone_request"]["count"] == http.LONE and run["lone_request"]["median_ms"] > 0
        roles = {p["role"] for p in run["peak_processes"]}
        assert {"parent", "worker"} <= roles, key
        assert sum(p["role"] == "worker" for p in run["peak_processes"]) == 2, key
    log = sqlite["endpoints"]["session_log"]
    assert log["statuses"]["created"] > 0
    created = log["statuses"]["created"]  # answered before wrk stopped; a few more were in flight
    assert created <= log["items_written"] <= created + settings["connections"]
    pool = log["pool"]
    assert pool["positions_for_the_run"] > 0 and pool["sessions_in_diary"] > 0
    assert log["lone_request"]["statuses"] == {"201": http.LONE + 1}
    targets = sqlite["targets"]
    assert isinstance(targets["no_errors"]["met"], bool)
    assert targets["p99_under_ms"]["limit_ms"] == 50.0
    assert isinstance(targets["p99_under_ms"]["met"], bool)
    assert targets["today_html_share_of_ceiling"]["limit"] == 0.30
    assert isinstance(targets["today_html_share_of_ceiling"]["met"], bool)
    assert http.summary(result)
    json.dumps(result)  # the result is written as JSON


def test_a_machine_without_wrk_gets_a_clear_skip(monkeypatch):
    monkeypatch.setattr(http_wrk, "wrk_path", lambda: None)
    result = http.run(duration_s=2, connections=8, databases=("sqlite",))
    assert "wrk is not installed" in result["skipped"]
    assert http.summary(result) == [f"skipped: {result['skipped']}"]
