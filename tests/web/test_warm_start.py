"""A served app starts warm: the catalog, the templates and the database loaded, then the heap
frozen out of the cycle collector's walks (the OpenAPI description waits for its first
request); an app built for tests is left as it is. Each case
runs in a process of its own, so the test process's heap is not frozen."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

PROBE = """
import gc, json
from fastapi.testclient import TestClient
{build}
before = gc.get_freeze_count()
with TestClient(app, base_url="http://127.0.0.1") as client:
    status = client.get("/api/v1/exercises").status_code
    built = app.state.services.__dict__
    loaded = sorted(k for k in ("library", "protocols", "planning") if k in built)
    templates = len(app.state.templates.env.cache or {{}})
    described_at_start = app.openapi_schema is not None
    described = client.get("/openapi.json").status_code == 200 and bool(app.openapi_schema)
    print(json.dumps({{"status": status, "before": before, "frozen": gc.get_freeze_count(),
                      "loaded": loaded, "templates": templates,
                      "thresholds": list(gc.get_threshold()),
                      "described_at_start": described_at_start, "described": described}}))
"""


def _probe(build: str, tmp_path) -> dict:
    env = {**os.environ, "FOOTCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'fc.db'}"}
    env["FOOTCOACH_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(build=build)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_served_app_is_loaded_then_frozen_when_it_starts(tmp_path):
    found = _probe("from footcoach.web.asgi import app", tmp_path)
    assert found["status"] == 200
    assert found["before"] == 0 and found["frozen"] > 50_000
    assert found["loaded"] == ["library", "planning", "protocols"]
    assert found["templates"] > 10  # every page's template compiled
    assert found["thresholds"] == [20_000, 50, 100]
    # the OpenAPI description is built by the first request for it, not at the start
    assert not found["described_at_start"] and found["described"]


def test_an_app_built_for_tests_is_left_as_it_is(tmp_path):
    found = _probe("from footcoach.web.app import create_app\napp = create_app()", tmp_path)
    assert found["status"] == 200 and found["frozen"] == 0
    assert found["thresholds"] == list(gc.get_threshold())  # as this process has them
