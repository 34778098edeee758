"""A wrong database is one clear line and exit 2, and a command that only reads creates nothing."""

from __future__ import annotations

import socket

import pytest


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_line(result) -> str:
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("command", ["today", "progress", "checkin --first-step-pain 3"])
@pytest.mark.parametrize("url", ["notaurl", "mysql://someone@somewhere/footcoach"])
def test_a_url_footcoach_cannot_use_is_named_with_what_is_allowed(run, command, url):
    line = one_line(run(f"{command} --db {url}"))
    assert f"--db: got '{url}'" in line
    assert "sqlite:///" in line and "postgresql+psycopg://" in line


def test_the_setting_is_named_when_the_url_came_from_it(run):
    line = one_line(run("today", env={"FOOTCOACH_DATABASE_URL": "notaurl"}))
    assert line.startswith("footcoach: FOOTCOACH_DATABASE_URL: got 'notaurl'")


@pytest.mark.parametrize("command", ["today", "progress", "export --json -"])
def test_a_read_never_creates_a_database(run, tmp_path, command):
    missing = tmp_path / "nowhere" / "footcoach.db"
    line = one_line(run(f"{command} --db sqlite:///{missing}"))
    assert "no profile 'default' yet" in line and str(missing) in line
    assert not missing.parent.exists()


def test_a_database_server_that_refuses_is_one_line(run):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/footcoach"
    line = one_line(run(f"today --db {url}"))
    assert "could not use the database" in line and "Connection refused" in line
