"""The `footcoach` command: a thin Typer face over the services, one module per topic."""

from __future__ import annotations

from footcoach.cli import catalog_commands, plan_commands  # noqa: F401  (they register commands)
from footcoach.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    app()
