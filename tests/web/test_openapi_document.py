"""/openapi.json is the full description wherever the app runs: in a Python without docstrings
(`-OO`, as a server's workers run) it is built by a Python that has them, and equals the one an
ordinary Python builds; should that fail, the worker answers the one it can build itself."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from footcoach.web import openapi_document
from footcoach.web.app import create_app

PROBE = """
import json
from fastapi.testclient import TestClient
from footcoach.web.app import create_app
app = create_app()
bare = create_app().openapi()
with TestClient(app, base_url="http://127.0.0.1") as client:
    answer = client.get("/openapi.json")
    again = client.get("/openapi.json")
print(json.dumps({"optimize": __import__("sys").flags.optimize, "status": answer.status_code,
                  "served": answer.json(), "again": again.json(), "bare": bare}))
"""
SAVE_ITEM = ("/api/v1/sessions/{session_id}/items", "post")


@pytest.fixture
def settings_env(tmp_path, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", f"sqlite:///{tmp_path / 'fc.db'}")
    monkeypatch.setenv("FOOTCOACH_CACHE_DIR", str(tmp_path / "cache"))
    return dict(os.environ)


def _described(document: dict, path: str, method: str) -> str:
    return document["paths"][path][method].get("description", "")


def test_without_docstrings_the_served_description_is_the_full_one(settings_env):
    done = subprocess.run(
        [sys.executable, "-OO", "-c", PROBE],
        env=settings_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    full = create_app().openapi()
    assert found["optimize"] == 2 and found["status"] == 200
    assert found["served"] == full
    assert found["again"] == full
    # what that Python would have built itself: the docstrings' descriptions missing
    assert _described(full, *SAVE_ITEM).startswith("Post each item as it finishes")
    assert _described(found["bare"], *SAVE_ITEM) == ""


def test_the_program_prints_the_description_of_this_environment(settings_env):
    done = subprocess.run(
        [sys.executable, "-m", openapi_document.DOCUMENT_MODULE],
        env=settings_env,
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert json.loads(done.stdout) == create_app().openapi()


def test_when_the_program_fails_the_worker_answers_its_own_and_says_so(
    settings_env, monkeypatch, caplog
):
    monkeypatch.setattr(openapi_document, "without_docstrings", lambda: True)
    monkeypatch.setattr(openapi_document, "DOCUMENT_MODULE", "footcoach.no_such_module")
    # a server started in process by an earlier test may have configured logging (uvicorn's
    # dictConfig disables loggers that exist): this test reads the logger's own records
    logger = logging.getLogger("footcoach.web")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "propagate", True)
    app = create_app()
    with (
        caplog.at_level(logging.WARNING, "footcoach.web"),
        TestClient(app, base_url="http://127.0.0.1") as client,
    ):
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.json() == create_app().openapi()  # this Python has its docstrings
    assert "built without its descriptions" in caplog.text
    assert "footcoach.no_such_module" in caplog.text


def test_an_ordinary_python_builds_it_itself_once(settings_env, monkeypatch):
    def never() -> None:
        raise AssertionError("an ordinary Python needs no other program")

    monkeypatch.setattr(openapi_document, "built_apart", never)
    app = create_app()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        first = client.get("/openapi.json")
        built = app.openapi_schema
        second = client.get("/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == app.openapi()
    assert app.openapi_schema is built
