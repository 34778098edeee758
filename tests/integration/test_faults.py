"""Faults in real processes: a session killed mid-item keeps every finished item, and a second
process reading the database while a session writes always sees consistent data."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "intake.json"


def footcoach(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "footcoach", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


@pytest.fixture
def env(tmp_path):
    environment = dict(os.environ)
    environment["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'fc.db'}"
    environment.pop("FOOTCOACH_PROFILE", None)
    result = footcoach(environment, "init", "--intake", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    environment["DB_PATH"] = str(tmp_path / "fc.db")
    return environment


def saved_items(db_path: str) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(db_path, timeout=30)) as conn:
        return conn.execute(
            "SELECT position, exercise FROM session_items ORDER BY position"
        ).fetchall()


def start_session(env, speed: int = 60) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "footcoach",
            "go",
            "daytime",
            "--no-voice",
            "--speed",
            str(speed),
            "--pain-during",
            "2",
            "--effort",
            "3",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_sigkill_mid_session_keeps_every_finished_item(env):
    process = start_session(env)
    wait_for(lambda: len(saved_items(env["DB_PATH"])) >= 1 or process.poll() is not None)
    assert process.poll() is None, "the session ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    kept = saved_items(env["DB_PATH"])
    assert kept and kept[0][0] == 0
    with closing(sqlite3.connect(env["DB_PATH"])) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finished = conn.execute("SELECT finished_at FROM sessions").fetchone()
    assert finished == (None,)  # still open: the next `go` carries on from the next item
    today = json.loads(footcoach(env, "today", "--json").stdout)
    daytime = next(s for s in today["sessions"] if s["slot"] == "daytime")
    assert daytime["state"] == "in_progress"
    rerun = footcoach(
        env,
        "go",
        "daytime",
        "--no-voice",
        "--speed",
        "500",
        "--pain-during",
        "1",
        "--effort",
        "2",
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    positions = [p for p, _ in saved_items(env["DB_PATH"])]
    assert positions == sorted(set(positions)), "an item was saved twice"
    assert len(positions) == len(daytime["items"])


def test_a_reader_sees_consistent_data_while_a_session_writes(env):
    process = start_session(env, speed=120)
    seen_counts = []
    try:
        while process.poll() is None:
            read = footcoach(env, "today", "--json")
            assert read.returncode == 0, read.stderr
            document = json.loads(read.stdout)
            daytime = next(s for s in document["sessions"] if s["slot"] == "daytime")
            assert daytime["state"] in ("pending", "in_progress", "done")
            seen_counts.append(len(saved_items(env["DB_PATH"])))
    finally:
        process.wait(timeout=120)
    assert process.returncode == 0
    assert seen_counts == sorted(seen_counts), "items appeared and disappeared"
    final = json.loads(footcoach(env, "today", "--json").stdout)
    assert next(s for s in final["sessions"] if s["slot"] == "daytime")["state"] == "done"
