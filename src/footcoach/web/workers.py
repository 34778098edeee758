"""Several server workers forked from one loaded app, so that what they all read is held once.

uvicorn's own --workers starts each worker as a fresh Python (multiprocessing's spawn), which
imports FastAPI, SQLAlchemy, Jinja2 and footcoach again and loads the catalog and compiles the
templates again: each worker holds its own copy of some 90 MB. Here the parent builds the app
and loads everything that does not change while it serves (the catalog, the protocols, every
template compiled, the OpenAPI description), moves it into the collector's permanent generation
(gc.freeze, so that no collection in a worker writes to those pages), binds the socket, and
then forks the workers: their pages stay shared with the parent until written to. The database
is opened in each worker after the fork (warm_start.py), never in the parent, so no connection
or thread crosses a fork.

The parent only supervises: a worker that dies is replaced by a new fork, unless it died while
starting (then the server stops, as uvicorn's supervisor would keep failing the same way).
SIGINT and SIGTERM are passed on to the workers, which finish their requests
(timeout_graceful_shutdown) and stop; the parent waits for them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
from typing import Any

STARTING_S = 5.0
"""A worker that exits this soon after its fork failed to start: the server stops."""


def preload(app: Any) -> None:
    """What every worker reads and nobody changes, loaded before the fork."""
    services = app.state.services
    _ = services.planning  # the library, the protocols and the planner built on them
    _ = services.catalog
    templates = app.state.templates
    for name in templates.env.list_templates(extensions=["html"]):
        if not name.startswith("print/"):
            templates.env.get_template(name)
    app.openapi()
    gc.collect()
    gc.freeze()


def serve(workers: int, **options: Any) -> int:
    """Serve footcoach with `workers` forked workers; uvicorn.Config's options. Returns the
    exit status."""
    import uvicorn

    from footcoach.web.app import create_app

    app = create_app(warm=True)
    config = uvicorn.Config(app, **options)
    config.load()  # the protocol classes and middleware, shared too
    preload(app)
    sock = config.bind_socket()
    children: dict[int, float] = {}
    stopping = False
    failed = False

    def fork() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            status = 0
            try:
                uvicorn.Server(config).run(sockets=[sock])
            except BaseException:  # a worker must never return into the parent's loop
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        children[pid] = time.monotonic()

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for _ in range(workers):
        fork()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        began = children.pop(pid, None)
        if began is None or stopping:
            continue
        if time.monotonic() - began < STARTING_S:
            sys.stderr.write(f"footcoach: a worker failed to start (status {status}); stopping\n")
            failed = True
            stop(signal.SIGTERM, None)
            continue
        sys.stderr.write(f"footcoach: worker {pid} stopped (status {status}); starting another\n")
        fork()
    sock.close()
    return 1 if failed else 0
