"""`footcoach serve`: the web app, for one person on this machine (local mode: loopback only,
no login) or, with --multi-user, for many people with accounts on any address."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

import typer

from footcoach.cli.base import DbOpt, app, fail, guarded
from footcoach.config import load_settings

LOCAL_HOSTS = {"localhost"}
SHUTDOWN_GRACE_S = 5
"""On SIGTERM or Ctrl-C, requests still running get this many seconds to finish; then they
are cancelled (an import in progress is rolled back: nothing of it is kept) and the server
stops."""


def is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_refusal(host: str, multi_user: bool, secret_key: str, database_url: str) -> str | None:
    """Why `serve` must not start with these choices, or None when it may.

    Local mode listens on this machine only: it has no logins. Multi-user mode may listen
    anywhere, once check_multi_user passes (a secret key, and a database chosen on purpose;
    database_url is "" when none was).
    """
    if multi_user:
        from footcoach.services.serving import check_multi_user

        problems = check_multi_user(secret_key, database_url)
        if not problems:
            return None
        lines = "\n".join(f"  {p.field}: got {p.value}; needs {p.allowed}" for p in problems)
        return f"multi-user mode cannot start:\n{lines}"
    if not is_loopback(host):
        return (
            f"host: got {host!r}; local mode serves one person with no login, so it listens on "
            "this machine only (127.0.0.1, ::1 or localhost). To serve many people with "
            "accounts, use --multi-user (or FOOTCOACH_MULTI_USER=1)."
        )
    return None


@app.command()
@guarded
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.", min=1, max=64)] = 1,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts and logins for many people (default: FOOTCOACH_MULTI_USER); needs "
            "FOOTCOACH_SECRET_KEY and a database chosen with --db or FOOTCOACH_DATABASE_URL.",
        ),
    ] = False,
    db: DbOpt = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed: addresses "
            "or networks, comma-separated, or '*' (default: uvicorn's FORWARDED_ALLOW_IPS, "
            "else 127.0.0.1).",
        ),
    ] = None,
) -> None:
    """Start the web app: open http://127.0.0.1:8000 in a browser."""
    settings = load_settings(database_url=db)
    multi = multi_user or settings.multi_user
    refusal = serve_refusal(host, multi, settings.secret_key, settings.database_url)
    if refusal is not None:
        raise fail(refusal)
    if multi and not is_loopback(host) and not settings.allowed_hosts:
        raise fail(
            f"FOOTCOACH_ALLOWED_HOSTS: got (not set); on --host {host} multi-user mode needs "
            "the host names people will reach it by, comma-separated (e.g. "
            "footcoach.clinic.example), or it would refuse every request not addressed to "
            "this machine's own names."
        )
    import importlib
    import os

    import uvicorn

    if db:
        os.environ["FOOTCOACH_DATABASE_URL"] = db
    if multi:
        os.environ["FOOTCOACH_MULTI_USER"] = "1"  # the workers build their app from the env
    # create the database (and run migrations) once, before workers race to do it
    from footcoach.adapters.db.unit_of_work import Database

    database = Database(settings.resolved_database_url())
    _ = database.engine
    database.dispose()
    mode = ", for many people with accounts" if multi else ""
    typer.echo(f"footcoach is at http://{host}:{port}{mode}  (Ctrl-C stops it)")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "ws": "none",  # footcoach has no WebSocket routes: no WebSocket library is loaded
        "timeout_graceful_shutdown": SHUTDOWN_GRACE_S,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,  # the scheme HSTS and Secure cookies go by
    }
    if workers > 1 and hasattr(os, "fork"):
        # workers forked from one loaded app share what they read (web/workers.py); the web
        # package is named, not imported, here, as for uvicorn below
        forked = importlib.import_module("footcoach.web.workers")
        raise typer.Exit(forked.serve(workers, **options))
    uvicorn.run("footcoach.web.asgi:app", workers=workers, factory=False, **options)
