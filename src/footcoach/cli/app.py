"""The `footcoach` command: a thin Typer face over the services, one module per topic."""

from __future__ import annotations

from footcoach.cli import (  # noqa: F401  (they register commands)
    calendar_commands,
    catalog_commands,
    diary_commands,
    handout_commands,
    plan_commands,
    progress_commands,
    questionnaire_commands,
    score_commands,
    serve_commands,
    session_commands,
    user_commands,
)
from footcoach.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    app()
