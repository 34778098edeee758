"""`footcoach today` answered from its kept output while nothing it shows has changed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from footcoach.adapters.db.migrate import HEAD
from footcoach.cli import quick

INTAKE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "intake.json"


@pytest.fixture
def db(tmp_path, monkeypatch, run):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    assert run(f"init --intake {INTAKE}").exit_code == 0
    return url


def quick_answer(argv: list[str]) -> str | None:
    out = io.StringIO()
    return out.getvalue() if quick.answer(argv, os.environ, out) else None


def test_the_schema_head_it_expects_is_the_migrations_head():
    assert quick.SCHEMA_HEAD == HEAD


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["today"], {}),
        (["today", "--json"], {"json": "1"}),
        (
            ["today", "--profile", "ann", "--db=sqlite:///x.db"],
            {"profile": "ann", "db": "sqlite:///x.db"},
        ),
        (["today", "--date", "2026-11-23"], None),
        (["today", "--help"], None),
        (["today", "--profile"], None),
        (["today", "--profile", "a", "--profile", "b"], None),
        (["checkin"], None),
        ([], None),
    ],
)
def test_only_plain_today_command_lines_are_answered_quickly(argv, expected):
    assert quick.parse(argv) == expected


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////srv/fc.db", "/srv/fc.db"),
        ("sqlite:///fc.db", "fc.db"),
        ("sqlite:///fc.db?mode=ro", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/footcoach", None),
    ],
)
def test_only_a_plain_sqlite_file_is_read(url, path):
    assert quick.database_file(url, {}) == path


def test_the_full_command_keeps_its_answer_and_a_write_retires_it(run, db):
    assert quick_answer(["today"]) is None  # nothing kept yet
    full = run("today").stdout
    assert "Morning check-in due" in full
    assert quick_answer(["today"]) == full
    assert run("checkin --first-step-pain 4").exit_code == 0
    assert quick_answer(["today"]) is None  # the revision moved
    again = run("today").stdout
    assert "First-step pain this morning: 4/10" in again
    assert quick_answer(["today"]) == again


def test_json_and_the_table_are_kept_apart(run, db):
    table = run("today").stdout
    document = run("today --json").stdout
    assert document.lstrip().startswith("{")
    assert quick_answer(["today", "--json"]) == document
    assert quick_answer(["today"]) == table


def test_another_profile_or_day_or_terminal_is_not_served_what_was_kept(run, db, monkeypatch):
    run("today")
    assert quick_answer(["today", "--profile", "other"]) is None
    monkeypatch.setenv("NO_COLOR", "1")
    assert quick_answer(["today"]) is None
    monkeypatch.delenv("NO_COLOR")
    options = quick.parse(["today"])
    kept = quick.key(options, os.environ, io.StringIO(), date.today())
    tomorrow = quick.key(options, os.environ, io.StringIO(), date(2999, 1, 1))
    assert kept is not None and tomorrow is not None
    assert kept.path == tomorrow.path and kept.value != tomorrow.value


def test_edited_catalog_data_retires_the_answer(run, db, tmp_path, monkeypatch):
    import shutil

    from footcoach.adapters.catalog_files import package_data

    data = tmp_path / "data"
    shutil.copytree(package_data(), data)
    monkeypatch.setenv("FOOTCOACH_DATA_DIR", str(data))
    run("today")
    assert quick_answer(["today"]) is not None
    sources = data / "sources.toml"
    sources.write_text(sources.read_text() + "\n")
    assert quick_answer(["today"]) is None


def test_the_installed_command_answers_the_same_twice_and_sees_a_write(tmp_path, db):
    env = {**os.environ, "FOOTCOACH_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "footcoach"]

    def today() -> str:
        done = subprocess.run([*command, "today"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = today()
    assert today() == first
    subprocess.run([*command, "checkin", "--first-step-pain", "2"], env=env, check=True)
    assert "First-step pain this morning: 2/10" in today()
