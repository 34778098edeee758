"""The parent of a server's workers once they run: it holds the listening socket and nothing
of the app.

`footcoach serve --workers N` loads the app once and forks its workers from it (workers.py),
then replaces its own program with this one (exec): the process keeps its id, its children and
the socket, and gives back everything it had loaded, some 90 MB, which only the workers use. It
imports the standard library alone, so it holds about 10 MB.

It waits for its workers. A worker that dies is replaced by a new one, a fresh Python that
loads the app itself (`python -OO -m footcoach.web.workers`), unless it died within STARTING_S of
its start: then it failed to start, and the server stops rather than fail again and again.
SIGINT and SIGTERM are passed on to the workers, which finish their requests and stop; it
waits for them, then exits 0, or 1 when a worker failed to start.

Run as `python -m footcoach.web.supervisor FD OPTIONS PID=STARTED...`: the socket's file
descriptor; uvicorn's options for a replacement worker, as JSON, handed on unread (json would
cost the supervisor 1.4 MB); and each worker already running, with when it started on the
monotonic clock, which every process of the machine shares.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

STARTING_S = 5.0
"""A worker that exits this soon after it started failed to start: the server stops."""
STOPPING = (signal.SIGINT, signal.SIGTERM)
WORKER_MODULE = "footcoach.web.workers"
SUPERVISOR_MODULE = "footcoach.web.supervisor"
LOADER = "loader"
WORKER = "worker"
"""The roles `python -m footcoach.web.workers` is started in (its first argument)."""
WITHOUT_DOCSTRINGS = "-OO"
"""How the loader and the workers are started: without docstrings (nor asserts), which no
request needs and which cost each worker 5 MB; /openapi.json, which needs them, is built apart
(openapi_document.py)."""


def worker_command(fd: int, options: str) -> list[str]:
    """The command line of a worker started on its own, listening on the socket `fd`, with
    uvicorn's `options` (JSON)."""
    return [sys.executable, WITHOUT_DOCSTRINGS, "-m", WORKER_MODULE, WORKER, str(fd), options]


def supervisor_command(fd: int, options: str, children: dict[int, float]) -> list[str]:
    """The command line that turns a server's parent into this supervisor."""
    running = [f"{pid}={began!r}" for pid, began in children.items()]
    return [sys.executable, "-m", SUPERVISOR_MODULE, str(fd), options, *running]


def supervise(fd: int, options: str, children: dict[int, float]) -> int:
    """Wait for the workers, replacing those that die; the server's exit status."""
    stopping = False
    failed = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def start() -> None:
        command = worker_command(fd, options)
        pid = os.posix_spawn(command[0], command, os.environ, setsigdef=STOPPING)
        children[pid] = time.monotonic()
        if stopping:  # told to stop while it was being started: stop() did not see it
            os.kill(pid, signal.SIGTERM)

    for signum in STOPPING:
        signal.signal(signum, stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)  # held back since before the exec
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        began = children.pop(pid, None)
        if began is None or stopping:
            continue
        code = os.waitstatus_to_exitcode(status)
        if time.monotonic() - began < STARTING_S:
            sys.stderr.write(f"footcoach: a worker failed to start (status {code}); stopping\n")
            failed = True
            stop(signal.SIGTERM, None)
            continue
        sys.stderr.write(f"footcoach: worker {pid} stopped (status {code}); starting another\n")
        start()
    os.close(fd)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    fd, options, *running = argv
    children = {int(pid): float(began) for pid, began in (r.split("=") for r in running)}
    return supervise(int(fd), options, children)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
