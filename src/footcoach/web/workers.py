"""Several server workers forked from one loaded app, under a parent that holds nothing of it.

uvicorn's own --workers starts each worker as a fresh Python (multiprocessing's spawn), which
imports FastAPI, SQLAlchemy, Jinja2 and footcoach again and loads the catalog and compiles the
templates again. Here one process, keeping its id throughout, runs three programs in turn:

1. `footcoach serve --workers N` checks its options, migrates the database, and replaces its
   program (exec) with `python -OO -m footcoach.web.workers loader OPTIONS N`: a fresh Python
   that never imports what only the command line needs (Typer, Click, Rich, Alembic, and
   uvicorn's own command line: server_parts), which every worker forked from it would otherwise
   carry, and that drops the docstrings of everything it imports (5 MB; /openapi.json, which
   needs them, is built apart: openapi_document.py).
2. The loader builds the app and loads everything that does not change while it serves (the
   catalog, the protocols, every template compiled), moves it into the collector's permanent
   generation (gc.freeze, so that no collection in a worker writes to those pages), gives back
   what loading freed, binds the socket, and forks the N workers: their pages stay shared
   until written to. The database is opened in each worker after the fork (warm_start.py), never
   before, so no connection or thread crosses a fork.
3. The loader then replaces its program with the supervisor (supervisor.py), which imports the
   standard library alone: the parent gives back the 90 MB it loaded, which the workers still
   share between them, and holds about 10 MB while it waits for them.

A worker that dies later is replaced by a fresh Python that loads the app itself
(`python -OO -m footcoach.web.workers worker FD OPTIONS`), listening on the same socket.
SIGINT and SIGTERM are held back from the loader's fork until the supervisor can pass them on.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Any

from footcoach.web.supervisor import (
    LOADER,
    STOPPING,
    WITHOUT_DOCSTRINGS,
    WORKER,
    WORKER_MODULE,
    supervise,
    supervisor_command,
)

MALLOC_ARENAS = "2"
"""glibc's malloc arenas in each worker (its default: 8 a CPU). Threads allocating at once
share them; in a worker they seldom do, since Python code runs one thread at a time. Fewer
arenas hold less memory that is free but kept: about 2 MB a worker under load."""


def server_parts() -> tuple[Any, Any]:
    """uvicorn's Config and Server classes, without its command line.

    `import uvicorn` runs the package's __init__, which imports its command line too (uvicorn.main:
    Click, and the reloading supervisors: watchfiles, multiprocessing), about 2.5 MB that every
    worker would hold and never use. uvicorn.config and uvicorn.server import none of it, so the
    package is registered without running its __init__ and only those two are imported: in
    this program (the loader, a worker) nothing else imports uvicorn. Where uvicorn is imported
    in full already, it is used as it is."""
    import importlib.util

    package = sys.modules.get("uvicorn")
    if package is None:
        spec = importlib.util.find_spec("uvicorn")
        if spec is not None:
            package = sys.modules["uvicorn"] = importlib.util.module_from_spec(spec)
    from uvicorn.config import Config
    from uvicorn.server import Server

    # what uvicorn's own modules import from the package (its lifespan: `from uvicorn import
    # Config`), as its __init__ would have set them
    for name, value in (("Config", Config), ("Server", Server)):
        if not hasattr(package, name):
            setattr(package, name, value)
    return Config, Server


def preload(app: Any) -> None:
    """What every worker reads and nobody changes, loaded before the fork (warm_start.py)."""
    from footcoach.web.warm_start import load_unchanging, set_aside

    load_unchanging(app)
    set_aside()


def serve(workers: int, **options: Any) -> int:
    """Serve footcoach with `workers` forked workers; uvicorn.Config's options. Replaces this
    process's program with the loader's; returns the exit status only where it cannot."""
    command = [sys.executable, WITHOUT_DOCSTRINGS, "-m", WORKER_MODULE, LOADER]
    command += [json.dumps(options), str(workers)]
    os.environ.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)  # read by glibc as a program starts
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(command[0], command)
    except OSError:  # no new program could start: this one loads and supervises
        return load_and_fork(workers, json.dumps(options))
    raise AssertionError("unreachable: execv returned")  # pragma: no cover


def load_and_fork(workers: int, options: str) -> int:
    """The loader: the app loaded, `workers` forked from it, then the supervisor in its place."""
    config_class, _ = server_parts()
    from footcoach.web.app import create_app

    app = create_app(warm=True)
    config = config_class(app, **json.loads(options))
    config.load()  # the protocol classes and middleware, shared too
    preload(app)
    sock = config.bind_socket()
    signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)  # until the supervisor passes them on
    children: dict[int, float] = {}
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            _work(config, sock)
        children[pid] = time.monotonic()
    fd = sock.fileno()
    os.set_inheritable(fd, True)
    command = supervisor_command(fd, options, children)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(command[0], command)
    except OSError:  # no new program could start: this one supervises, holding the app
        return supervise(fd, options, children)
    raise AssertionError("unreachable: execv returned")  # pragma: no cover


def _work(config: Any, sock: Any) -> None:
    """A forked worker: serves until it is told to stop, and never returns into the loader."""
    _, server_class = server_parts()
    for signum in STOPPING:
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
    status = 0
    try:
        server_class(config).run(sockets=[sock])
    except BaseException:
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def work_alone(fd: int, options: str) -> None:
    """A worker started on its own (a replacement): loads the app and serves on socket `fd`."""
    import socket

    config_class, server_class = server_parts()
    from footcoach.web.app import create_app

    sock = socket.socket(fileno=fd)
    config = config_class(create_app(warm=True), **json.loads(options))
    server_class(config).run(sockets=[sock])


def main(argv: list[str]) -> int:
    """`loader OPTIONS N` or `worker FD OPTIONS`, as serve() and the supervisor start them."""
    role, *rest = argv
    try:
        if role == LOADER:
            options, workers = rest
            return load_and_fork(int(workers), options)
        if role == WORKER:
            fd, options = rest
            work_alone(int(fd), options)
            return 0
    except KeyboardInterrupt:  # stopped while loading
        return 130
    sys.stderr.write(f"role: got {role!r}; needs {LOADER!r} or {WORKER!r}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
