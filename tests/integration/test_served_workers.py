"""`footcoach serve --workers 2` as a real process tree: the process started becomes a supervisor
that holds nothing of the app, replaces a worker that dies, passes SIGTERM on and exits 0; and
a worker that fails as it starts stops the server with 1 (web/workers.py, web/supervisor.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from footcoach.web.supervisor import STARTING_S
from tests.support.servers import START_TIMEOUT_S, free_port

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need os.fork")

T = TypeVar("T")
APP_LIBRARIES = ("_pydantic_core", "markupsafe", "sqlalchemy", "uvloop", "_sqlite3")
"""Compiled modules that a process which has loaded the app maps (pydantic for FastAPI,
MarkupSafe for Jinja2, SQLAlchemy's, uvicorn's event loop, SQLite's driver)."""
UNUSED_LIBRARIES = ("websockets/", "watchfiles/")
"""Compiled modules of libraries that `import uvicorn` would load and a worker never uses: a
WebSocket library (footcoach answers no WebSocket, and the workers are started without
WebSocket support) and the reloader's file watcher (with Click, uvicorn's command line)."""


def _children(pid: int) -> list[int]:
    """The live children of a process (zombies left out), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, parent = _stat(int(entry.name))[:2]
            except OSError:  # gone meanwhile
                continue
            if int(parent) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name: state, parent, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _mapped(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def _answers(base: str) -> int:
    with urllib.request.urlopen(base + "/api/v1/exercises", timeout=10) as answer:
        return int(answer.status)


def _wait_for(condition: Callable[[], T], timeout_s: float = START_TIMEOUT_S) -> T:
    """condition()'s first true value, tried every 0.1 s (an OSError counts as false)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout_s} s: {condition}")
        time.sleep(0.1)


@contextmanager
def _served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTCOACH_")}
    env["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'footcoach.db'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "footcoach", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(lambda: _answers(base) == 200 and len(_children(process.pid)) == 2)
            yield process, base
        finally:
            if process.poll() is None:
                for child in _children(process.pid):
                    os.kill(child, signal.SIGKILL)
                process.kill()
                process.wait()


def test_the_parent_becomes_a_supervisor_holding_nothing_of_the_app(tmp_path):
    with _served(tmp_path) as (process, _base):
        assert "footcoach.web.supervisor" in _command(process.pid)
        workers = _children(process.pid)
        parent_maps = _mapped(process.pid)
        assert [lib for lib in APP_LIBRARIES if lib in parent_maps] == []
        for worker in workers:
            # one worker answering does not make the other one ready: it opens the database
            # (SQLite's driver) as it starts to serve
            _wait_for(lambda pid=worker: all(lib in _mapped(pid) for lib in APP_LIBRARIES))
            worker_maps = _mapped(worker)
            assert [lib for lib in UNUSED_LIBRARIES if lib in worker_maps] == []
            status = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
            assert b"MALLOC_ARENA_MAX=2" in status
            assert "-OO -m footcoach.web.workers loader" in _command(worker)  # forked from it


def test_workers_without_docstrings_still_describe_the_api_in_full(tmp_path):
    with _served(tmp_path) as (_process, base):
        for _ in range(4):  # each worker builds it when first asked, then keeps it
            with urllib.request.urlopen(base + "/openapi.json", timeout=60) as answer:
                document = json.loads(answer.read())
            save = document["paths"]["/api/v1/sessions/{session_id}/items"]["post"]
            assert save["description"].startswith("Post each item as it finishes")


def test_a_worker_that_dies_is_replaced_and_sigterm_stops_them_all(tmp_path):
    with _served(tmp_path) as (process, base):
        first, second = _children(process.pid)
        time.sleep(STARTING_S + 0.5)  # past its start: a death now is not a failed start
        os.kill(first, signal.SIGKILL)

        def replaced_by_then() -> list[int] | None:
            now = _children(process.pid)
            return now if len(now) == 2 and first not in now else None

        replaced = _wait_for(replaced_by_then)
        assert second in replaced
        (replacement,) = set(replaced) - {second}
        assert "-OO -m footcoach.web.workers worker" in _command(replacement)
        _wait_for(lambda: "_pydantic_core" in _mapped(replacement))
        for _ in range(20):  # both workers take turns on the one socket
            assert _answers(base) == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        for pid in replaced:  # the supervisor waited for its workers before it exited
            assert not Path(f"/proc/{pid}").exists()


def test_a_worker_that_fails_as_it_starts_stops_the_server_with_1(tmp_path):
    script = textwrap.dedent(
        """
        import os, socket, sys, time
        from footcoach.web.supervisor import supervise
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        sys.exit(supervise(os.dup(sock.fileno()), "{}", {pid: time.monotonic()}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "a worker failed to start (status 3); stopping" in done.stderr
