"""/openapi.json: the API's description, built when it is first asked for, in full.

FastAPI takes an operation's description from its function's docstring, and a schema's from its
model's. A server's workers run Python without docstrings (`-OO`, web/workers.py: 5 MB less
each), where the description built in the worker would lose them. There the description is
built by a Python that has them: this module run as a program, on the worker's own settings
(its environment), once a worker, when /openapi.json is first asked for. The worker awaits that
program without holding up its other requests, and keeps the answer, as FastAPI keeps the one
it builds. Should the program fail, the worker builds the description itself, without the
docstrings, and says so in its log.

Anywhere else (the tests, `footcoach serve` with one worker), the app builds its description in
a thread, as FastAPI would have on the event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

PATH = "/openapi.json"
DOCUMENT_MODULE = "footcoach.web.openapi_document"
BUILD_TIMEOUT_S = 60.0
"""How long the program that builds the description may take (it loads the app: a second or
two)."""

log = logging.getLogger("footcoach.web")


def without_docstrings() -> bool:
    """Whether this Python dropped its docstrings (`python -OO`, PYTHONOPTIMIZE=2)."""
    return sys.flags.optimize >= 2


def install(app: FastAPI) -> None:
    """Serve the description at PATH (the app is made with openapi_url=None)."""
    app.state.openapi_lock = asyncio.Lock()
    app.add_route(PATH, answer, methods=["GET"], include_in_schema=False)


async def answer(request: Request) -> Response:
    app: FastAPI = request.app
    async with app.state.openapi_lock:  # requests that come while it is built wait for it
        if app.openapi_schema is None:
            if without_docstrings():
                app.openapi_schema = await built_apart() or await run_in_threadpool(app.openapi)
            else:
                await run_in_threadpool(app.openapi)  # FastAPI keeps it: app.openapi_schema
    return JSONResponse(app.openapi_schema)


async def built_apart() -> dict[str, Any] | None:
    """The description built by this module as a program in a Python with docstrings, on this
    process's environment; None (logged) when that fails."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONOPTIMIZE"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        DOCUMENT_MODULE,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), BUILD_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.wait()
        out, err = b"", f"no answer in {BUILD_TIMEOUT_S:.0f} s".encode()
    if process.returncode == 0:
        try:
            document = json.loads(out)
        except ValueError as exc:
            err = str(exc).encode()
        else:
            if isinstance(document, dict):
                return document
    log.warning(
        "footcoach: the API description was built without its descriptions (%s)",
        err.decode(errors="replace").strip()[-500:] or f"exit status {process.returncode}",
    )
    return None


def main() -> int:
    """Print the description of the app that this environment's settings make, as JSON."""
    from footcoach.web.app import create_app

    app = create_app()
    try:
        sys.stdout.write(json.dumps(app.openapi()))
    finally:
        app.state.services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
