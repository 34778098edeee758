from __future__ import annotations

import shlex

import pytest
from typer.testing import CliRunner

from footcoach.cli.app import app


class Run:
    """Invoke `footcoach ...` in-process and return the result (stdout and stderr apart)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, command: str, env: dict[str, str] | None = None, input: str | None = None):
        return self.runner.invoke(
            app, shlex.split(command), env=env, input=input, catch_exceptions=False
        )


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("footcoach-cache"))


@pytest.fixture(autouse=True)
def _own_cache_folder(cache_folder, monkeypatch) -> None:
    """Commands keep their caches (the parsed catalog, today's answers) in the tests' folder,
    never in the user's."""
    monkeypatch.setenv("FOOTCOACH_CACHE_DIR", cache_folder)
