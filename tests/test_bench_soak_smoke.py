"""The soak benchmark (bench/soak.py) runs end to end on PostgreSQL for 2 seconds with a few
people (no timing is asserted): its three clients, cookie reads, token reads and cookie saves,
get only 2xx answers, and its result says what the targets need."""

from __future__ import annotations

import os
import shutil

import pytest
from bench import BENCHMARKS, soak

POSTGRES_ENV = "FOOTCOACH_TEST_POSTGRES_URL"


def test_the_soak_is_registered():
    assert BENCHMARKS["soak"].load() is soak
    assert sum(soak.CONNECTIONS.values()) == 200 and soak.DURATION_S == 60


@pytest.mark.postgres
@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (Debian: apt-get install wrk)"
)
@pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV),
    reason=f"{POSTGRES_ENV} is not set: the soak needs a PostgreSQL server",
)
def test_a_short_soak_gets_only_2xx_from_every_client():
    shares = {"cookie_reads": 4, "token_reads": 4, "cookie_saves": 2}
    result = soak.run(duration_s=2, warmup_s=1, people=6, connections=shares)
    if "skipped" in result:
        pytest.skip(result["skipped"])
    assert result["settings"]["connections_total"] == 10
    assert set(result["clients"]) == set(shares)
    for name, client in result["clients"].items():
        assert client["requests"] > 0, name
        assert client["errors_total"] == 0, (name, client["errors"], client["statuses"])
    assert result["clients"]["cookie_saves"]["statuses"]["created"] > 0
    assert result["targets"]["no_errors"] is True and result["server_alive_at_end"] is True
    rss = result["rss"]
    workers = [p for p in rss["end"]["processes"] if p["role"] == "worker"]
    assert len(workers) == 2 and rss["start"]["total_mb"] > 0
    assert isinstance(result["met"], bool)
    assert soak.summary(result)[0].startswith("10 connections for 2 s")
