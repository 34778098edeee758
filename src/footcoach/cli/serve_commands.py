"""`footcoach serve`: the web app on this machine (local mode: loopback only)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from footcoach.cli.base import DbOpt, app, fail, guarded

LOCAL_HOSTS = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
@guarded
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.", min=1, max=64)] = 1,
    db: DbOpt = None,
) -> None:
    """Start the web app: open http://127.0.0.1:8000 in a browser."""
    if not is_loopback(host):
        raise fail(
            f"host: got {host!r}; local mode serves one person with no login, so it listens on "
            "this machine only (127.0.0.1, ::1 or localhost). Accounts for sharing come with "
            "multi-user mode."
        )
    import os

    import uvicorn

    if db:
        os.environ["FOOTCOACH_DATABASE_URL"] = db
    # create the database (and run migrations) once, before workers race to do it
    from footcoach.adapters.db.unit_of_work import Database
    from footcoach.config import load_settings

    database = Database(load_settings().resolved_database_url())
    _ = database.engine
    database.dispose()
    typer.echo(f"footcoach is at http://{host}:{port}  (Ctrl-C stops it)")
    uvicorn.run(
        "footcoach.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        factory=False,
        log_level="warning",
        access_log=False,
    )
