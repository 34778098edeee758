"""The ASGI entry point for servers: `uvicorn footcoach.web.asgi:app`."""

from __future__ import annotations

from footcoach.web.app import create_app

app = create_app(warm=True)
